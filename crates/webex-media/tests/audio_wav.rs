//! WAV files in and out: any rate, channel count and sample format plays as 48 kHz mono with
//! its tones at the right frequency; recordings play back as written; bad files are typed
//! errors with the path.

use std::f64::consts::TAU;
use std::path::{Path, PathBuf};

use webex_media::audio::{
    AudioError, AudioFrame, AudioSource, FRAME_SAMPLES, SAMPLE_RATE, ToneSource, WavSource,
    WavWriter, tone_level,
};

/// A scratch directory removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("webex-audio-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// A sine of `frequency` Hz and `amplitude` (0..=1) at sample `n` of a `rate` Hz signal.
fn sine(frequency: f64, amplitude: f64, rate: u32, n: usize) -> f64 {
    amplitude * (TAU * frequency * n as f64 / f64::from(rate)).sin()
}

/// Writes `seconds` of audio with `hound`: channel `c` of frame `n` is `signal(c, n)` in
/// -1..1, stored in the given format.
fn write_wav(
    path: &Path,
    rate: u32,
    channels: u16,
    bits: u16,
    float: bool,
    frames: usize,
    signal: impl Fn(u16, usize) -> f64,
) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    let full_scale = f64::from(1_u32 << (bits - 1)) - 1.0;
    for n in 0..frames {
        for channel in 0..channels {
            let value = signal(channel, n);
            match (float, bits) {
                (true, _) => writer.write_sample(value as f32).unwrap(),
                (false, 8) => writer.write_sample((value * full_scale) as i8).unwrap(),
                (false, 16) => writer.write_sample((value * full_scale) as i16).unwrap(),
                (false, _) => writer.write_sample((value * full_scale) as i32).unwrap(),
            }
        }
    }
    writer.finalize().unwrap();
}

/// Everything a source gives until it ends, checking every frame is 20 ms.
fn play_all(source: &mut WavSource) -> Vec<i16> {
    let mut samples = Vec::new();
    while let Some(frame) = source.next_frame() {
        assert_eq!(frame.samples.len(), FRAME_SAMPLES);
        samples.extend(frame.samples);
    }
    samples
}

#[test]
fn a_44_1_khz_stereo_file_plays_as_48_khz_mono_and_round_trips_through_the_writer() {
    let scratch = Scratch::new("stereo");
    let input = scratch.path("stereo-44100.wav");
    // One second: 1 kHz on the left, 2.5 kHz on the right.
    write_wav(&input, 44_100, 2, 16, false, 44_100, |channel, n| {
        let frequency = if channel == 0 { 1000.0 } else { 2500.0 };
        sine(frequency, 0.6, 44_100, n)
    });

    let played = play_all(&mut WavSource::open(&input, false).unwrap());
    // One second at 48 kHz, the last frame padded.
    assert_eq!(
        played.len(),
        48_000_usize.div_ceil(FRAME_SAMPLES) * FRAME_SAMPLES
    );
    let body = &played[4800..43_200];
    // Mixed down: each channel at half its amplitude, so power 0.3² = 0.09.
    for frequency in [1000.0, 2500.0] {
        let level = tone_level(body, frequency);
        assert!((0.07..=0.11).contains(&level), "{frequency} Hz: {level}");
    }
    assert!(tone_level(body, 1700.0) < 0.0001);

    // Recorded as 48 kHz mono and played back: the same samples.
    let recording = scratch.path("recording.wav");
    let mut writer = WavWriter::create(&recording).unwrap();
    for frame in played.chunks(FRAME_SAMPLES) {
        writer
            .write(&AudioFrame {
                samples: frame.to_vec(),
            })
            .unwrap();
    }
    writer.finalize().unwrap();
    let spec = hound::WavReader::open(&recording).unwrap().spec();
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (SAMPLE_RATE, 1, 16)
    );
    assert_eq!(
        play_all(&mut WavSource::open(&recording, false).unwrap()),
        played
    );
}

