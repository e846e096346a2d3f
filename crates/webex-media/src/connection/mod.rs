//! The ROAP media connection (the JS SDK's `RoapMediaConnection`): it makes offers and
//! applies answers over a WebRTC backend; the meeting carries the ROAP messages to Locus
//! (`PUT {selfUrl}/media`) and feeds back what arrives. Local audio is pulled from an
//! [`AudioSource`] every 20 ms, noise-reduced, Opus-encoded and sent; remote audio is decoded
//! into [`RemoteAudio`] streams.

mod config;
mod event;
mod remote_audio;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use config::{
    AudioOptions, ICE_TIMEOUT, MediaConnectionConfig, ShareOptions, StreamOptions, VideoOptions,
};
pub use event::{ConnectionState, MediaEvent, MediaEvents};
pub use remote_audio::{MediaLag, RemoteAudio};

use self::event::EventHub;
use self::remote_audio::RemoteAudioHub;
use crate::audio::{AudioSource, NoiseReductionHandle};
use crate::error::MediaError;
use crate::roap::RoapMessage;
use crate::stats::MediaStats;

/// State shared by every handle and the driver task.
#[derive(Debug)]
struct Shared {
    events: EventHub,
    remote_audio: RemoteAudioHub,
    muted: AtomicBool,
    noise_reduction: NoiseReductionHandle,
}

/// A media connection: a cheap handle to its driver task (clones share it).
#[derive(Clone, Debug)]
pub struct MediaConnection {
    shared: Arc<Shared>,
}

impl MediaConnection {
    /// Starts a connection: binds its socket and starts its driver task (call within a
    /// Tokio runtime). Nothing is negotiated until [`initiate_offer`](Self::initiate_offer).
    ///
    /// # Errors
    ///
    /// [`MediaError::NoBackend`] when the backend asked for was not built in; an I/O error
    /// when no local address can be chosen or bound.
    pub async fn new(config: MediaConnectionConfig) -> Result<Self, MediaError> {
        let _ = config;
        Err(MediaError::Backend("not yet".into()))
    }

    /// Starts (or queues, while one runs) a negotiation: a [`MediaEvent::Roap`] offer follows.
    ///
    /// # Errors
    ///
    /// [`MediaError::Closed`], or the negotiation already failed for good.
    pub async fn initiate_offer(&self) -> Result<(), MediaError> {
        Err(MediaError::Backend("not yet".into()))
    }

    /// A ROAP message from Locus (the `/media` response's answer, or Mercury's
    /// `locus.message.roap`). Returns once it is handled: an answer checked and applied
    /// ([`MediaEvent::RoapDone`]).
    ///
    /// # Errors
    ///
    /// [`MediaError::Sdp`] when the answer does not fit the offer, [`MediaError::Roap`] when
    /// the message ends the negotiation (an `ERROR`), [`MediaError::Closed`].
    pub async fn roap_message_received(&self, message: RoapMessage) -> Result<(), MediaError> {
        let _ = message;
        Err(MediaError::Backend("not yet".into()))
    }

    /// Waits until the current negotiation is done.
    ///
    /// # Errors
    ///
    /// [`MediaError::Roap`] when it fails (a remote error, the 35 s deadline),
    /// [`MediaError::Closed`].
    pub async fn negotiated(&self) -> Result<(), MediaError> {
        Err(MediaError::Backend("not yet".into()))
    }

    /// Waits until ICE and DTLS are connected.
    ///
    /// # Errors
    ///
    /// [`MediaError::IceFailed`] when the connection fails (or does not connect within the
    /// ICE timeout), [`MediaError::Closed`].
    pub async fn connected(&self) -> Result<(), MediaError> {
        Err(MediaError::Backend("not yet".into()))
    }

    /// Sets the local audio source; `None`: send nothing.
    pub async fn set_audio_source(&self, source: Option<Box<dyn AudioSource>>) {
        let _ = source;
    }

    /// Mutes (no RTP is sent, from the next 20 ms frame on) or unmutes local audio.
    pub fn set_audio_muted(&self, muted: bool) {
        self.shared.muted.store(muted, Ordering::Relaxed);
    }

    /// Whether local audio is muted.
    pub fn audio_muted(&self) -> bool {
        self.shared.muted.load(Ordering::Relaxed)
    }

    /// Changes the m-line directions and renegotiates (a [`MediaEvent::Roap`] offer follows).
    ///
    /// # Errors
    ///
    /// As [`initiate_offer`](Self::initiate_offer), or the backend refused the directions.
    pub async fn update_directions(
        &self,
        audio: AudioOptions,
        video: VideoOptions,
        share: ShareOptions,
    ) -> Result<(), MediaError> {
        let _ = (audio, video, share);
        Err(MediaError::Backend("not yet".into()))
    }

    /// Switches the noise reduction of local audio (off by default).
    pub fn noise_reduction(&self) -> NoiseReductionHandle {
        self.shared.noise_reduction.clone()
    }

    /// A new stream of the connection's events (the first stream also gets the events
    /// emitted before it).
    pub fn events(&self) -> MediaEvents {
        self.shared.events.subscribe()
    }

    /// A new stream of decoded remote audio.
    pub fn remote_audio(&self) -> RemoteAudio {
        self.shared.remote_audio.subscribe()
    }

    /// The per-stream statistics now.
    ///
    /// # Errors
    ///
    /// [`MediaError::Closed`], or the backend failed to read them.
    pub async fn stats(&self) -> Result<MediaStats, MediaError> {
        Err(MediaError::Backend("not yet".into()))
    }

    /// Closes the connection: stops sending, closes the socket, ends the streams.
    pub async fn close(&self) {
        self.shared.events.close();
        self.shared.remote_audio.close();
    }
}
