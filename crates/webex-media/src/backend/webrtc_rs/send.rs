//! The senders: Opus frames queued by `send_audio` and H.264 access units queued by
//! `send_video` (which cannot await) are written as RTP packets by a task each: one packet
//! per 20 ms Opus frame, the timestamp advancing 960 each; an access unit split into
//! RFC 6184 packets (single NAL units, STAP-A, FU-A) by the `rtc` crate's H.264 payloader,
//! the last with the marker bit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use bytes::Bytes;
use rtc::rtp;
use rtc::rtp::codec::h264::H264Payloader;
use rtc::rtp::packetizer::Payloader;
use webrtc::media_stream::track_local::TrackLocal;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;

use crate::audio::FRAME_SAMPLES;

/// How many Opus frames may wait for the sender task (a second of audio).
pub(super) const AUDIO_QUEUE: usize = 50;

/// How many access units may wait for the video sender task (a second at 30 fps).
pub(super) const VIDEO_QUEUE: usize = 30;

/// The largest RTP payload of a video packet (an Ethernet MTU less IP, UDP, SRTP and RTP
/// headers, with room to spare).
const VIDEO_MTU: usize = 1200;

/// The RTP timestamp step of one 20 ms frame on the 48 kHz Opus clock.
const FRAME_TICKS: u32 = FRAME_SAMPLES as u32;

/// What a sender task writes to.
pub(super) struct LocalTrack {
    /// The local track of its m-line.
    pub(super) track: Arc<TrackLocalStaticRTP>,
    /// Its SSRC.
    pub(super) ssrc: u32,
    /// The negotiated payload type (updated when an answer is applied).
    pub(super) payload_type: Arc<AtomicU8>,
}

/// Writes every frame of `frames` to `audio` until the queue closes.
pub(super) async fn run(audio: LocalTrack, mut frames: tokio::sync::mpsc::Receiver<Vec<u8>>) {
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

/// Writes every access unit of `units` (with its RTP timestamp) to `video` until the queue
/// closes.
pub(super) async fn run_video(
    video: LocalTrack,
    mut units: tokio::sync::mpsc::Receiver<(Vec<u8>, u32)>,
) {
    let mut payloader = H264Payloader::default();
    let mut sequence = fastrand::u16(..);
    while let Some((unit, timestamp)) = units.recv().await {
        let payloads = match payloader.payload(VIDEO_MTU, &Bytes::from(unit)) {
            Ok(payloads) => payloads,
            Err(error) => {
                tracing::warn!(%error, "an H.264 access unit could not be packetized");
                continue;
            }
        };
        let last = payloads.len().saturating_sub(1);
        for (i, payload) in payloads.into_iter().enumerate() {
            let packet = rtp::Packet {
                header: rtp::Header {
                    version: 2,
                    marker: i == last,
                    payload_type: video.payload_type.load(Ordering::Relaxed),
                    sequence_number: sequence,
                    timestamp,
                    ssrc: video.ssrc,
                    ..Default::default()
                },
                payload,
            };
            sequence = sequence.wrapping_add(1);
            if let Err(error) = video.track.write_rtp(packet).await {
                tracing::warn!(%error, "webrtc-rs refused a video packet");
            }
        }
    }
}
