//! H.264 with OpenH264: pictures to Annex-B access units (what RTP packetizers split into
//! NAL units), constrained baseline as negotiated (`profile-level-id=42e01f`), and the size
//! of a decoded access unit, for checking what arrived.

use openh264::OpenH264API;
use openh264::decoder::Decoder;
use openh264::encoder::{BitRate, Encoder, EncoderConfig, FrameRate, IntraFramePeriod};
use openh264::formats::YUVSlices;

use super::I420Frame;

/// The bitrate asked of the encoder (a test pattern needs little).
const BITRATE_BPS: u32 = 500_000;

/// What can go wrong with video.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VideoError {
    /// A picture's size does not add up.
    #[error("bad video frame: {0}")]
    BadFrame(String),
    /// OpenH264 failed.
    #[error("H.264: {0}")]
    Codec(String),
}

/// An OpenH264 encoder for pictures of one size.
pub struct H264Encoder {
    encoder: Encoder,
}

impl std::fmt::Debug for H264Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Encoder").finish_non_exhaustive()
    }
}

impl H264Encoder {
    /// An encoder for `frame_rate` frames per second. Keyframes come only when asked for
    /// (the sender decides when).
    ///
    /// # Errors
    ///
    /// [`VideoError::Codec`] when OpenH264 cannot be set up.
    pub fn new(frame_rate: u32) -> Result<Self, VideoError> {
        let config = EncoderConfig::new()
            .bitrate(BitRate::from_bps(BITRATE_BPS))
            .max_frame_rate(FrameRate::from_hz(frame_rate.max(1) as f32))
            .intra_frame_period(IntraFramePeriod::from_num_frames(0));
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| VideoError::Codec(e.to_string()))?;
        Ok(H264Encoder { encoder })
    }

    /// Encodes `frame` as one Annex-B access unit; an IDR picture (with SPS and PPS) when
    /// `keyframe`. Empty when the encoder produced nothing for it.
    ///
    /// # Errors
    ///
    /// [`VideoError::Codec`] when OpenH264 fails.
    pub fn encode(&mut self, frame: &I420Frame, keyframe: bool) -> Result<Vec<u8>, VideoError> {
        let (w, h) = (frame.width(), frame.height());
        let (y, rest) = frame.data().split_at(w * h);
        let (u, v) = rest.split_at(w * h / 4);
        let slices = YUVSlices::new((y, u, v), (w, h), (w, w / 2, w / 2));
        if keyframe {
            self.encoder.force_intra_frame();
        }
        self.encoder
            .encode(&slices)
            .map(|bitstream| bitstream.to_vec())
            .map_err(|e| VideoError::Codec(e.to_string()))
    }
}

/// Decodes a sequence of Annex-B access units (starting at a keyframe) with OpenH264 and
/// returns the size of the last picture, `None` when none decoded.
///
/// # Errors
///
/// [`VideoError::Codec`] when the decoder cannot be set up or rejects the stream.
pub fn decoded_size<'a>(
    units: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Option<(usize, usize)>, VideoError> {
    use openh264::formats::YUVSource;
    let codec = |e: openh264::Error| VideoError::Codec(e.to_string());
    let mut decoder = Decoder::new().map_err(codec)?;
    let mut size = None;
    for unit in units {
        if let Some(picture) = decoder.decode(unit).map_err(codec)? {
            size = Some(picture.dimensions());
        }
    }
    Ok(size)
}
