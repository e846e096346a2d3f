//! The close-code policy (`docs/protocol/mercury.md`, *Close codes*).

use crate::error::MercuryError;

use super::TRANSIENT_1000;

/// What a close means for the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseAction {
    /// Reconnect after the backoff.
    Retry,
    /// Refresh the token, then reconnect; a second 4401 in a row is fatal.
    RefreshToken,
    /// Refresh the device registration, then reconnect.
    RefreshDevice,
    /// Stop for good.
    Fatal(MercuryError),
}

/// Classifies a close: `handshake` is true before readiness.
///
/// Before readiness: 4400 and 4403 are fatal, 4401 refreshes the token, 1005 and 4404
/// refresh the device, anything else retries. After: 1000 retries only for the JS SDK's
/// transient reasons, 1001/1005/1006/1011 retry (1005 also refreshes the device), 4000
/// `replaced` is fatal ([`MercuryError::Replaced`]), other 4000 reasons retry, 4401 refreshes
/// the token, 4404 refreshes the device, anything else (1003, 1008, 4400, 4403, ...) is fatal.
///
/// Deviations from the JS SDK: a 4401 that survives one refresh is fatal instead of retried
/// forever; 4404 (the server does not know the registration) refreshes the device, which
/// registers a new one, instead of retrying the same URL.
#[must_use]
pub fn classify_close(code: u16, reason: &str, handshake: bool) -> CloseAction {
    let reason_lc = reason.to_lowercase();
    let fatal = |code: u16| {
        CloseAction::Fatal(match code {
            4400 => MercuryError::BadRequest {
                reason: reason.to_owned(),
            },
            4403 => MercuryError::Forbidden {
                reason: reason.to_owned(),
            },
            _ => MercuryError::Closed {
                code,
                reason: reason.to_owned(),
            },
        })
    };
    match code {
        4401 => CloseAction::RefreshToken,
        4404 | 1005 => CloseAction::RefreshDevice,
        4400 | 4403 => fatal(code),
        _ if handshake => CloseAction::Retry,
        1000 | 1050 | 3050 if TRANSIENT_1000.contains(&reason_lc.as_str()) => CloseAction::Retry,
        1001 | 1006 | 1011 => CloseAction::Retry,
        4000 if reason_lc == "replaced" => CloseAction::Fatal(MercuryError::Replaced),
        4000 => CloseAction::Retry,
        _ => fatal(code),
    }
}
