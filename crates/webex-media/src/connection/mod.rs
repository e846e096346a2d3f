//! The ROAP media connection (the JS SDK's `RoapMediaConnection`): it makes offers and
//! applies answers over a WebRTC backend; the meeting carries the ROAP messages to Locus
//! (`PUT {selfUrl}/media`) and feeds back what arrives. Local audio is pulled from an
//! [`AudioSource`] every 20 ms, noise-reduced, Opus-encoded and sent; remote audio is decoded
//! into [`RemoteAudio`] streams.

mod audio_receive;
mod audio_send;
mod command;
mod config;
mod driver;
mod event;
mod local_ip;
mod negotiation;
mod remote_audio;
mod status;
#[cfg(feature = "video")]
mod video_send;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{mpsc, oneshot};

pub use config::{
    AudioOptions, ICE_TIMEOUT, MediaConnectionConfig, ShareOptions, StreamOptions, VideoOptions,
};
pub use event::{ConnectionState, MediaEvent, MediaEvents};
pub use remote_audio::{MediaLag, RemoteAudio};

use self::audio_receive::AudioReceiver;
use self::audio_send::AudioSender;
use self::command::{Command, Reply};
use self::driver::Driver;
use self::event::EventHub;
use self::remote_audio::RemoteAudioHub;
use self::status::Status;
use crate::audio::{AudioSource, NoiseReduction, NoiseReductionHandle};
use crate::backend::{self, BackendConfig};
use crate::error::MediaError;
use crate::roap::RoapMessage;
use crate::stats::MediaStats;

/// How many commands may wait for the driver.
const COMMANDS_QUEUE: usize = 32;

/// State shared by every handle and the driver task.
#[derive(Debug)]
struct Shared {
    events: EventHub,
    remote_audio: RemoteAudioHub,
    muted: AtomicBool,
    noise_reduction: NoiseReductionHandle,
    status: Status,
}

/// A media connection: a cheap handle to its driver task (clones share it). The task ends on
/// [`close`](Self::close), or when the last handle is dropped.
#[derive(Clone, Debug)]
pub struct MediaConnection {
    shared: Arc<Shared>,
    commands: mpsc::Sender<Command>,
}

impl MediaConnection {
    /// Starts a connection: binds its socket and starts its driver task (call within a
    /// Tokio runtime). Nothing is negotiated until [`initiate_offer`](Self::initiate_offer).
    ///
    /// # Errors
    ///
    /// [`MediaError::NoBackend`] when the backend asked for was not built in; an I/O error
    /// when no local address can be chosen or bound; [`MediaError::Audio`] when the Opus
    /// codec cannot be set up.
    pub async fn new(config: MediaConnectionConfig) -> Result<Self, MediaError> {
        let local_ip = match config.local_ip {
            Some(ip) => ip,
            None => local_ip::toward(config.remote_host.as_deref()).await?,
        };
        let directions = [
            config.audio.direction(),
            config.video.direction(),
            config.share.direction(),
        ];
        let (noise_reduction, noise_handle) = NoiseReduction::new();
        let sender = AudioSender::new(noise_reduction)?;
        let receiver = AudioReceiver::new()?;
        let backend = backend::start(
            config.backend,
            BackendConfig {
                local_ip,
                ice_servers: config.ice_servers,
                audio: directions[0],
                video: directions[1],
                share: directions[2],
                ice_timeout: config.ice_timeout,
            },
        )?;
        let backend_events = backend
            .take_events()
            .ok_or_else(|| MediaError::Backend("the backend has no event channel".into()))?;
        let shared = Arc::new(Shared {
            events: EventHub::default(),
            remote_audio: RemoteAudioHub::default(),
            muted: AtomicBool::new(false),
            noise_reduction: noise_handle,
            status: Status::new(),
        });
        let (commands, command_receiver) = mpsc::channel(COMMANDS_QUEUE);
        let driver = Driver::new(
            Arc::clone(&shared),
            backend,
            config.munge,
            directions,
            sender,
            receiver,
            config.metrics,
        );
        tokio::spawn(driver.run(command_receiver, backend_events));
        Ok(MediaConnection { shared, commands })
    }

