//! The webrtc-rs backend (feature `webrtc`): a webrtc-rs 0.21 peer connection (its own
//! driver task owns the UDP socket) with the audio, video and share transceivers.
//!
//! webrtc-rs builds its connection asynchronously while [`start`] is not: the build runs in
//! a task the first asynchronous call waits for. Received media is read by one task per
//! remote track (`receive.rs`), audio is written by a sender task fed by `send_audio`
//! (`send.rs`), and the offer is completed for Locus in `offer.rs`.

mod feedback;
mod handler;
mod offer;
mod peer;
mod receive;
mod send;
mod shared;
mod stats;

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use tokio::task::JoinHandle;
use webrtc::peer_connection::{RTCSessionDescription, StatsSelector};

use self::peer::Peer;
use self::shared::Shared;
use super::{BackendConfig, BackendEvent, Direction, WebRtcBackend};
use crate::error::MediaError;
use crate::stats::StreamStats;

/// How many events may wait for the connection.
const EVENT_QUEUE: usize = 256;
/// How long an offer waits for ICE gathering (host candidates are immediate; STUN and TURN
/// servers may be slow); after it, the offer carries the candidates gathered so far.
const GATHERING_TIMEOUT: Duration = Duration::from_secs(5);

/// Starts a webrtc-rs connection (within a Tokio runtime).
///
/// # Errors
///
/// [`MediaError::Io`] when no UDP socket can be bound on the local address: probed here,
/// since webrtc-rs binds its own socket only in the build task.
pub(crate) fn start(config: BackendConfig) -> Result<Box<dyn WebRtcBackend>, MediaError> {
    drop(std::net::UdpSocket::bind((config.local_ip, 0))?);
    let (events_tx, events_rx) = mpsc::channel(EVENT_QUEUE);
    let (audio_tx, audio_rx) = mpsc::channel(send::AUDIO_QUEUE);
    let (video_tx, video_rx) = mpsc::channel(send::VIDEO_QUEUE);
    let shared = Arc::new(Shared::new(events_tx));
    let ice_timeout = config.ice_timeout;
    let opening = tokio::spawn({
        let shared = Arc::clone(&shared);
        async move {
            let (peer, audio, video) = peer::open(&config, &shared).await?;
            let opus_payload_type = Arc::clone(&audio.payload_type);
            let h264_payload_type = Arc::clone(&video.payload_type);
            let tasks = vec![
                tokio::spawn(send::run(audio, audio_rx)),
                tokio::spawn(send::run_video(video, video_rx)),
            ];
            Ok(Opened {
                peer,
                opus_payload_type,
                h264_payload_type,
                tasks,
            })
        }
    });
    Ok(Box::new(WebrtcRsBackend {
        shared,
        events: Mutex::new(Some(events_rx)),
        audio: audio_tx,
        video: video_tx,
        peer: tokio::sync::Mutex::new(Slot::Opening(opening)),
        ice_timeout,
    }))
}

/// A peer connection and the tasks serving it.
struct Opened {
    /// The connection.
    peer: Peer,
    /// The Opus payload type the sender task writes (the answer's).
    opus_payload_type: Arc<AtomicU8>,
    /// The H.264 payload type the video sender task writes (the answer's).
    h264_payload_type: Arc<AtomicU8>,
    /// The audio and video senders (ended on close).
    tasks: Vec<JoinHandle<()>>,
}

/// The peer connection, while and after it is built.
enum Slot {
    /// Being built.
    Opening(JoinHandle<Result<Opened, MediaError>>),
    /// Built.
    Open(Arc<Opened>),
    /// Could not be built (why), or closed.
    Failed(String),
}

/// The webrtc-rs backend's handle.
struct WebrtcRsBackend {
    /// Shared with the handler and the tasks.
    shared: Arc<Shared>,
    /// Taken once by the connection.
    events: Mutex<Option<mpsc::Receiver<BackendEvent>>>,
    /// Opus frames for the sender task.
    audio: mpsc::Sender<Vec<u8>>,
    /// H.264 access units and their RTP timestamps for the video sender task.
    video: mpsc::Sender<(Vec<u8>, u32)>,
    /// The connection.
    peer: tokio::sync::Mutex<Slot>,
    /// How long ICE may take after an answer before the backend reports failure.
    ice_timeout: Duration,
}

impl WebrtcRsBackend {
    /// The open connection, waiting for it to be built the first time.
    async fn opened(&self) -> Result<Arc<Opened>, MediaError> {
        let mut slot = self.peer.lock().await;
        if let Slot::Opening(opening) = &mut *slot {
            *slot = match opening.await {
                Ok(Ok(opened)) => Slot::Open(Arc::new(opened)),
                Ok(Err(MediaError::Backend(why))) => Slot::Failed(why),
                Ok(Err(error)) => Slot::Failed(error.to_string()),
                Err(error) => Slot::Failed(format!("webrtc-rs connection setup ended: {error}")),
            };
        }
        match &*slot {
            Slot::Open(opened) => Ok(Arc::clone(opened)),
            Slot::Failed(_) if self.shared.closed.load(Ordering::Acquire) => {
                Err(MediaError::Closed)
            }
            Slot::Failed(why) => Err(MediaError::Backend(why.clone())),
            Slot::Opening(_) => Err(MediaError::Backend("webrtc-rs connection not built".into())),
        }
    }

