//! The receiving half of the audio path: Opus packets decoded to frames, a lost packet (a gap
//! in the RTP sequence numbers) concealed with the decoder's packet-loss concealment, an
//! undecodable one too.

use crate::audio::{AudioFrame, OpusDecoder};
use crate::error::MediaError;

/// The most lost packets concealed at once (1 s); a longer gap (a pause, a restart of the
/// sender) is not filled.
const MAX_CONCEALED: u16 = 50;

/// Decodes received packets in order.
pub(super) struct AudioReceiver {
    decoder: OpusDecoder,
    last_sequence: Option<u16>,
}

impl AudioReceiver {
    pub(super) fn new() -> Result<Self, MediaError> {
        Ok(AudioReceiver {
            decoder: OpusDecoder::new().map_err(|e| MediaError::Audio(e.to_string()))?,
            last_sequence: None,
        })
    }

    /// The frames one received packet yields: concealment for the packets missing before it,
    /// then its own audio. A late or repeated packet yields nothing.
    pub(super) fn receive(&mut self, payload: &[u8], sequence: u16) -> Vec<AudioFrame> {
        let missing = match self.last_sequence {
            None => 0,
            Some(last) => {
                let step = sequence.wrapping_sub(last);
                if step == 0 || step > u16::MAX / 2 {
                    return Vec::new();
                }
                step - 1
            }
        };
        self.last_sequence = Some(sequence);
        let mut frames = Vec::with_capacity(usize::from(missing.min(MAX_CONCEALED)) + 1);
        if missing <= MAX_CONCEALED {
            for _ in 0..missing {
                frames.push(self.decoder.decode_lost());
            }
        }
        match self.decoder.decode(payload) {
            Ok(frame) => frames.push(frame),
            Err(error) => {
                tracing::debug!(%error, sequence, "undecodable audio packet concealed");
                frames.push(self.decoder.decode_lost());
            }
        }
        frames
    }
}
