//! What the emulator's Mercury-framed websockets share (Mercury itself and
//! the meeting data channel): limits, timeouts and close codes.

use std::time::Duration;

use axum::extract::ws::WebSocketUpgrade;
use uuid::Uuid;

use crate::kit::error::ApiError;

/// How long a client has to send its authorization.
pub(crate) const AUTH_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one frame may take to send before the socket counts as dead.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest frame or message a client may send; a bigger one closes the
/// socket with 1009.
pub(crate) const MAX_MESSAGE: usize = 1024 * 1024;

/// Close codes, as Mercury uses them (`aliasHttpStatus=true`: HTTP
/// statuses as 44xx).
pub(crate) mod code {
    /// A deleted device.
    pub(crate) const DEVICE_GONE: u16 = 1000;
    /// The server is stopping.
    pub(crate) const GOING_AWAY: u16 = 1001;
    /// A frame that is not a JSON object.
    pub(crate) const INVALID_PAYLOAD: u16 = 1007;
    /// No authorization in time.
    pub(crate) const POLICY: u16 = 1008;
    /// A frame or message above the size limit.
    pub(crate) const TOO_BIG: u16 = 1009;
    /// The server cannot keep up with the socket.
    pub(crate) const OVERLOADED: u16 = 1011;
    /// The first message was not an authorization.
    pub(crate) const BAD_REQUEST: u16 = 4400;
    /// The token is missing or unknown.
    pub(crate) const UNAUTHORIZED: u16 = 4401;
    /// The registration is unknown, expired or someone else's.
    pub(crate) const NOT_FOUND: u16 = 4404;
}

/// The registration id of a socket URL, or the 404 Mercury answers.
pub(crate) fn registration_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(id)
        .map_err(|_| ApiError::not_found("Could not find a registration with the provided ID."))
}

/// The upgrade with the frame and message size limit.
pub(crate) fn limited(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
}
