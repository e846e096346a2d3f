//! Noise reduction on local audio: the JS SDK's noise reduction effect, on RNNoise.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use nnnoiseless::DenoiseState;

use super::AudioFrame;

/// Removes background noise from local audio before it is encoded: the JS SDK's noise
/// reduction effect, built on [`nnnoiseless`] (a Rust port of RNNoise).
///
/// | JS SDK | here |
/// |---|---|
/// | `webex.meetings.createNoiseReductionEffect(options)` | [`NoiseReduction::new`] (a connection makes one; `MediaConnection::noise_reduction()` hands out its handle) |
/// | `effect.enable()` / `effect.disable()` | [`NoiseReductionHandle::set_enabled`] `(true)` / `(false)` |
/// | `effect.isEnabled` | [`NoiseReductionHandle::is_enabled`] |
///
/// Off by default, like the JS effect until enabled; switching takes effect at the next
/// frame, while the call runs. When on, RNNoise delays the audio by 10 ms. When off, frames
/// pass untouched and cost nothing.
///
/// ```
/// use webex_media::audio::{AudioFrame, NoiseReduction};
///
/// let (mut noise_reduction, handle) = NoiseReduction::new();
/// assert!(!handle.is_enabled());
/// handle.set_enabled(true); // from any thread, while frames flow
/// let mut frame = AudioFrame::silence();
/// noise_reduction.process(&mut frame);
/// assert_eq!(frame, AudioFrame::silence());
/// ```
pub struct NoiseReduction {
    enabled: Arc<AtomicBool>,
    /// RNNoise's state; made when first enabled, and again after each time it was off, so
    /// that audio from before a pause does not shape the gains after it.
    denoiser: Option<Box<DenoiseState<'static>>>,
    input: [f32; DenoiseState::FRAME_SIZE],
    output: [f32; DenoiseState::FRAME_SIZE],
}

impl std::fmt::Debug for NoiseReduction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoiseReduction")
            .field("enabled", &self.enabled.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Switches a [`NoiseReduction`] on and off from anywhere, while it runs (cheap to clone).
#[derive(Clone, Debug, Default)]
pub struct NoiseReductionHandle {
    enabled: Arc<AtomicBool>,
}

impl NoiseReductionHandle {
    /// Turns noise reduction on or off, from the next frame on (the JS effect's `enable()` and
    /// `disable()`).
    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Whether noise reduction is on (the JS effect's `isEnabled`).
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }
}

impl NoiseReduction {
    /// A noise reduction stage, off, and the handle that switches it.
    pub fn new() -> (Self, NoiseReductionHandle) {
        let handle = NoiseReductionHandle::default();
        let stage = Self {
            enabled: Arc::clone(&handle.enabled),
            denoiser: None,
            input: [0.0; DenoiseState::FRAME_SIZE],
            output: [0.0; DenoiseState::FRAME_SIZE],
        };
        (stage, handle)
    }

    /// Removes noise from `frame` in place when on; leaves it untouched when off.
    ///
    /// RNNoise takes 10 ms (480 samples) at a time: a 20 ms frame is two of those. A frame of
    /// another length is processed in 10 ms pieces and a shorter tail left as it is.
    pub fn process(&mut self, frame: &mut AudioFrame) {
        if !self.enabled.load(Ordering::Relaxed) {
            self.denoiser = None;
            return;
        }
        let denoiser = self.denoiser.get_or_insert_with(DenoiseState::new);
        for chunk in frame.samples.chunks_exact_mut(DenoiseState::FRAME_SIZE) {
            // RNNoise works on f32 in the i16 range, not -1..1.
            for (input, &sample) in self.input.iter_mut().zip(chunk.iter()) {
                *input = f32::from(sample);
            }
            denoiser.process_frame(&mut self.output, &self.input);
            for (sample, &output) in chunk.iter_mut().zip(self.output.iter()) {
                // `as` saturates at the i16 range.
                *sample = output.round() as i16;
            }
        }
    }
}
