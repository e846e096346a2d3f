//! The WebRTC stacks a [`MediaConnection`](crate::MediaConnection) can run on, behind one
//! crate-private trait: `str0m` (feature `str0m`, the default) and webrtc-rs (feature
//! `webrtc`). A backend owns the UDP socket, ICE, DTLS-SRTP and RTP; the connection drives it
//! with offers, answers, Opus frames and H.264 access units, and reads what it reports from its event channel.

#[cfg(feature = "str0m")]
mod str0m;
#[cfg(feature = "webrtc")]
mod webrtc_rs;

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::mpsc;

use crate::error::MediaError;
use crate::stats::StreamStats;

/// Which WebRTC stack a connection uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Backend {
    /// [str0m](https://docs.rs/str0m), sans-IO, driven on Tokio (feature `str0m`).
    #[cfg_attr(feature = "str0m", default)]
    Str0m,
    /// [webrtc-rs](https://docs.rs/webrtc) (feature `webrtc`).
    #[cfg_attr(not(feature = "str0m"), default)]
    WebrtcRs,
}

/// The direction of one m-line, from the local side's view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    /// Send and receive.
    #[default]
    SendRecv,
    /// Send only.
    SendOnly,
    /// Receive only.
    RecvOnly,
    /// Neither (the m-line stays, inactive).
    Inactive,
}

impl Direction {
    /// The direction for these two wishes.
    pub fn new(send: bool, receive: bool) -> Self {
        match (send, receive) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }

    /// Whether the local side sends.
    pub fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }

    /// Whether the local side receives.
    pub fn receives(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::RecvOnly)
    }
}

/// A STUN or TURN server for ICE (from TURN discovery, `TurnInfo::ice_server_urls`).
/// `Debug` never shows the credential.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct IceServer {
    /// `turn:` / `turns:` / `stun:` URLs.
    pub urls: Vec<String>,
    /// The TURN username.
    pub username: Option<String>,
    /// The TURN password (a secret).
    pub credential: Option<String>,
}

impl fmt::Debug for IceServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IceServer")
            .field("urls", &self.urls)
            .field("username", &self.username)
            .field(
                "credential",
                &self.credential.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What a backend is started with.
// Built without a backend, nothing reads it.
#[cfg_attr(not(any(feature = "str0m", feature = "webrtc")), allow(dead_code))]
#[derive(Clone, Debug)]
pub(crate) struct BackendConfig {
    /// The UDP socket is bound here (port 0); its address is the host candidate.
    pub(crate) local_ip: IpAddr,
    /// From TURN discovery (may be empty; the emulator has none).
    pub(crate) ice_servers: Vec<IceServer>,
    /// The audio m-line's direction.
    pub(crate) audio: Direction,
    /// The (main) video m-line's direction.
    pub(crate) video: Direction,
    /// The share video m-line's direction.
    pub(crate) share: Direction,
    /// How long ICE may take to connect after an answer is applied before the backend
    /// reports [`BackendEvent::Failed`].
    pub(crate) ice_timeout: Duration,
}

/// What a backend reports.
// Built without a backend, nothing sends it.
#[cfg_attr(not(any(feature = "str0m", feature = "webrtc")), allow(dead_code))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BackendEvent {
    /// ICE and DTLS connected; media can flow.
    Connected,
    /// The connection was lost (it may come back).
    Disconnected,
    /// The connection failed for good.
    Failed(String),
    /// One received Opus packet.
    Audio {
        /// The Opus payload.
        payload: Vec<u8>,
        /// Its RTP timestamp (48 kHz clock).
        rtp_timestamp: u32,
        /// Its RTP sequence number (gaps are losses).
        sequence: u16,
    },
    /// One received video frame (counted).
    VideoFrame {
        /// Whether it came on the share m-line.
        share: bool,
    },
    /// The receiver of our main video asked for a keyframe (PLI or FIR).
    KeyframeRequested,
}

/// A WebRTC stack as the connection drives it.
#[async_trait]
pub(crate) trait WebRtcBackend: Send + Sync + 'static {
    /// A complete offer: audio, video, share video (`a=content:slides`) m-lines in that
    /// order, BUNDLE, all host candidates (no trickle), opus/48000/2 and H.264
    /// packetization-mode=1. Not yet munged (the connection applies `sdp::munge_local_offer`).
    async fn create_offer(&self) -> Result<String, MediaError>;
    /// Applies the answer to the last offer (already checked with `sdp::check_answer`).
    async fn apply_answer(&self, sdp: &str) -> Result<(), MediaError>;
    /// Directions changed (renegotiation follows with `create_offer`).
    async fn set_directions(
        &self,
        audio: Direction,
        video: Direction,
        share: Direction,
    ) -> Result<(), MediaError>;
    /// Sends one 20 ms Opus frame on the audio m-line (dropped with `Ok` if not yet
    /// connected). The RTP timestamp advances 960 per frame.
    fn send_audio(&self, opus: &[u8]) -> Result<(), MediaError>;
    /// Sends one H.264 access unit (Annex-B: NAL units behind start codes) on the main
    /// video m-line with RTP timestamp `rtp_time` (90 kHz), packetized per RFC 6184
    /// (packetization-mode=1). Dropped with `Ok` when not connected or not sending video.
    // Without the `video` feature there is no video source to call it.
    #[cfg_attr(not(feature = "video"), allow(dead_code))]
    fn send_video(&self, access_unit: &[u8], rtp_time: u32) -> Result<(), MediaError>;
    /// The backend's events; `Some` only the first time.
    fn take_events(&self) -> Option<mpsc::Receiver<BackendEvent>>;
    /// The per-stream statistics now.
    async fn stats(&self) -> Result<Vec<StreamStats>, MediaError>;
    /// Closes the connection and its socket.
    async fn close(&self);
}

/// Starts `backend` (must be called within a Tokio runtime).
///
/// # Errors
///
/// [`MediaError::NoBackend`] when the crate was built without that backend's feature; other
/// errors when its socket cannot be bound.
#[allow(unreachable_code, unused_variables)]
pub(crate) fn start(
    backend: Backend,
    config: BackendConfig,
) -> Result<Box<dyn WebRtcBackend>, MediaError> {
    match backend {
        #[cfg(feature = "str0m")]
        Backend::Str0m => str0m::start(config),
        #[cfg(feature = "webrtc")]
        Backend::WebrtcRs => webrtc_rs::start(config),
        #[allow(unreachable_patterns)]
        _ => Err(MediaError::NoBackend),
    }
}