    /// Sends `command` (made with its reply channel) and waits for the reply.
    async fn request<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Result<T, MediaError> {
        let (reply, receiver) = oneshot::channel();
        self.commands
            .send(command(reply))
            .await
            .map_err(|_| MediaError::Closed)?;
        receiver.await.map_err(|_| MediaError::Closed)?
    }

    /// Starts (or queues, while one runs) a negotiation: a [`MediaEvent::Roap`] offer follows.
    /// Returns once the offer is emitted.
    ///
    /// # Errors
    ///
    /// [`MediaError::RoapState`] once the negotiation failed for good, an SDP or backend
    /// error when no offer could be made, [`MediaError::Closed`].
    pub async fn initiate_offer(&self) -> Result<(), MediaError> {
        self.request(Command::InitiateOffer).await
    }

    /// A ROAP message from Locus (the `/media` response's answer, or Mercury's
    /// `locus.message.roap`). Returns once it is handled: an answer checked and applied
    /// ([`MediaEvent::RoapDone`]), a retryable error answered with a new offer.
    ///
    /// # Errors
    ///
    /// [`MediaError::Sdp`] when the answer does not fit the offer, [`MediaError::Roap`] when
    /// the message ends the negotiation (an `ERROR`), [`MediaError::Closed`].
    pub async fn roap_message_received(&self, message: RoapMessage) -> Result<(), MediaError> {
        self.request(|reply| Command::RoapReceived(message, reply))
            .await
    }
    /// Waits until the current negotiation is done.
    ///
    /// # Errors
    ///
    /// [`MediaError::Roap`] when it fails (a remote error, the 35 s deadline),
    /// [`MediaError::Closed`].
    pub async fn negotiated(&self) -> Result<(), MediaError> {
        self.shared.status.negotiated().await
    }

    /// Waits until ICE and DTLS are connected.
    ///
    /// # Errors
    ///
    /// [`MediaError::IceFailed`] when the connection fails (or does not connect within the
    /// ICE timeout), [`MediaError::Closed`].
    pub async fn connected(&self) -> Result<(), MediaError> {
        self.shared.status.connected().await
    }

    /// Sets the local audio source; `None`: send nothing.
    pub async fn set_audio_source(&self, source: Option<Box<dyn AudioSource>>) {
        // A closed connection has nothing to send it on.
        let _ = self.commands.send(Command::SetAudioSource(source)).await;
    }

    /// Sets the local video source, sent on the main video m-line at its frame rate as
    /// H.264 (the m-line must send: `MediaConnectionConfig::video` with `send: true`, or
    /// `update_directions`); `None`: send nothing.
    ///
    /// # Errors
    ///
    /// [`MediaError::Video`] when the encoder cannot be set up, [`MediaError::Closed`] when
    /// the connection is closed.
    #[cfg(feature = "video")]
    pub async fn set_video_source(
        &self,
        source: Option<Box<dyn crate::video::VideoSource>>,
    ) -> Result<(), MediaError> {
        let (reply, result) = oneshot::channel();
        self.commands
            .send(Command::SetVideoSource(source, reply))
            .await
            .map_err(|_| MediaError::Closed)?;
        result.await.map_err(|_| MediaError::Closed)?
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
        let directions = [audio.direction(), video.direction(), share.direction()];
        self.request(|reply| Command::UpdateDirections(directions, reply))
            .await
    }

    /// Switches the noise reduction of local audio (off by default).
    pub fn noise_reduction(&self) -> NoiseReductionHandle {
        self.shared.noise_reduction.clone()
    }

    /// A new stream of the connection's events (the first stream also gets the events
    /// emitted before it). Keep reading it, or drop it: a full stream misses events (counted
    /// in [`MediaEvent::Lagged`]) except ROAP messages, which the connection waits to deliver.
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
        self.request(Command::Stats).await
    }

    /// Closes the connection: stops sending, closes the socket, ends the streams.
    pub async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.commands.send(Command::Close(reply)).await.is_ok() {
            // Dropped only if the task ended on its own: closed either way.
            let _ = done.await;
        }
    }

    /// The connection's state now.
    pub fn connection_state(&self) -> ConnectionState {
        self.shared.status.connection.borrow().state
    }
}
