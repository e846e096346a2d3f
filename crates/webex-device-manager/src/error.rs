//! The device manager's errors: the mistakes an app can make, typed, and
//! everything else as the core's [`webex_core::Error`].

use http::StatusCode;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceManagerError {
    /// No device with this id or name (Lyra, WDM or search answered 404 or
    /// found nothing).
    #[error("unknown device: {0}")]
    UnknownDevice(String),
    /// This client is paired with the device already.
    #[error("already paired with device {0}")]
    AlreadyPaired(String),
    /// An operation that needs a paired device, with none paired.
    #[error("no device is paired")]
    NotPaired,
    /// `pair` without a PIN requested first (`request_pin`).
    #[error("no PIN was requested: call request_pin first")]
    NoPinRequested,
    /// The device refused the PIN.
    #[error("wrong PIN for device {0}")]
    WrongPin(String),
    /// A volume level outside the device's range.
    #[error("volume {level} is out of the device's range {min}..={max}")]
    VolumeOutOfRange {
        /// The level asked for.
        level: i64,
        /// The lowest level.
        min: i64,
        /// The highest level.
        max: i64,
    },
    /// `unbind_space` with no space bound.
    #[error("no space is bound to the paired device")]
    NotBound,
    /// A required argument was empty.
    #[error("{0} is required")]
    Missing(&'static str),
    /// The room has no KMS resource object (it is not encrypted), so it cannot be bound.
    #[error("room {0} has no KMS resource object to authorize the device on")]
    NotEncrypted(String),
    /// The KMS failed (bind, unbind).
    #[error(transparent)]
    Kms(#[from] webex_encryption::KmsError),
    /// Anything else: HTTP, the catalog, an answer that does not parse.
    #[error(transparent)]
    Webex(#[from] webex_core::Error),
}

impl DeviceManagerError {
    /// Turns a 404 into [`UnknownDevice`](Self::UnknownDevice) for `id`,
    /// keeping other errors.
    pub(crate) fn unknown_on_404(error: webex_core::Error, id: &str) -> Self {
        if error.status() == Some(StatusCode::NOT_FOUND) {
            Self::UnknownDevice(id.to_owned())
        } else {
            Self::Webex(error)
        }
    }
}

/// The result of device manager calls.
pub type Result<T, E = DeviceManagerError> = std::result::Result<T, E>;
