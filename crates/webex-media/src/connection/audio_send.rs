//! The sending half of the audio path: every 20 ms, a frame from the source, noise-reduced,
//! Opus-encoded. Muted, the source is still pulled (so a file or tone keeps its pace) but
//! nothing is encoded or sent.

use crate::audio::{AudioSource, NoiseReduction, OpusEncoder};
use crate::error::MediaError;

/// The local audio source and what turns its frames into Opus.
pub(super) struct AudioSender {
    source: Option<Box<dyn AudioSource>>,
    noise_reduction: NoiseReduction,
    encoder: OpusEncoder,
}

impl AudioSender {
    pub(super) fn new(noise_reduction: NoiseReduction) -> Result<Self, MediaError> {
        Ok(AudioSender {
            source: None,
            noise_reduction,
            encoder: OpusEncoder::new().map_err(|e| MediaError::Audio(e.to_string()))?,
        })
    }

    /// Replaces the source (`None`: nothing to send).
    pub(super) fn set_source(&mut self, source: Option<Box<dyn AudioSource>>) {
        self.source = source;
    }

    /// Whether there is a source to pull.
    pub(super) fn has_source(&self) -> bool {
        self.source.is_some()
    }

    /// The next 20 ms as Opus, or `None` (muted, no source, or the source ended: then it is
    /// dropped).
    pub(super) fn next_packet(&mut self, muted: bool) -> Result<Option<Vec<u8>>, MediaError> {
        let Some(source) = self.source.as_mut() else {
            return Ok(None);
        };
        let Some(mut frame) = source.next_frame() else {
            self.source = None;
            return Ok(None);
        };
        if muted {
            return Ok(None);
        }
        self.noise_reduction.process(&mut frame);
        self.encoder
            .encode(&frame)
            .map(Some)
            .map_err(|e| MediaError::Audio(e.to_string()))
    }
}
