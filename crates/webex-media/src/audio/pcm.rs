//! A channel of PCM frames, for applications that make their own audio.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use super::{AudioError, AudioFrame, AudioSource};

/// A channel of 20 ms frames from the application to a connection: the application sends
/// through the [`PcmSender`], the connection pulls from the [`PcmSource`] every 20 ms.
///
/// `capacity` frames (at least one) wait in the channel: a sender that runs ahead waits when
/// it is full (backpressure), and a sender that falls behind never holds up the connection,
/// whose source gives silence for each frame that was not there in time (counted by
/// [`PcmSender::late_frames`]). The source ends once every sender is dropped and the frames
/// sent before are taken.
///
/// ```
/// use webex_media::audio::{pcm_channel, AudioFrame, AudioSource};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), webex_media::audio::AudioError> {
/// let (sender, mut source) = pcm_channel(5); // 100 ms of buffer
/// let frame = AudioFrame { samples: vec![1000; 960] };
/// sender.send(frame.clone()).await?;
/// assert_eq!(source.next_frame(), Some(frame));
/// assert_eq!(source.next_frame(), Some(AudioFrame::silence())); // the app was late
/// assert_eq!(sender.late_frames(), 1);
/// drop(sender);
/// assert_eq!(source.next_frame(), None); // ended
/// # Ok(()) }
/// ```
pub fn pcm_channel(capacity: usize) -> (PcmSender, PcmSource) {
    let (frames, receiver) = mpsc::channel(capacity.max(1));
    let late_frames = Arc::new(AtomicU64::new(0));
    let sender = PcmSender {
        frames,
        late_frames: Arc::clone(&late_frames),
    };
    let source = PcmSource {
        receiver,
        late_frames,
    };
    (sender, source)
}

/// The application's end of a [`pcm_channel`] (cheap to clone).
#[derive(Clone, Debug)]
pub struct PcmSender {
    frames: mpsc::Sender<AudioFrame>,
    late_frames: Arc<AtomicU64>,
}

impl PcmSender {
    /// Queues one 20 ms frame, waiting while the channel is full.
    ///
    /// [`AudioError::FrameLength`] if the frame does not hold 960 samples,
    /// [`AudioError::PcmClosed`] once the [`PcmSource`] is dropped (the connection closed or
    /// took another source).
    pub async fn send(&self, frame: AudioFrame) -> Result<(), AudioError> {
        frame.check_length()?;
        self.frames
            .send(frame)
            .await
            .map_err(|_| AudioError::PcmClosed)
    }

    /// How many frames the source filled with silence because no frame had been sent in
    /// time.
    pub fn late_frames(&self) -> u64 {
        self.late_frames.load(Ordering::Relaxed)
    }
}

/// The connection's end of a [`pcm_channel`]: an [`AudioSource`] that never waits.
#[derive(Debug)]
pub struct PcmSource {
    receiver: mpsc::Receiver<AudioFrame>,
    late_frames: Arc<AtomicU64>,
}

impl AudioSource for PcmSource {
    fn next_frame(&mut self) -> Option<AudioFrame> {
        match self.receiver.try_recv() {
            Ok(frame) => Some(frame),
            Err(mpsc::error::TryRecvError::Empty) => {
                self.late_frames.fetch_add(1, Ordering::Relaxed);
                Some(AudioFrame::silence())
            }
            Err(mpsc::error::TryRecvError::Disconnected) => None,
        }
    }
}
