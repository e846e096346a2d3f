//! Local video (feature `video`): a [`VideoSource`] of raw I420 pictures, such as the
//! generated [`TestPattern`], encoded to H.264 by [`H264Encoder`] (Cisco's OpenH264, built
//! from source) and sent on the main video m-line by a
//! [`MediaConnection`](crate::MediaConnection) at the source's frame rate, with a keyframe
//! every [`KEYFRAME_INTERVAL`] and whenever the receiver asks for one (PLI or FIR).

mod encoder;
mod pattern;

use std::time::Duration;

pub use encoder::{H264Encoder, VideoError, decoded_size};
pub use pattern::TestPattern;

/// The longest time between two keyframes sent, so a receiver that lost one (or joined
/// late and could not ask) sees a picture again within it.
pub const KEYFRAME_INTERVAL: Duration = Duration::from_secs(2);

/// The RTP clock of video (90 kHz).
pub const VIDEO_CLOCK_RATE: u32 = 90_000;

/// One raw picture: planar I420 (Y at full size, then U and V at half width and height).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct I420Frame {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

impl I420Frame {
    /// A picture of `width` × `height` from its planes, Y then U then V.
    ///
    /// # Errors
    ///
    /// [`VideoError::BadFrame`] when a dimension is odd or zero, or `data` is not
    /// `width * height * 3 / 2` bytes.
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Result<Self, VideoError> {
        if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            return Err(VideoError::BadFrame(format!(
                "{width}x{height}: dimensions must be even and not zero"
            )));
        }
        if data.len() != width * height * 3 / 2 {
            return Err(VideoError::BadFrame(format!(
                "{width}x{height} needs {} bytes of I420, got {}",
                width * height * 3 / 2,
                data.len()
            )));
        }
        Ok(I420Frame {
            width,
            height,
            data,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The planes, Y then U then V.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

/// Where local video comes from: pulled once per frame period (1 / [`frame_rate`]), never
/// waits. `None` means the source ended.
///
/// [`frame_rate`]: VideoSource::frame_rate
pub trait VideoSource: Send + 'static {
    /// Frames per second (at least 1).
    fn frame_rate(&self) -> u32;
    /// The next picture.
    fn next_frame(&mut self) -> Option<I420Frame>;
}
