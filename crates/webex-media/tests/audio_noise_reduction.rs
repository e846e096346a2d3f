//! Noise reduction: off by default and transparent; switched on while frames flow, it takes
//! most of a steady background noise out once it has listened to it for a moment; switched
//! off again, it is transparent again.

use webex_media::audio::{AudioFrame, FRAME_SAMPLES, NoiseReduction};

/// Steady noise from a fixed seed at an RMS of about `rms` (a quiet background is 300 to
/// 1000): white, or low-passed like the hum of a fan when `pole` is near 1.
struct Noise {
    rng: fastrand::Rng,
    pole: f64,
    /// Keeps the RMS the same whatever the filter.
    gain: f64,
    peak: f64,
    filtered: f64,
}

impl Noise {
    fn new(seed: u64, rms: f64, pole: f64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            pole,
            gain: (1.0 - pole * pole).sqrt() / (1.0 - pole),
            // A uniform distribution's RMS is its peak over √3.
            peak: rms * 3.0_f64.sqrt(),
            filtered: 0.0,
        }
    }

    fn frame(&mut self) -> AudioFrame {
        let samples = (0..FRAME_SAMPLES)
            .map(|_| {
                let white = (self.rng.f64() * 2.0 - 1.0) * self.peak;
                self.filtered = self.pole * self.filtered + (1.0 - self.pole) * white;
                (self.filtered * self.gain) as i16
            })
            .collect();
        AudioFrame { samples }
    }
}

fn energy(samples: &[i16]) -> f64 {
    samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum()
}

/// `frames` frames of `noise` through `noise_reduction`: the output's RMS over the input's.
fn level_ratio(noise_reduction: &mut NoiseReduction, noise: &mut Noise, frames: usize) -> f64 {
    let (mut input, mut output) = (0.0, 0.0);
    for _ in 0..frames {
        let mut frame = noise.frame();
        input += energy(&frame.samples);
        noise_reduction.process(&mut frame);
        assert_eq!(frame.samples.len(), FRAME_SAMPLES);
        output += energy(&frame.samples);
    }
    (output / input).sqrt()
}

/// Frames RNNoise listens to a new noise before it is measured (2 s).
const SETTLE: usize = 100;

#[test]
fn noise_is_cut_when_on_and_untouched_when_off_switched_while_running() {
    let mut fan = Noise::new(9, 600.0, 0.9);
    let (mut noise_reduction, handle) = NoiseReduction::new();
    assert!(!handle.is_enabled(), "off by default");

    // Off: bit for bit what went in.
    for _ in 0..25 {
        let mut frame = fan.frame();
        let original = frame.clone();
        noise_reduction.process(&mut frame);
        assert_eq!(frame, original);
    }

    // On, through a clone of the handle, between two frames.
    handle.clone().set_enabled(true);
    assert!(handle.is_enabled());
    level_ratio(&mut noise_reduction, &mut fan, SETTLE);
    let ratio = level_ratio(&mut noise_reduction, &mut fan, 100);
    assert!(
        ratio < 0.1,
        "the noise should drop by 20 dB or more, it kept {ratio} of its level"
    );

    // Off again: transparent again, at once.
    handle.set_enabled(false);
    for _ in 0..25 {
        let mut frame = fan.frame();
        let original = frame.clone();
        noise_reduction.process(&mut frame);
        assert_eq!(frame, original);
    }
}

#[test]
fn quiet_white_noise_is_lowered() {
    let mut hiss = Noise::new(4, 600.0, 0.0);
    let (mut noise_reduction, handle) = NoiseReduction::new();
    handle.set_enabled(true);
    level_ratio(&mut noise_reduction, &mut hiss, SETTLE);
    let ratio = level_ratio(&mut noise_reduction, &mut hiss, 150);
    // RNNoise takes broadband hiss partly for unvoiced speech, so it cuts less than a hum.
    assert!(ratio < 0.5, "white noise kept {ratio} of its level");
}

#[test]
fn silence_stays_silence_when_on() {
    let (mut noise_reduction, handle) = NoiseReduction::new();
    handle.set_enabled(true);
    for _ in 0..10 {
        let mut frame = AudioFrame::silence();
        noise_reduction.process(&mut frame);
        assert_eq!(frame, AudioFrame::silence());
    }
}