    /// Reports a failure unless ICE connects within `ice_timeout`.
    fn watch_ice(&self) {
        if self.shared.connected.load(Ordering::Acquire) {
            return;
        }
        let shared = Arc::clone(&self.shared);
        let timeout = self.ice_timeout;
        tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            if !shared.connected.load(Ordering::Acquire) && !shared.closed.load(Ordering::Acquire) {
                let why = format!("ICE did not connect within {timeout:?}");
                shared.emit(BackendEvent::Failed(why)).await;
            }
        });
    }
}

/// webrtc-rs's error as ours.
fn backend_error(error: webrtc::error::Error) -> MediaError {
    MediaError::Backend(format!("webrtc-rs: {error}"))
}

#[async_trait]
impl WebRtcBackend for WebrtcRsBackend {
    async fn create_offer(&self) -> Result<String, MediaError> {
        let opened = self.opened().await?;
        let connection = &opened.peer.connection;
        let offer = connection.create_offer(None).await.map_err(backend_error)?;
        connection
            .set_local_description(offer)
            .await
            .map_err(backend_error)?;
        let mut gathered = self.shared.gathered.subscribe();
        if tokio::time::timeout(GATHERING_TIMEOUT, gathered.wait_for(|done| *done))
            .await
            .is_err()
        {
            tracing::debug!("ICE gathering incomplete; offering the candidates gathered so far");
        }
        let local = connection
            .local_description()
            .await
            .ok_or_else(|| MediaError::Backend("webrtc-rs has no local description".into()))?;
        Ok(offer::complete(&local.sdp)?)
    }

    async fn apply_answer(&self, sdp: &str) -> Result<(), MediaError> {
        let opened = self.opened().await?;
        let answer = RTCSessionDescription::answer(sdp.to_owned()).map_err(backend_error)?;
        opened
            .peer
            .connection
            .set_remote_description(answer)
            .await
            .map_err(backend_error)?;
        if let Some(negotiated) = opened.peer.opus_payload_type().await {
            opened
                .opus_payload_type
                .store(negotiated, Ordering::Relaxed);
        }
        if let Some(negotiated) = opened.peer.h264_payload_type().await {
            opened
                .h264_payload_type
                .store(negotiated, Ordering::Relaxed);
        }
        self.watch_ice();
        Ok(())
    }

    async fn set_directions(
        &self,
        audio: Direction,
        video: Direction,
        share: Direction,
    ) -> Result<(), MediaError> {
        let opened = self.opened().await?;
        opened.peer.set_directions([audio, video, share]).await
    }

    fn send_audio(&self, opus: &[u8]) -> Result<(), MediaError> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(MediaError::Closed);
        }
        if !self.shared.connected.load(Ordering::Acquire) {
            return Ok(());
        }
        match self.audio.try_send(opus.to_vec()) {
            Ok(()) => {
                self.shared.count_sent(opus.len());
                Ok(())
            }
            Err(TrySendError::Full(_)) => Err(MediaError::Backend(
                "webrtc-rs audio queue full: the sender is not keeping up".into(),
            )),
            Err(TrySendError::Closed(_)) => Err(MediaError::Closed),
        }
    }

    fn send_video(&self, access_unit: &[u8], rtp_time: u32) -> Result<(), MediaError> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(MediaError::Closed);
        }
        if !self.shared.connected.load(Ordering::Acquire) {
            return Ok(());
        }
        match self.video.try_send((access_unit.to_vec(), rtp_time)) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(MediaError::Backend(
                "webrtc-rs video queue full: the sender is not keeping up".into(),
            )),
            Err(TrySendError::Closed(_)) => Err(MediaError::Closed),
        }
    }

    fn take_events(&self) -> Option<mpsc::Receiver<BackendEvent>> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    async fn stats(&self) -> Result<Vec<StreamStats>, MediaError> {
        let opened = self.opened().await?;
        let mut mids = Vec::new();
        for transceiver in &opened.peer.transceivers {
            mids.push(transceiver.mid().await.map_err(backend_error)?);
        }
        let report = opened
            .peer
            .connection
            .get_stats(Instant::now(), StatsSelector::None)
            .await;
        Ok(stats::streams(&report, &mids, &self.shared))
    }

    async fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.connected.store(false, Ordering::Release);
        let mut slot = self.peer.lock().await;
        std::mem::replace(&mut *slot, Slot::Failed("closed".into()))
            .close()
            .await;
    }
}

impl Slot {
    /// Closes the connection, once built.
    async fn close(self) {
        let opened = match self {
            Slot::Open(opened) => Some(opened),
            Slot::Opening(opening) => opening.await.ok().and_then(Result::ok).map(Arc::new),
            Slot::Failed(_) => None,
        };
        if let Some(opened) = opened {
            opened.close().await;
        }
    }
}

impl Opened {
    /// Ends the tasks and closes the connection (its socket with it).
    async fn close(&self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Err(error) = self.peer.connection.close().await {
            tracing::debug!(%error, "webrtc-rs close failed");
        }
    }
}

impl Drop for WebrtcRsBackend {
    /// A backend dropped without `close` still frees its socket: the close runs on the
    /// runtime, if one is left.
    fn drop(&mut self) {
        if self.shared.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let slot = std::mem::replace(self.peer.get_mut(), Slot::Failed("dropped".into()));
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(slot.close());
    }
}

#[cfg(test)]
mod tests;
