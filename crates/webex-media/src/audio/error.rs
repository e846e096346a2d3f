//! The audio module's error type.

use std::path::PathBuf;

/// What went wrong with audio: a WAV file, a frame, the Opus codec or the PCM channel.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AudioError {
    /// A WAV file could not be opened or decoded.
    #[error("cannot read WAV file {}: {source}", path.display())]
    WavRead {
        /// The file.
        path: PathBuf,
        /// What the WAV reader reported.
        #[source]
        source: hound::Error,
    },
    /// A WAV file was read but cannot be played: no samples, or a sample rate the resampler
    /// rejects.
    #[error("cannot play WAV file {}: {reason}", path.display())]
    WavUnplayable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A WAV file could not be created, written or finalized.
    #[error("cannot write WAV file {}: {source}", path.display())]
    WavWrite {
        /// The file.
        path: PathBuf,
        /// What the WAV writer reported.
        #[source]
        source: hound::Error,
    },
    /// An audio frame does not hold exactly 960 samples (20 ms at 48 kHz).
    #[error("an audio frame holds {len} samples; it must hold 960 (20 ms of 48 kHz mono)")]
    FrameLength {
        /// How many samples it holds.
        len: usize,
    },
    /// A received Opus payload could not be decoded.
    #[error("malformed Opus payload ({len} bytes): {reason}")]
    MalformedOpus {
        /// The payload's size.
        len: usize,
        /// What libopus reported.
        reason: &'static str,
    },
    /// A received Opus payload is well formed but does not hold 20 ms of audio.
    #[error(
        "an Opus payload holds {samples} samples at 48 kHz; only 20 ms (960) packets are taken"
    )]
    OpusFrameDuration {
        /// Samples (per channel, at 48 kHz) the payload holds.
        samples: usize,
    },
    /// The Opus encoder or decoder failed outside of a received payload (creating it,
    /// encoding).
    #[error("Opus codec: {0}")]
    Opus(#[source] opus::Error),
    /// The [`PcmSource`](super::PcmSource) of the channel was dropped: nobody takes frames any
    /// more.
    #[error("the PCM channel is closed: its source was dropped")]
    PcmClosed,
}
