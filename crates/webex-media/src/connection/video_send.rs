//! The sending half of local video (feature `video`): at the source's frame rate, a picture
//! from the source, encoded to one H.264 access unit, with its 90 kHz RTP timestamp. A
//! keyframe goes first, then every `KEYFRAME_INTERVAL` and after the receiver asks.

use std::time::Duration;

use crate::error::MediaError;
use crate::video::{H264Encoder, KEYFRAME_INTERVAL, VIDEO_CLOCK_RATE, VideoSource};

/// The local video source and its encoder.
pub(super) struct VideoSender {
    source: Box<dyn VideoSource>,
    encoder: H264Encoder,
    frame_rate: u32,
    /// Frames taken from the source so far.
    frames: u64,
    /// Frames since the last keyframe; `None` until the first.
    since_keyframe: Option<u64>,
}

impl VideoSender {
    pub(super) fn new(source: Box<dyn VideoSource>) -> Result<Self, MediaError> {
        let frame_rate = source.frame_rate().max(1);
        Ok(VideoSender {
            source,
            encoder: H264Encoder::new(frame_rate).map_err(|e| MediaError::Video(e.to_string()))?,
            frame_rate,
            frames: 0,
            since_keyframe: None,
        })
    }

    /// How often [`next_access_unit`](Self::next_access_unit) is called.
    pub(super) fn frame_period(&self) -> Duration {
        Duration::from_secs(1) / self.frame_rate
    }

    /// The receiver asked for a keyframe: the next picture is one.
    pub(super) fn request_keyframe(&mut self) {
        self.since_keyframe = None;
    }

    /// The next access unit and its RTP timestamp; `None` when the source ended (or the
    /// encoder skipped the picture).
    pub(super) fn next_access_unit(&mut self) -> Result<Option<(Vec<u8>, u32)>, MediaError> {
        let Some(picture) = self.source.next_frame() else {
            return Ok(None);
        };
        let number = self.frames;
        self.frames += 1;
        let interval = u64::from(self.frame_rate) * KEYFRAME_INTERVAL.as_secs();
        let keyframe = self.since_keyframe.is_none_or(|n| n + 1 >= interval);
        let unit = self
            .encoder
            .encode(&picture, keyframe)
            .map_err(|e| MediaError::Video(e.to_string()))?;
        if unit.is_empty() {
            return Ok(None);
        }
        self.since_keyframe = Some(if keyframe {
            0
        } else {
            self.since_keyframe.map_or(0, |n| n + 1)
        });
        // RTP carries the low 32 bits of the 90 kHz clock.
        let rtp_time = (number * u64::from(VIDEO_CLOCK_RATE) / u64::from(self.frame_rate)) as u32;
        Ok(Some((unit, rtp_time)))
    }
}