#[test]
fn a_48_khz_mono_recording_plays_back_sample_for_sample() {
    let scratch = Scratch::new("mono");
    let path = scratch.path("tone.wav");
    let mut tone = ToneSource::new(440.0, 0.4);
    let frames: Vec<AudioFrame> = (0..25).map(|_| tone.next_frame().unwrap()).collect();
    {
        // Finalized on drop.
        let mut writer = WavWriter::create(&path).unwrap();
        for frame in &frames {
            writer.write(frame).unwrap();
        }
    }
    let mut source = WavSource::open(&path, false).unwrap();
    for frame in &frames {
        assert_eq!(source.next_frame().as_ref(), Some(frame));
    }
    assert_eq!(source.next_frame(), None);
}

#[test]
fn resampling_keeps_a_tones_frequency_from_any_rate_and_sample_format() {
    let scratch = Scratch::new("formats");
    // (rate, channels, bits, float)
    let formats = [
        (8_000, 1, 16, false),
        (16_000, 1, 16, false),
        (22_050, 2, 8, false),
        (44_100, 1, 24, false),
        (32_000, 3, 32, false),
        (96_000, 2, 32, true),
        (48_000, 2, 16, false),
    ];
    for (rate, channels, bits, float) in formats {
        let path = scratch.path(&format!("{rate}-{channels}-{bits}-{float}.wav"));
        let seconds = 0.5;
        let frames = (f64::from(rate) * seconds) as usize;
        write_wav(&path, rate, channels, bits, float, frames, |_, n| {
            sine(1000.0, 0.5, rate, n)
        });
        let played = play_all(&mut WavSource::open(&path, false).unwrap());
        let expected_len = (48_000.0 * seconds) as usize;
        assert!(
            played.len() >= expected_len && played.len() < expected_len + FRAME_SAMPLES,
            "{rate} Hz: {} samples",
            played.len()
        );
        let body = &played[2400..expected_len - 2400];
        let at_1000 = tone_level(body, 1000.0);
        // Played at 48 kHz without resampling, 1 kHz at `rate` would sound at this frequency.
        let unresampled = 1000.0 * 48_000.0 / rate as f32;
        assert!(
            (0.2..=0.3).contains(&at_1000),
            "{rate} Hz {bits} bits: {at_1000}"
        );
        if rate != 48_000 {
            let wrong = tone_level(body, unresampled);
            assert!(at_1000 > 1000.0 * wrong, "{rate} Hz: {at_1000} vs {wrong}");
        }
        assert!(tone_level(body, 700.0) < 0.001, "{rate} Hz");
    }
}

#[test]
fn a_looping_file_starts_over_without_a_gap_and_a_plain_one_ends() {
    let scratch = Scratch::new("loop");
    let path = scratch.path("ramp.wav");
    // 1500 samples (31.25 ms) of a ramp 1, 2, 3, ... at 48 kHz.
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&path, spec).unwrap();
    for n in 1..=1500_i16 {
        writer.write_sample(n).unwrap();
    }
    writer.finalize().unwrap();

    let mut looping = WavSource::open(&path, true).unwrap();
    let played: Vec<i16> = (0..10)
        .flat_map(|_| looping.next_frame().unwrap().samples)
        .collect();
    let expected: Vec<i16> = (1..=1500).cycle().take(10 * FRAME_SAMPLES).collect();
    assert_eq!(played, expected);

    let mut once = WavSource::open(&path, false).unwrap();
    let first = once.next_frame().unwrap().samples;
    let second = once.next_frame().unwrap().samples;
    assert_eq!(first, (1..=960).collect::<Vec<i16>>());
    assert_eq!(second[..540], (961..=1500).collect::<Vec<i16>>());
    assert!(second[540..].iter().all(|&sample| sample == 0));
    assert_eq!(once.next_frame(), None);
    assert_eq!(once.next_frame(), None);
}

