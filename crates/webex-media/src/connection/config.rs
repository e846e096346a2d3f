//! What a [`MediaConnection`](super::MediaConnection) is created with.

use std::net::IpAddr;
use std::time::Duration;

use crate::backend::{Backend, Direction, IceServer};
use crate::metrics::RtcMetricsConfig;
use crate::sdp::MungeConfig;

/// How long ICE and DTLS may take to connect after an answer is applied (the JS SDK's
/// `ICE_AND_DTLS_CONNECTION_TIMEOUT`).
pub const ICE_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether one medium is sent and received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamOptions {
    /// Send it.
    pub send: bool,
    /// Receive it.
    pub receive: bool,
}

impl StreamOptions {
    /// The m-line direction.
    pub fn direction(self) -> Direction {
        Direction::new(self.send, self.receive)
    }
}

/// Whether audio is sent and received.
pub type AudioOptions = StreamOptions;
/// Whether the main video is sent and received (what is sent comes from
/// `MediaConnection::set_video_source`, feature `video`; without a source `send` only sets
/// the m-line's direction).
pub type VideoOptions = StreamOptions;
/// Whether screen share video is sent and received.
pub type ShareOptions = StreamOptions;

/// A media connection's configuration. [`Default`]: the default backend, audio sent and
/// received, video and share received, the local address chosen by route.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct MediaConnectionConfig {
    /// The WebRTC stack.
    pub backend: Backend,
    /// The address to bind; `None`: the route's source address toward `remote_host`.
    pub local_ip: Option<IpAddr>,
    /// The Locus/media host, for choosing `local_ip` (`127.0.0.1` for the emulator).
    pub remote_host: Option<String>,
    /// ICE servers from TURN discovery. Only [`Backend::WebrtcRs`] uses them: str0m has no
    /// TURN client, so the str0m backend connects with host candidates only (and logs that
    /// it ignored them).
    pub ice_servers: Vec<IceServer>,
    /// Audio directions.
    pub audio: AudioOptions,
    /// Video directions.
    pub video: VideoOptions,
    /// Share directions.
    pub share: ShareOptions,
    /// How long ICE may take to connect after an answer is applied.
    pub ice_timeout: Duration,
    /// The SDP munging applied to every local offer.
    pub munge: MungeConfig,
    /// Where RTC metrics go; `None`: not sent.
    pub metrics: Option<RtcMetricsConfig>,
}

impl Default for MediaConnectionConfig {
    fn default() -> Self {
        MediaConnectionConfig {
            backend: Backend::default(),
            local_ip: None,
            remote_host: None,
            ice_servers: Vec::new(),
            audio: AudioOptions {
                send: true,
                receive: true,
            },
            video: VideoOptions {
                send: false,
                receive: true,
            },
            share: ShareOptions {
                send: false,
                receive: true,
            },
            ice_timeout: ICE_TIMEOUT,
            munge: MungeConfig::default(),
            metrics: None,
        }
    }
}

impl MediaConnectionConfig {
    /// Sets the backend.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Sets the local address.
    pub fn local_ip(mut self, ip: IpAddr) -> Self {
        self.local_ip = Some(ip);
        self
    }

    /// Sets the remote host the local address is chosen for.
    pub fn remote_host(mut self, host: impl Into<String>) -> Self {
        self.remote_host = Some(host.into());
        self
    }

    /// Sets the ICE servers (used by [`Backend::WebrtcRs`] only; see the field).
    pub fn ice_servers(mut self, servers: Vec<IceServer>) -> Self {
        self.ice_servers = servers;
        self
    }

    /// Sets the audio directions.
    pub fn audio(mut self, audio: AudioOptions) -> Self {
        self.audio = audio;
        self
    }

    /// Sets the video directions.
    pub fn video(mut self, video: VideoOptions) -> Self {
        self.video = video;
        self
    }

    /// Sets the share directions.
    pub fn share(mut self, share: ShareOptions) -> Self {
        self.share = share;
        self
    }

    /// Sets the ICE timeout.
    pub fn ice_timeout(mut self, timeout: Duration) -> Self {
        self.ice_timeout = timeout;
        self
    }

    /// Sets the SDP munging.
    pub fn munge(mut self, munge: MungeConfig) -> Self {
        self.munge = munge;
        self
    }

    /// Sets where RTC metrics go.
    pub fn metrics(mut self, metrics: RtcMetricsConfig) -> Self {
        self.metrics = Some(metrics);
        self
    }
}
