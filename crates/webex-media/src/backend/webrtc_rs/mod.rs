//! The webrtc-rs backend (feature `webrtc`).

use super::{BackendConfig, WebRtcBackend};
use crate::error::MediaError;

/// Starts a webrtc-rs connection.
pub(crate) fn start(_config: BackendConfig) -> Result<Box<dyn WebRtcBackend>, MediaError> {
    Err(MediaError::Backend(
        "the webrtc-rs backend is not built yet".into(),
    ))
}
