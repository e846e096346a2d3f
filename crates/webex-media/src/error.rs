//! Why a media operation failed.

use thiserror::Error;

use crate::roap::{NotExpected, RoapFailure};
use crate::sdp::SdpError;

/// A media connection error. Outside input (SDP, ROAP, packets) only ever produces one of
/// these, never a panic.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The crate was built without a WebRTC backend (features `str0m` and `webrtc` off), or
    /// without the one asked for.
    #[error("no WebRTC backend: build webex-media with the `str0m` or `webrtc` feature")]
    NoBackend,
    /// The WebRTC stack failed.
    #[error("WebRTC backend error: {0}")]
    Backend(String),
    /// An SDP was refused (the local offer, or the answer).
    #[error(transparent)]
    Sdp(#[from] SdpError),
    /// The ROAP negotiation failed (a remote error, retries exhausted, a timeout).
    #[error("ROAP negotiation failed: {0}")]
    Roap(RoapFailure),
    /// A call that does not fit the negotiation's state.
    #[error(transparent)]
    RoapState(#[from] NotExpected),
    /// The ICE connection failed (nothing connected in time, or it broke).
    #[error("ICE connection failed: {0}")]
    IceFailed(String),
    /// Socket or address error.
    #[error("media I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Audio could not be encoded or decoded.
    #[error("audio error: {0}")]
    Audio(String),
    /// Video could not be encoded (feature `video`).
    #[error("video error: {0}")]
    Video(String),
    /// The connection is closed.
    #[error("the media connection is closed")]
    Closed,
}
