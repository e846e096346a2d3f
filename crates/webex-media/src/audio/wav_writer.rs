//! Recording frames to a WAV file.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::{AudioError, AudioFrame, SAMPLE_RATE};

/// Writes frames to a 48 kHz mono 16-bit WAV file, for example what a connection hears.
///
/// [`finalize`](Self::finalize) writes the header's lengths and reports a failure; dropping
/// the writer finalizes too, logging a failure as a warning since a drop cannot return it.
///
/// ```
/// use webex_media::audio::{AudioFrame, AudioSource, WavSource, WavWriter};
///
/// let path = std::env::temp_dir().join(format!("webex-wav-doc-{}.wav", std::process::id()));
/// let mut writer = WavWriter::create(&path)?;
/// writer.write(&AudioFrame { samples: vec![100; 960] })?;
/// writer.finalize()?;
///
/// let mut played = WavSource::open(&path, false)?;
/// assert_eq!(played.next_frame(), Some(AudioFrame { samples: vec![100; 960] }));
/// assert_eq!(played.next_frame(), None);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), webex_media::audio::AudioError>(())
/// ```
pub struct WavWriter {
    path: PathBuf,
    /// `None` once finalized.
    writer: Option<hound::WavWriter<BufWriter<File>>>,
}

impl std::fmt::Debug for WavWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WavWriter")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl WavWriter {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: impl AsRef<Path>) -> Result<Self, AudioError> {
        let path = path.as_ref().to_path_buf();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: SAMPLE_RATE,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        match hound::WavWriter::create(&path, spec) {
            Ok(writer) => Ok(Self {
                path,
                writer: Some(writer),
            }),
            Err(source) => Err(AudioError::WavWrite { path, source }),
        }
    }

    /// Appends the frame's samples (any number of them).
    pub fn write(&mut self, frame: &AudioFrame) -> Result<(), AudioError> {
        let Some(writer) = self.writer.as_mut() else {
            unreachable!("only finalize, which consumes the writer, takes it");
        };
        let mut samples = writer.get_i16_writer(frame.samples.len() as u32);
        for &sample in &frame.samples {
            samples.write_sample(sample);
        }
        samples.flush().map_err(|source| AudioError::WavWrite {
            path: self.path.clone(),
            source,
        })
    }

    /// Writes the header's lengths and closes the file.
    pub fn finalize(mut self) -> Result<(), AudioError> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), AudioError> {
        match self.writer.take() {
            Some(writer) => writer.finalize().map_err(|source| AudioError::WavWrite {
                path: self.path.clone(),
                source,
            }),
            None => Ok(()),
        }
    }
}

impl Drop for WavWriter {
    fn drop(&mut self) {
        if let Err(error) = self.finish() {
            tracing::warn!(%error, "finalizing a WAV recording on drop failed");
        }
    }
}
