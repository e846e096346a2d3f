//! Local and remote audio: 20 ms frames of 48 kHz mono PCM, their sources, Opus and noise
//! reduction. (Placeholder of the interface the connection uses; the audio module proper
//! replaces this file.)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The sample rate of every frame, Hz (mono).
pub const SAMPLE_RATE: u32 = 48_000;
/// The duration of one frame.
pub const FRAME_DURATION: Duration = Duration::from_millis(20);
/// The samples in one frame.
pub const FRAME_SAMPLES: usize = 960;

/// 20 ms of mono 48 kHz PCM.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioFrame {
    /// [`FRAME_SAMPLES`] samples.
    pub samples: Vec<i16>,
}

/// A local audio source, pulled once per 20 ms by the sender.
pub trait AudioSource: Send + 'static {
    /// The next frame; `None` when the source ended.
    fn next_frame(&mut self) -> Option<AudioFrame>;
}

/// Switches a running noise reduction on and off.
#[derive(Clone, Debug, Default)]
pub struct NoiseReductionHandle {
    enabled: Arc<AtomicBool>,
}

impl NoiseReductionHandle {
    /// Turns the noise reduction on or off.
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Whether the noise reduction is on.
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }
}