#[test]
fn missing_invalid_and_empty_files_are_typed_errors_with_the_path() {
    let scratch = Scratch::new("bad");

    let missing = scratch.path("missing.wav");
    let error = WavSource::open(&missing, true).unwrap_err();
    assert!(matches!(error, AudioError::WavRead { ref path, .. } if *path == missing));
    assert!(error.to_string().contains("missing.wav"), "{error}");

    let invalid = scratch.path("invalid.wav");
    std::fs::write(&invalid, b"this is not a RIFF file at all").unwrap();
    let error = WavSource::open(&invalid, false).unwrap_err();
    assert!(matches!(error, AudioError::WavRead { .. }), "{error}");
    assert!(error.to_string().contains("invalid.wav"), "{error}");

    // A valid header whose data chunk promises more than the file holds.
    let truncated = scratch.path("truncated.wav");
    write_wav(&truncated, 48_000, 1, 16, false, 4800, |_, n| {
        sine(1000.0, 0.5, 48_000, n)
    });
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let error = WavSource::open(&truncated, false).unwrap_err();
    assert!(matches!(error, AudioError::WavRead { .. }), "{error}");

    let empty = scratch.path("empty.wav");
    write_wav(&empty, 44_100, 2, 16, false, 0, |_, _| 0.0);
    let error = WavSource::open(&empty, true).unwrap_err();
    assert!(matches!(error, AudioError::WavUnplayable { .. }), "{error}");
    assert!(error.to_string().contains("empty.wav"), "{error}");

    let absurd_rate = scratch.path("absurd-rate.wav");
    write_wav(&absurd_rate, 1_000_000_007, 1, 16, false, 10, |_, _| 0.0);
    let error = WavSource::open(&absurd_rate, false).unwrap_err();
    assert!(matches!(error, AudioError::WavUnplayable { .. }), "{error}");
    assert!(error.to_string().contains("1000000007 Hz"), "{error}");

    let unwritable = scratch.path("no-such-dir").join("out.wav");
    let error = WavWriter::create(&unwritable).unwrap_err();
    assert!(matches!(error, AudioError::WavWrite { .. }), "{error}");
    assert!(error.to_string().contains("out.wav"), "{error}");
}

/// A disk that fills up: the failure reaches the caller (at the latest from `finalize`), with
/// the path.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported() {
    let written = WavWriter::create("/dev/full").and_then(|mut writer| {
        for _ in 0..10 {
            writer.write(&AudioFrame::silence())?;
        }
        writer.finalize()
    });
    let error = written.unwrap_err();
    assert!(matches!(error, AudioError::WavWrite { .. }), "{error}");
    assert!(error.to_string().contains("/dev/full"), "{error}");
}

mod hostile_files {
    use super::*;
    use proptest::prelude::*;

    /// A valid 16-bit stereo file of 200 frames, as bytes.
    fn valid_wav(scratch: &Scratch) -> Vec<u8> {
        let path = scratch.path("valid.wav");
        write_wav(&path, 44_100, 2, 16, false, 200, |channel, n| {
            sine(500.0 + 100.0 * f64::from(channel), 0.5, 44_100, n)
        });
        std::fs::read(path).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any damage to a file's header (channel count, rate, bit depth, lengths, format)
        /// gives a playable source or a typed error, never a panic.
        #[test]
        fn a_damaged_header_never_panics(
            damage in proptest::collection::vec((0_usize..48, any::<u8>()), 1..6),
            cut in 0_usize..900,
        ) {
            let scratch = Scratch::new("hostile");
            let mut bytes = valid_wav(&scratch);
            for (at, value) in damage {
                bytes[at] = value;
            }
            bytes.truncate(bytes.len() - cut.min(bytes.len()));
            let path = scratch.path("damaged.wav");
            std::fs::write(&path, &bytes).unwrap();
            match WavSource::open(&path, false) {
                Ok(mut source) => {
                    let frames = std::iter::from_fn(|| source.next_frame()).take(10_000);
                    for frame in frames {
                        prop_assert_eq!(frame.samples.len(), FRAME_SAMPLES);
                    }
                }
                Err(AudioError::WavRead { path: reported, .. } | AudioError::WavUnplayable { path: reported, .. }) => {
                    prop_assert_eq!(reported, path);
                }
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
