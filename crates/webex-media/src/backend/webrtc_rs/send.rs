//! The audio sender: Opus frames queued by `send_audio` (which cannot await) are written as
//! RTP packets by a task, one packet per 20 ms frame, the timestamp advancing 960 each.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use bytes::Bytes;
use rtc::rtp;
use webrtc::media_stream::track_local::TrackLocal;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;

use crate::audio::FRAME_SAMPLES;

/// How many Opus frames may wait for the sender task (a second of audio).
pub(super) const AUDIO_QUEUE: usize = 50;

/// The RTP timestamp step of one 20 ms frame on the 48 kHz Opus clock.
const FRAME_TICKS: u32 = FRAME_SAMPLES as u32;

/// What the sender task writes to.
pub(super) struct AudioTrack {
    /// The local audio track of the audio m-line.
    pub(super) track: Arc<TrackLocalStaticRTP>,
    /// Its SSRC.
    pub(super) ssrc: u32,
    /// The negotiated Opus payload type (updated when an answer is applied).
    pub(super) payload_type: Arc<AtomicU8>,
}

/// Writes every frame of `frames` to `audio` until the queue closes.
pub(super) async fn run(audio: AudioTrack, mut frames: tokio::sync::mpsc::Receiver<Vec<u8>>) {
    let mut sequence = fastrand::u16(..);
    let mut timestamp = fastrand::u32(..);
    // The marker bit starts a talk spurt: the first packet.
    let mut marker = true;
    while let Some(opus) = frames.recv().await {
        let packet = rtp::Packet {
            header: rtp::Header {
                version: 2,
                marker,
                payload_type: audio.payload_type.load(Ordering::Relaxed),
                sequence_number: sequence,
                timestamp,
                ssrc: audio.ssrc,
                ..Default::default()
            },
            payload: Bytes::from(opus),
        };
        sequence = sequence.wrapping_add(1);
        timestamp = timestamp.wrapping_add(FRAME_TICKS);
        marker = false;
        if let Err(error) = audio.track.write_rtp(packet).await {
            tracing::warn!(%error, "webrtc-rs refused an audio packet");
        }
    }
}
