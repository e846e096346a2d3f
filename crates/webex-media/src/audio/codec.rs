//! The Opus codec (libopus), 48 kHz mono in 20 ms packets.

use super::{AudioError, AudioFrame, FRAME_SAMPLES, SAMPLE_RATE};

/// The largest packet libopus writes for one frame is 1275 bytes; this leaves the recommended
/// headroom.
const MAX_PACKET: usize = 4000;

/// Encodes 20 ms frames to Opus payloads for RTP (`opus/48000/2` in the SDP: the payloads are
/// mono, which every decoder takes).
///
/// Tuned for speech: libopus's VOIP application at 48 kHz.
pub struct OpusEncoder {
    encoder: opus::Encoder,
}

impl std::fmt::Debug for OpusEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusEncoder").finish_non_exhaustive()
    }
}

impl OpusEncoder {
    /// A new encoder (48 kHz mono, VOIP).
    pub fn new() -> Result<Self, AudioError> {
        let encoder =
            opus::Encoder::new(SAMPLE_RATE, opus::Channels::Mono, opus::Application::Voip)
                .map_err(AudioError::Opus)?;
        Ok(Self { encoder })
    }

    /// One RTP payload for `frame`, which must hold 20 ms ([`AudioError::FrameLength`]
    /// otherwise).
    pub fn encode(&mut self, frame: &AudioFrame) -> Result<Vec<u8>, AudioError> {
        frame.check_length()?;
        self.encoder
            .encode_vec(&frame.samples, MAX_PACKET)
            .map_err(AudioError::Opus)
    }
}

/// Decodes received Opus payloads to 20 ms frames, mono (a stereo payload is mixed down).
pub struct OpusDecoder {
    decoder: opus::Decoder,
}

impl std::fmt::Debug for OpusDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusDecoder").finish_non_exhaustive()
    }
}

impl OpusDecoder {
    /// A new decoder (48 kHz mono).
    pub fn new() -> Result<Self, AudioError> {
        let decoder =
            opus::Decoder::new(SAMPLE_RATE, opus::Channels::Mono).map_err(AudioError::Opus)?;
        Ok(Self { decoder })
    }

    /// The frame one received payload holds.
    ///
    /// The payload comes from the network, so anything may arrive: an empty or corrupt payload
    /// is [`AudioError::MalformedOpus`], and a valid one of another duration than 20 ms (what
    /// Webex and browsers send) is [`AudioError::OpusFrameDuration`]. The decoder stays usable
    /// after either.
    pub fn decode(&mut self, payload: &[u8]) -> Result<AudioFrame, AudioError> {
        let malformed = |reason: &'static str| AudioError::MalformedOpus {
            len: payload.len(),
            reason,
        };
        if payload.is_empty() {
            // libopus reads an empty payload as "lost"; a received one is malformed instead.
            return Err(malformed("empty payload"));
        }
        let samples = opus::packet::get_nb_samples(payload, SAMPLE_RATE)
            .map_err(|error| malformed(error.description()))?;
        if samples != FRAME_SAMPLES {
            return Err(AudioError::OpusFrameDuration { samples });
        }
        let mut frame = AudioFrame::silence();
        let decoded = self
            .decoder
            .decode(payload, &mut frame.samples, false)
            .map_err(|error| malformed(error.description()))?;
        if decoded != FRAME_SAMPLES {
            return Err(AudioError::OpusFrameDuration { samples: decoded });
        }
        Ok(frame)
    }

    /// A frame standing in for a lost packet (libopus's packet-loss concealment: it continues
    /// the last audio and fades out over successive losses).
    pub fn decode_lost(&mut self) -> AudioFrame {
        let mut frame = AudioFrame::silence();
        if self.decoder.decode(&[], &mut frame.samples, false).is_err() {
            // Concealment cannot fail on a valid decoder with a full-size buffer; silence is
            // the right stand-in if it ever did.
            frame = AudioFrame::silence();
        }
        frame
    }
}
