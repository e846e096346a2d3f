//! What the backend's handle, the webrtc-rs event handler and the media tasks share: the
//! event channel, the connection flags and the per-m-line counters webrtc-rs does not keep.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use rtc::rtp_transceiver::RTCRtpReceiverId;
use std::sync::Arc;
use tokio::sync::{mpsc, watch};

use super::feedback::RemoteReports;

use crate::backend::BackendEvent;
use crate::stats::MediaKind;

/// The m-lines of every offer, in order.
pub(super) const LINES: [MediaKind; 3] = [MediaKind::Audio, MediaKind::Video, MediaKind::Share];

/// The position of `kind`'s m-line in [`LINES`].
pub(super) fn line_index(kind: MediaKind) -> usize {
    match kind {
        MediaKind::Audio => 0,
        MediaKind::Video => 1,
        MediaKind::Share => 2,
    }
}

/// State shared by the backend's parts.
#[derive(Debug)]
pub(super) struct Shared {
    /// Where events go (the connection takes the receiver).
    events: mpsc::Sender<BackendEvent>,
    /// ICE and DTLS are up: audio is sent only then.
    pub(super) connected: AtomicBool,
    /// `close` was called.
    pub(super) closed: AtomicBool,
    /// ICE gathering is complete (the offer then carries every candidate).
    pub(super) gathered: watch::Sender<bool>,
    /// The m-line each receiver belongs to, set when the transceivers are made.
    receivers: Mutex<Vec<(RTCRtpReceiverId, MediaKind)>>,
    /// Frames received per m-line: Opus packets on audio, complete frames on video.
    frames_received: [AtomicU64; 3],
    /// Opus frames handed to the sender task, and their bytes: the audio send statistics.
    /// webrtc-rs counts a packet only once its driver has taken it from its queue, which
    /// lags a just-sent frame; counting at hand-over keeps the statistics in step with
    /// what the connection sent (a muted connection's count stops at once).
    audio_sent: [AtomicU64; 2],
    /// The peer's reports about what we send.
    pub(super) reports: Arc<RemoteReports>,
}

impl Shared {
    /// Shared state reporting to `events`.
    pub(super) fn new(events: mpsc::Sender<BackendEvent>) -> Self {
        Shared {
            events,
            connected: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            gathered: watch::Sender::new(false),
            receivers: Mutex::new(Vec::new()),
            frames_received: Default::default(),
            audio_sent: Default::default(),
            reports: Arc::default(),
        }
    }

    /// Reports `event`; waits while the connection's queue is full (back-pressure on the
    /// media task, not a loss). Once the connection is gone there is nobody to tell.
    pub(super) async fn emit(&self, event: BackendEvent) {
        if self.events.send(event).await.is_err() {
            tracing::trace!("webrtc-rs backend event not delivered: the connection is gone");
        }
    }

    /// A sender of events, for parts that cannot await (the RTCP reader).
    pub(super) fn event_sender(&self) -> mpsc::Sender<BackendEvent> {
        self.events.clone()
    }

    /// Records which m-line `receiver` belongs to.
    pub(super) fn add_receiver(&self, receiver: RTCRtpReceiverId, kind: MediaKind) {
        self.receivers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((receiver, kind));
    }

    /// The m-line of `receiver`, if it is one of ours.
    pub(super) fn line_of(&self, receiver: RTCRtpReceiverId) -> Option<MediaKind> {
        self.receivers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(id, _)| *id == receiver)
            .map(|(_, kind)| *kind)
    }

    /// Counts one frame received on `kind`'s m-line.
    pub(super) fn count_received(&self, kind: MediaKind) {
        self.frames_received[line_index(kind)].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one Opus frame of `bytes` handed over for sending.
    pub(super) fn count_sent(&self, bytes: usize) {
        self.audio_sent[0].fetch_add(1, Ordering::Relaxed);
        self.audio_sent[1].fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Opus frames and bytes handed over for sending so far.
    pub(super) fn audio_sent(&self) -> (u64, u64) {
        (
            self.audio_sent[0].load(Ordering::Relaxed),
            self.audio_sent[1].load(Ordering::Relaxed),
        )
    }

    /// Frames received so far on `kind`'s m-line.
    pub(super) fn frames_received(&self, kind: MediaKind) -> u64 {
        self.frames_received[line_index(kind)].load(Ordering::Relaxed)
    }
}
