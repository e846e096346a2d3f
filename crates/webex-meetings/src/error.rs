//! The error of every meetings call: typed cases for what an application acts on (a
//! password or captcha to ask for, an unknown meeting, a local guard), the core's HTTP error
//! for the rest.

use crate::info::Captcha;

/// What went wrong in a meetings call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingError {
    /// `register()` has not run (or `unregister()` did): joining needs a registered device
    /// and a Mercury connection.
    #[error("meetings are not registered: call webex.meetings().register() first")]
    NotRegistered,
    /// The destination is empty or matches no destination type.
    #[error("invalid destination: {0}")]
    InvalidDestination(String),
    /// No meeting answers to this destination (meeting info or Locus said 404).
    #[error("no such meeting: {message}")]
    MeetingNotFound {
        /// What the server said.
        message: String,
    },
    /// The meeting needs a password (or host key), or the one given was wrong.
    #[error("meeting password required or wrong: {message}")]
    PasswordRequired {
        /// The server's error code, when it sent one.
        code: Option<u64>,
        /// What the server said.
        message: String,
    },
    /// Too many wrong passwords: the meeting asks for a captcha too (see
    /// `Meeting::verify_password`).
    #[error("a captcha is required: {message}")]
    CaptchaRequired {
        /// The captcha to show.
        captcha: Box<Captcha>,
        /// What the server said.
        message: String,
    },
    /// The user's policy does not allow joining this meeting.
    #[error("not allowed by policy ({code}): {message}")]
    Policy {
        /// The server's error code.
        code: u64,
        /// What the server said.
        message: String,
    },
    /// Locus wants the join repeated with a host pin or the moderator flag (the meeting is
    /// locked, or needs a host to start): `IntentToJoinError` in the JS SDK.
    #[error("join needs a host pin or the moderator flag ({code}): {message}")]
    IntentToJoin {
        /// Locus's `errorCode`.
        code: u64,
        /// What Locus said.
        message: String,
    },
    /// The call is not possible in the meeting's current state (checked locally, nothing
    /// was sent): e.g. leaving a meeting already left, muting before joining.
    #[error("cannot {action}: {reason}")]
    InvalidState {
        /// What was attempted.
        action: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// Locus's display hints do not offer this action to this user now (checked locally,
    /// nothing was sent).
    #[error("not permitted to {action} in this meeting now")]
    NotPermitted {
        /// What was attempted.
        action: &'static str,
    },
    /// The Mercury connection `register()` needs failed.
    #[error("Mercury: {0}")]
    Mercury(#[from] webex_mercury::MercuryError),
    /// A server answered with something this SDK cannot read.
    #[error("invalid response: {0}")]
    InvalidResponse(String),
    /// The meeting's media failed (`add_media`, `update_media`, the share): the connection,
    /// the negotiation, or ICE. The meeting stays usable.
    #[cfg(feature = "media")]
    #[error("media: {0}")]
    Media(#[from] crate::media::MediaFailure),
    /// An HTTP or transport error, with the status, Webex's message and the tracking id.
    #[error(transparent)]
    Http(#[from] webex_core::Error),
}

impl MeetingError {
    pub(crate) fn state(action: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidState {
            action,
            reason: reason.into(),
        }
    }
}

/// The result of meetings calls.
pub type Result<T, E = MeetingError> = std::result::Result<T, E>;
