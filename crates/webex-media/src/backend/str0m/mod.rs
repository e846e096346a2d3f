//! The str0m backend: a Tokio task driving str0m's sans-IO `Rtc` over a UDP socket.

use super::{BackendConfig, WebRtcBackend};
use crate::error::MediaError;

/// Starts a str0m connection.
pub(crate) fn start(_config: BackendConfig) -> Result<Box<dyn WebRtcBackend>, MediaError> {
    Err(MediaError::Backend("not yet".into()))
}
