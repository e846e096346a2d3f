//! Audio for media connections: local sources, the Opus codec, noise reduction and WAV files.
//!
//! Everything here works on 20 ms frames of 48 kHz mono PCM ([`AudioFrame`]), the unit a
//! connection sends and receives: a connection pulls one frame every [`FRAME_DURATION`] from
//! its [`AudioSource`], runs it through [`NoiseReduction`] (off by default) and the
//! [`OpusEncoder`], and decodes what arrives with an [`OpusDecoder`] (packet-loss concealment
//! on gaps).
//!
//! - Sources: [`ToneSource`] (a sine), [`WavSource`] (a WAV file of any rate, channel count
//!   and sample format, converted to 48 kHz mono) and [`pcm_channel`] (frames an application
//!   makes itself).
//! - Sinks: [`WavWriter`] records frames to a 48 kHz mono 16-bit WAV file.
//! - [`tone_level`] measures how strong one frequency is, to check what was heard.
//!
//! A tone survives the codec, checked by frequency:
//!
//! ```
//! use webex_media::audio::{tone_level, AudioSource, OpusDecoder, OpusEncoder, ToneSource};
//!
//! let mut tone = ToneSource::new(1000.0, 0.5);
//! let mut encoder = OpusEncoder::new()?;
//! let mut decoder = OpusDecoder::new()?;
//! let mut heard = Vec::new();
//! for _ in 0..50 {
//!     let frame = tone.next_frame().expect("a tone never ends");
//!     let payload = encoder.encode(&frame)?;
//!     heard.extend(decoder.decode(&payload)?.samples);
//! }
//! let heard = &heard[9600..]; // past the codec's start-up
//! assert!(tone_level(heard, 1000.0) > 0.1);
//! assert!(tone_level(heard, 1000.0) > 100.0 * tone_level(heard, 700.0));
//! # Ok::<(), webex_media::audio::AudioError>(())
//! ```

mod codec;
mod error;
mod level;
mod noise_reduction;
mod pcm;
mod tone;
mod wav_source;
mod wav_writer;

use std::time::Duration;

pub use codec::{OpusDecoder, OpusEncoder};
pub use error::AudioError;
pub use level::tone_level;
pub use noise_reduction::{NoiseReduction, NoiseReductionHandle};
pub use pcm::{PcmSender, PcmSource, pcm_channel};
pub use tone::ToneSource;
pub use wav_source::WavSource;
pub use wav_writer::WavWriter;

/// The sample rate of every [`AudioFrame`], in Hz (mono). Opus runs at this rate too.
pub const SAMPLE_RATE: u32 = 48_000;

/// How much audio one [`AudioFrame`] holds, and how often a connection sends one.
pub const FRAME_DURATION: Duration = Duration::from_millis(20);

/// Samples in one [`AudioFrame`]: 20 ms at 48 kHz. The RTP timestamp advances by this much per
/// frame.
pub const FRAME_SAMPLES: usize = 960;

/// 20 ms of mono 48 kHz PCM: [`FRAME_SAMPLES`] signed 16-bit samples.
#[derive(Clone, Debug, PartialEq)]
pub struct AudioFrame {
    /// The samples, oldest first; [`FRAME_SAMPLES`] of them in a well-formed frame (the
    /// encoder and the PCM channel reject any other length with
    /// [`AudioError::FrameLength`]).
    pub samples: Vec<i16>,
}

impl AudioFrame {
    /// A frame of silence.
    pub fn silence() -> Self {
        Self {
            samples: vec![0; FRAME_SAMPLES],
        }
    }

    /// Checks that the frame holds exactly [`FRAME_SAMPLES`] samples.
    pub(crate) fn check_length(&self) -> Result<(), AudioError> {
        match self.samples.len() {
            FRAME_SAMPLES => Ok(()),
            len => Err(AudioError::FrameLength { len }),
        }
    }
}

/// A local audio source, pulled once per [`FRAME_DURATION`] by the sender.
///
/// `next_frame` is called from the connection's pacing task, so it must return promptly:
/// a source that has nothing yet returns silence rather than waiting.
pub trait AudioSource: Send + 'static {
    /// The next 20 ms of audio, or `None` when the source has ended (the sender then stops
    /// sending audio).
    fn next_frame(&mut self) -> Option<AudioFrame>;
}
