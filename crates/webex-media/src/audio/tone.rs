//! A sine tone generator, the simplest local source.

use std::f64::consts::TAU;

use super::{AudioFrame, AudioSource, FRAME_SAMPLES, SAMPLE_RATE};

/// A sine tone that never ends, phase-continuous across frames (no click every 20 ms).
///
/// ```
/// use webex_media::audio::{tone_level, AudioSource, ToneSource};
///
/// let mut tone = ToneSource::new(1000.0, 0.5);
/// let frame = tone.next_frame().expect("a tone never ends");
/// assert!((tone_level(&frame.samples, 1000.0) - 0.25).abs() < 0.01);
/// ```
#[derive(Clone, Debug)]
pub struct ToneSource {
    /// Phase advance per sample, in radians.
    step: f64,
    /// Peak value, in sample units.
    peak: f64,
    /// Phase of the next sample, in `0..TAU`.
    phase: f64,
}

impl ToneSource {
    /// A tone of `frequency_hz` at `amplitude` (0 = silence, 1 = full scale; clamped to that
    /// range). A frequency that is not finite gives silence.
    pub fn new(frequency_hz: f32, amplitude: f32) -> Self {
        let frequency = if frequency_hz.is_finite() {
            f64::from(frequency_hz)
        } else {
            0.0
        };
        let amplitude = if amplitude.is_finite() {
            f64::from(amplitude.clamp(0.0, 1.0))
        } else {
            0.0
        };
        Self {
            step: TAU * frequency / f64::from(SAMPLE_RATE),
            peak: amplitude * f64::from(i16::MAX),
            phase: 0.0,
        }
    }
}

impl AudioSource for ToneSource {
    fn next_frame(&mut self) -> Option<AudioFrame> {
        let samples = (0..FRAME_SAMPLES)
            .map(|_| {
                let sample = self.peak * self.phase.sin();
                self.phase = (self.phase + self.step).rem_euclid(TAU);
                // `peak` is at most i16::MAX, so the cast never saturates.
                sample.round() as i16
            })
            .collect();
        Some(AudioFrame { samples })
    }
}
