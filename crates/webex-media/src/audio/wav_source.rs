//! Playing a WAV file as a local source.

use std::path::{Path, PathBuf};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::{AudioError, AudioFrame, AudioSource, FRAME_SAMPLES, SAMPLE_RATE};

/// Frames the resampler takes per call; any size works, this one keeps its FFTs small.
const RESAMPLER_CHUNK: usize = 1024;

/// The sample rates a file may have. The FFT resampler's size grows with the rate (up to the
/// rate itself when it shares no factor with 48 kHz), so a header claiming billions of Hz
/// must be refused rather than tried.
const PLAYABLE_RATES: std::ops::RangeInclusive<u32> = 1_000..=768_000;

/// A WAV file as a local source: any sample rate, channel count and sample format the file
/// holds (8, 16, 24 or 32-bit integers, 32-bit float), mixed down to mono and resampled to
/// 48 kHz with [`rubato`]'s FFT resampler.
///
/// The whole file is decoded when opened (so every error shows then, with the path), and
/// kept as 48 kHz mono 16-bit: about 5.8 MB per minute of audio. When it ends, it starts over
/// if `looping` (without a gap: the last frame continues with the first samples), or the
/// source ends after a last frame padded with silence.
#[derive(Clone)]
pub struct WavSource {
    samples: Vec<i16>,
    position: usize,
    looping: bool,
}

impl std::fmt::Debug for WavSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the samples: millions of them.
        f.debug_struct("WavSource")
            .field("samples", &self.samples.len())
            .field("position", &self.position)
            .field("looping", &self.looping)
            .finish()
    }
}

impl WavSource {
    /// Decodes the file at `path`. [`AudioError::WavRead`] when it cannot be opened or is not
    /// a valid WAV file, [`AudioError::WavUnplayable`] when it holds no audio or its sample
    /// rate is outside 1 kHz..=768 kHz.
    ///
    /// Reading and resampling happen here, blocking: in async code, call it from
    /// `tokio::task::spawn_blocking` for anything longer than a few seconds of audio.
    pub fn open(path: impl AsRef<Path>, looping: bool) -> Result<Self, AudioError> {
        let path = path.as_ref();
        let read_error = |source| AudioError::WavRead {
            path: path.to_path_buf(),
            source,
        };
        let reader = hound::WavReader::open(path).map_err(read_error)?;
        let spec = reader.spec();
        if !PLAYABLE_RATES.contains(&spec.sample_rate) {
            return Err(unplayable(
                path,
                format!(
                    "its sample rate of {} Hz is outside {} Hz..={} Hz",
                    spec.sample_rate,
                    PLAYABLE_RATES.start(),
                    PLAYABLE_RATES.end()
                ),
            ));
        }
        let mono = mix_down(reader).map_err(read_error)?;
        if mono.is_empty() {
            return Err(unplayable(path, "it holds no samples".into()));
        }
        let resampled = if spec.sample_rate == SAMPLE_RATE {
            mono
        } else {
            resample(&mono, spec.sample_rate).map_err(|reason| unplayable(path, reason))?
        };
        let samples = resampled
            .iter()
            // `as` saturates: a float file may go past full scale.
            .map(|&sample| (sample * 32768.0).round() as i16)
            .collect();
        Ok(Self {
            samples,
            position: 0,
            looping,
        })
    }
}

impl AudioSource for WavSource {
    fn next_frame(&mut self) -> Option<AudioFrame> {
        if self.position >= self.samples.len() {
            return None;
        }
        let mut frame = Vec::with_capacity(FRAME_SAMPLES);
        while frame.len() < FRAME_SAMPLES {
            let wanted = FRAME_SAMPLES - frame.len();
            let end = (self.position + wanted).min(self.samples.len());
            frame.extend_from_slice(&self.samples[self.position..end]);
            self.position = end;
            if self.position == self.samples.len() {
                if !self.looping {
                    frame.resize(FRAME_SAMPLES, 0);
                    break;
                }
                self.position = 0;
            }
        }
        Some(AudioFrame { samples: frame })
    }
}

fn unplayable(path: &Path, reason: String) -> AudioError {
    AudioError::WavUnplayable {
        path: PathBuf::from(path),
        reason,
    }
}

/// Every sample frame of the file as one mono sample in -1.0..1.0 (the channels' mean).
fn mix_down<R: std::io::Read>(mut reader: hound::WavReader<R>) -> Result<Vec<f32>, hound::Error> {
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>()?,
        hound::SampleFormat::Int => {
            let full_scale = 2.0_f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader
                .samples::<i32>()
                .map(|sample| sample.map(|sample| sample as f32 / full_scale))
                .collect::<Result<_, _>>()?
        }
    };
    Ok(interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect())
}

/// `mono` at `from_rate` Hz, resampled to 48 kHz (aligned: the resampler's delay trimmed).
fn resample(mono: &[f32], from_rate: u32) -> Result<Vec<f32>, String> {
    let mut resampler = Fft::<f32>::new(
        from_rate as usize,
        SAMPLE_RATE as usize,
        RESAMPLER_CHUNK,
        1,
        FixedSync::Both,
    )
    .map_err(|error| format!("cannot resample from {from_rate} Hz: {error}"))?;
    let input = InterleavedSlice::new(mono, 1, mono.len()).map_err(|error| error.to_string())?;
    let mut output = vec![0.0; resampler.process_all_needed_output_len(mono.len())];
    let output_len = output.len();
    let mut output_buffer =
        InterleavedSlice::new_mut(&mut output, 1, output_len).map_err(|error| error.to_string())?;
    let (_, produced) = resampler
        .process_all_into_buffer(&input, &mut output_buffer, mono.len(), None)
        .map_err(|error| format!("resampling from {from_rate} Hz failed: {error}"))?;
    // The resampler rounds the length up in floating point (44 100 samples at 44.1 kHz give
    // 48 001); the exact length is the same duration in whole samples.
    let exact = (mono.len() as u64 * u64::from(SAMPLE_RATE)).div_ceil(u64::from(from_rate));
    output.truncate(produced.min(exact as usize));
    Ok(output)
}
