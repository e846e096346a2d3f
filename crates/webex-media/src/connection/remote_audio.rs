//! Decoded remote audio as a [`Stream`]: every subscriber gets its own bounded queue; frames
//! that do not fit are counted and reported as a [`MediaLag`] item, never dropped silently.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures::Stream;
use thiserror::Error;
use tokio::sync::mpsc;

use crate::audio::AudioFrame;

/// How many frames (20 ms each: one second) a [`RemoteAudio`] stream holds.
const REMOTE_AUDIO_CAPACITY: usize = 50;

/// A [`RemoteAudio`] consumer was too slow: this many frames were dropped before the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("remote audio consumer too slow: {frames} frames (20 ms each) dropped")]
pub struct MediaLag {
    /// Frames dropped.
    pub frames: u64,
}

/// The decoded remote audio (20 ms frames, lost packets concealed); ends when the
/// connection closes.
#[derive(Debug)]
pub struct RemoteAudio {
    receiver: mpsc::Receiver<AudioFrame>,
    dropped: Arc<AtomicU64>,
}

impl Stream for RemoteAudio {
    type Item = Result<AudioFrame, MediaLag>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let frames = this.dropped.swap(0, Ordering::Relaxed);
        if frames > 0 {
            return Poll::Ready(Some(Err(MediaLag { frames })));
        }
        this.receiver.poll_recv(cx).map(|frame| frame.map(Ok))
    }
}

#[derive(Debug)]
struct Listener {
    sender: mpsc::Sender<AudioFrame>,
    dropped: Arc<AtomicU64>,
}

/// Fans decoded frames out to the [`RemoteAudio`] streams.
#[derive(Debug, Default)]
pub(crate) struct RemoteAudioHub {
    listeners: Mutex<Vec<Listener>>,
}

impl RemoteAudioHub {
    /// A new stream of the frames decoded from now on.
    pub(crate) fn subscribe(&self) -> RemoteAudio {
        let (sender, receiver) = mpsc::channel(REMOTE_AUDIO_CAPACITY);
        let dropped = Arc::new(AtomicU64::new(0));
        crate::lock(&self.listeners).push(Listener {
            sender,
            dropped: Arc::clone(&dropped),
        });
        RemoteAudio { receiver, dropped }
    }

    /// Whether anyone listens (decoding is skipped otherwise).
    pub(crate) fn has_listeners(&self) -> bool {
        let mut listeners = crate::lock(&self.listeners);
        listeners.retain(|l| !l.sender.is_closed());
        !listeners.is_empty()
    }

    /// Delivers `frame`; a full stream counts it as dropped.
    pub(crate) fn deliver(&self, frame: &AudioFrame) {
        crate::lock(&self.listeners).retain(|listener| {
            match listener.sender.try_send(frame.clone()) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    listener.dropped.fetch_add(1, Ordering::Relaxed);
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
    }

    /// Ends every stream.
    pub(crate) fn close(&self) {
        crate::lock(&self.listeners).clear();
    }
}
