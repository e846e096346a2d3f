//! A remote track's task: Opus packets become [`BackendEvent::Audio`], video frames (the
//! packet carrying the RTP marker bit ends one) become [`BackendEvent::VideoFrame`].

use std::sync::Arc;

use rtc::rtp;
use rtc::rtp_transceiver::rtp_sender::RtpCodecKind;
use webrtc::media_stream::track_remote::{TrackRemote, TrackRemoteEvent};

use super::shared::Shared;
use crate::backend::BackendEvent;
use crate::stats::MediaKind;

/// Reads `track` until it ends.
pub(super) async fn run(track: Arc<dyn TrackRemote>, shared: Arc<Shared>) {
    // A video track's m-line (main or share) is known from its receiver, which the first
    // event names.
    let mut kind = match track.kind().await {
        RtpCodecKind::Audio => MediaKind::Audio,
        _ => MediaKind::Video,
    };
    while let Some(event) = track.poll().await {
        match event {
            TrackRemoteEvent::OnOpen(init) => match shared.line_of(init.receiver_id) {
                Some(line) => kind = line,
                None => tracing::debug!(?init.receiver_id, "remote track on an unknown receiver"),
            },
            TrackRemoteEvent::OnRtpPacket(packet) => {
                if let Some(event) = media_event(kind, packet) {
                    shared.count_received(kind);
                    shared.emit(event).await;
                }
            }
            TrackRemoteEvent::OnEnded => break,
            _ => {}
        }
    }
}

/// The event one received packet on `kind`'s m-line makes, if any.
fn media_event(kind: MediaKind, packet: rtp::Packet) -> Option<BackendEvent> {
    match kind {
        // A packet without payload is padding (bandwidth probing), not audio.
        MediaKind::Audio => (!packet.payload.is_empty()).then(|| BackendEvent::Audio {
            payload: packet.payload.to_vec(),
            rtp_timestamp: packet.header.timestamp,
            sequence: packet.header.sequence_number,
        }),
        MediaKind::Video | MediaKind::Share => {
            packet.header.marker.then_some(BackendEvent::VideoFrame {
                share: kind == MediaKind::Share,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn packet(payload: &'static [u8], marker: bool) -> rtp::Packet {
        rtp::Packet {
            header: rtp::Header {
                marker,
                timestamp: 96_000,
                sequence_number: 7,
                ..Default::default()
            },
            payload: Bytes::from_static(payload),
        }
    }

    #[test]
    fn an_audio_packet_is_one_opus_frame_and_padding_is_none() {
        assert_eq!(
            media_event(MediaKind::Audio, packet(b"opus", false)),
            Some(BackendEvent::Audio {
                payload: b"opus".to_vec(),
                rtp_timestamp: 96_000,
                sequence: 7,
            })
        );
        assert_eq!(media_event(MediaKind::Audio, packet(b"", false)), None);
    }

    #[test]
    fn the_marker_bit_ends_a_video_frame_on_its_m_line() {
        assert_eq!(media_event(MediaKind::Video, packet(b"nal", false)), None);
        assert_eq!(
            media_event(MediaKind::Video, packet(b"nal", true)),
            Some(BackendEvent::VideoFrame { share: false })
        );
        assert_eq!(
            media_event(MediaKind::Share, packet(b"nal", true)),
            Some(BackendEvent::VideoFrame { share: true })
        );
    }
}
