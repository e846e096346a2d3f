//! # webex-media
//!
//! Media for Webex meetings: the ROAP negotiation with Locus, the SDP work around it, and
//! [`MediaConnection`], a WebRTC connection (str0m by default, webrtc-rs with the `webrtc`
//! feature) that sends and receives Opus audio, counts received video and, with the
//! `video` feature, sends a video source (such as `video::TestPattern`) as H.264.
//!
//! [`roap`] has the messages and the JSON strings they ride in, the client's ROAP state
//! machine (glare, retries, out-of-order rejection, the 35 s offer/answer deadline) and TURN
//! discovery; [`sdp`] munges the transcoded offer and checks the answer; [`audio`] has the
//! sources, Opus, noise reduction and WAV; [`stats`] and [`metrics`] the statistics and the
//! RTC metrics requests; `video` (feature `video`, OpenH264 built from source) the local
//! video source, its H.264 encoding and the keyframe policy. The wire facts are in `docs/protocol/roap.md`,
//! `docs/protocol/media-server.md` and `docs/protocol/rtc-metrics.md`.
//!
//! A `MediaConnection` makes the offers; whoever owns it (the meeting) sends each
//! [`MediaEvent::Roap`] to Locus (`PUT {selfUrl}/media`) and hands back the answer:
//!
//! ```no_run
//! # async fn run(send_to_locus: impl AsyncFn(webex_media::roap::RoapMessage)
//! #     -> webex_media::roap::RoapMessage) -> Result<(), webex_media::MediaError> {
//! use futures::StreamExt;
//! use webex_media::audio::ToneSource;
//! use webex_media::{MediaConnection, MediaConnectionConfig, MediaEvent};
//!
//! let connection = MediaConnection::new(MediaConnectionConfig::default()).await?;
//! let mut events = connection.events();
//! connection.set_audio_source(Some(Box::new(ToneSource::new(1000.0, 0.5)))).await;
//! connection.initiate_offer().await?;
//! while let Some(event) = events.next().await {
//!     if let MediaEvent::Roap(offer) = event {
//!         let answer = send_to_locus(offer).await;
//!         connection.roap_message_received(answer).await?;
//!         break;
//!     }
//! }
//! connection.connected().await?;
//! let mut heard = connection.remote_audio(); // decoded 20 ms frames
//! # let _ = heard.next().await;
//! # Ok(()) }
//! ```
//!
//! Underneath, a driver feeds the ROAP machine what happened, with the time, and carries out
//! its outputs:
//!
//! ```
//! use std::time::Instant;
//! use webex_media::roap::{RemoteSdp, RoapMachine, RoapOutput};
//!
//! let now = Instant::now();
//! let mut roap = RoapMachine::new(42);
//! roap.initiate_offer(now)?;
//! assert_eq!(roap.poll_output(), Some(RoapOutput::Started));
//! assert_eq!(roap.poll_output(), Some(RoapOutput::CreateOffer));
//!
//! // The WebRTC side made its offer (munged with `webex_media::sdp::munge_local_offer`).
//! roap.local_offer_ready("v=0\r\n...".into())?;
//! let Some(RoapOutput::Send(offer)) = roap.poll_output() else { unreachable!() };
//! assert_eq!((offer.seq, offer.tie_breaker), (1, Some(4_294_967_294)));
//! // ... PUT {selfUrl}/media with `LocalSdp::roap(offer, ..).to_json_string()`; the answer
//! // comes back in the response's `mediaConnections[0].remoteSdp`:
//! let remote_sdp = r#"{"roapMessage":{"messageType":"ANSWER","version":"2","seq":"1",
//!     "sdps":["v=0\r\n..."],"headers":["noOkInTransaction"]}}"#;
//! roap.handle_remote(RemoteSdp::parse(remote_sdp)?.roap_message, now);
//! let Some(RoapOutput::ApplyAnswer(answer)) = roap.poll_output() else { unreachable!() };
//! assert!(answer.starts_with("v=0"));
//!
//! // Applied (after `webex_media::sdp::check_answer`): no OK, the server said so.
//! roap.remote_answer_applied(now)?;
//! assert_eq!(roap.poll_output(), Some(RoapOutput::Done));
//! assert_eq!(roap.poll_timeout(), None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The plugin registers like any other:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> webex_core::Result<()> {
//! let webex = webex_core::Webex::builder()
//!     .without_catalog()
//!     .plugin(webex_media::MediaPlugin::default())
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_media::MediaPlugin>().is_some());
//! # Ok(()) }
//! ```

pub mod audio;
pub mod backend;
mod connection;
mod error;
pub mod metrics;
pub mod roap;
pub mod sdp;
pub mod stats;
#[cfg(feature = "video")]
pub mod video;

pub use backend::{Backend, Direction, IceServer};
pub use connection::{
    AudioOptions, ConnectionState, ICE_TIMEOUT, MediaConnection, MediaConnectionConfig, MediaEvent,
    MediaEvents, MediaLag, RemoteAudio, ShareOptions, StreamOptions, VideoOptions,
};
pub use error::MediaError;
pub use metrics::{MetricsSink, RtcMetricsConfig, RtcMetricsRequest};
pub use stats::{MediaKind, MediaStats, StreamDirection, StreamStats};

use std::sync::{Mutex, MutexGuard};

use webex_core::Plugin;

/// Locks `mutex`; a panic elsewhere while holding it leaves data that is still consistent
/// (every critical section is a few assignments), so poisoning is ignored.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The `media` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct MediaPlugin;

impl MediaPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "media";
}

#[webex_core::async_trait]
impl Plugin for MediaPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }
}

/// Sleeps until `deadline`, or forever without one (a `select!` branch that may not apply).
pub(crate) async fn sleep_until_some(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
