//! webrtc-rs's statistics report as [`StreamStats`]: one entry per sent and received RTP
//! stream, its m-line found by `mid` (sent audio counted at hand-over, see `Shared`). A received stream's loss and jitter are those of the
//! receiver reports webrtc-rs sends; a sent stream's come from the peer's reports
//! (`feedback.rs`), with the round-trip time they measure. webrtc-rs reports jitter in RTP
//! timestamp units, converted here with the codec's clock. Without an RTCP measurement the
//! round-trip time is the selected ICE candidate pair's.

use std::time::Duration;

use rtc::rtp_transceiver::rtp_sender::RtpCodecKind;
use rtc::statistics::stats::rtp_stream::RTCRtpStreamStats;
use rtc::statistics::stats::rtp_stream::received::RTCReceivedRtpStreamStats;
use webrtc::peer_connection::{RTCStatsReport, RTCStatsReportEntry};

use super::shared::{LINES, Shared};
use crate::stats::{MediaKind, StreamDirection, StreamStats};

/// The per-stream statistics in `report`; `mids` are the m-lines' mids in [`LINES`] order.
pub(super) fn streams(
    report: &RTCStatsReport,
    mids: &[Option<String>],
    shared: &Shared,
) -> Vec<StreamStats> {
    let line = |mid: &str| {
        mids.iter()
            .position(|m| m.as_deref() == Some(mid))
            .and_then(|index| LINES.get(index).copied())
    };
    let round_trip_time = selected_pair_rtt(report);
    let mut streams = Vec::new();
    for entry in report.iter() {
        match entry {
            RTCStatsReportEntry::OutboundRtp(out) => {
                let Some(kind) = line(&out.mid) else { continue };
                let sent = &out.sent_rtp_stream_stats;
                let base = &sent.rtp_stream_stats;
                let mut stream = StreamStats::new(kind, StreamDirection::Send, base.ssrc);
                if kind == MediaKind::Audio {
                    (stream.packets, stream.bytes) = shared.audio_sent();
                    stream.frames = stream.packets;
                } else {
                    stream.packets = sent.packets_sent;
                    stream.bytes = sent.bytes_sent;
                    stream.frames = u64::from(out.frames_sent);
                }
                let report = shared.reports.get(base.ssrc);
                if let Some(report) = report {
                    stream.packets_lost = report.packets_lost;
                    stream.jitter = Some(jitter(base, f64::from(report.jitter)));
                }
                let measured = report.and_then(|r| r.round_trip_time);
                stream.round_trip_time = measured.or(round_trip_time);
                streams.push(stream);
            }
            RTCStatsReportEntry::InboundRtp(inbound) => {
                let Some(kind) = line(&inbound.mid) else {
                    continue;
                };
                let received = &inbound.received_rtp_stream_stats;
                let base = &received.rtp_stream_stats;
                let mut stream = StreamStats::new(kind, StreamDirection::Receive, base.ssrc);
                stream.packets = received.packets_received;
                stream.bytes = inbound.bytes_received;
                stream.packets_lost = lost(received);
                stream.jitter =
                    (received.packets_received > 0).then(|| jitter(base, received.jitter));
                stream.round_trip_time = round_trip_time;
                stream.frames = shared.frames_received(kind);
                streams.push(stream);
            }
            _ => {}
        }
    }
    streams.sort_by_key(|s| (s.kind as u8, s.direction as u8));
    streams
}

/// Packets lost as our receiver reports count them (negative with duplicates: none lost).
fn lost(received: &RTCReceivedRtpStreamStats) -> u64 {
    u64::try_from(received.packets_lost).unwrap_or(0)
}

/// Jitter in RTP timestamp units as a duration, with the stream's clock (Opus 48 kHz,
/// video 90 kHz).
fn jitter(stream: &RTCRtpStreamStats, units: f64) -> Duration {
    let clock = match stream.kind {
        RtpCodecKind::Audio => 48_000.0,
        _ => 90_000.0,
    };
    Duration::try_from_secs_f64(units / clock).unwrap_or_default()
}

/// The round-trip time of the nominated ICE candidate pair, once measured.
fn selected_pair_rtt(report: &RTCStatsReport) -> Option<Duration> {
    report.iter().find_map(|entry| match entry {
        RTCStatsReportEntry::IceCandidatePair(pair)
            if pair.nominated && pair.current_round_trip_time > 0.0 =>
        {
            Duration::try_from_secs_f64(pair.current_round_trip_time).ok()
        }
        _ => None,
    })
}
