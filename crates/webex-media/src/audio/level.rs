//! How strong one frequency is in a block of samples (the Goertzel algorithm).

use std::f64::consts::TAU;

use super::SAMPLE_RATE;

/// The power of `frequency_hz` in `samples` (48 kHz), normalised so that a full-scale sine at
/// that frequency gives 1.0 and silence 0.0; a sine of amplitude `a` (0..=1) gives about
/// `a * a`. The result is clamped to `0.0..=1.0`.
///
/// A Hann window limits the leakage from other frequencies, so a 1 kHz tone measures near
/// zero at 700 Hz over a block of 20 ms or more. Meant for tests and examples that check what
/// was heard by frequency rather than by bytes:
///
/// ```
/// use webex_media::audio::{tone_level, AudioSource, ToneSource};
///
/// let samples = ToneSource::new(1000.0, 1.0).next_frame().unwrap().samples;
/// assert!(tone_level(&samples, 1000.0) > 0.95);
/// assert!(tone_level(&samples, 700.0) < 0.001);
/// assert_eq!(tone_level(&[], 1000.0), 0.0);
/// ```
pub fn tone_level(samples: &[i16], frequency_hz: f32) -> f32 {
    if samples.len() < 2 || !frequency_hz.is_finite() {
        return 0.0;
    }
    let omega = TAU * f64::from(frequency_hz) / f64::from(SAMPLE_RATE);
    let coefficient = 2.0 * omega.cos();
    let last = (samples.len() - 1) as f64;
    let (mut s1, mut s2, mut window_sum) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (n, &sample) in samples.iter().enumerate() {
        let window = 0.5 - 0.5 * (TAU * n as f64 / last).cos();
        window_sum += window;
        let x = window * f64::from(sample) / 32768.0;
        let s0 = x + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    // A windowed sine of amplitude `a` has |X| = a * window_sum / 2.
    let amplitude = 2.0 * power.max(0.0).sqrt() / window_sum;
    (amplitude * amplitude).clamp(0.0, 1.0) as f32
}
