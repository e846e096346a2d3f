//! The per-stream statistics a str0m connection keeps: packets, bytes and frames counted as
//! media passes, loss from sequence gaps, jitter and round-trip time from str0m's RTCP
//! statistics events.

use std::collections::HashMap;
use std::time::Duration;

use str0m::media::MediaData;
use str0m::stats::{MediaEgressStats, MediaIngressStats};

use crate::stats::{MediaKind, StreamDirection, StreamStats};

/// RTP clock rates, for turning jitter in timestamp units into time.
const AUDIO_CLOCK_HZ: f64 = 48_000.0;
const VIDEO_CLOCK_HZ: f64 = 90_000.0;

/// The statistics of one connection, by stream.
#[derive(Debug, Default)]
pub(super) struct Counters {
    streams: HashMap<(MediaKind, StreamDirection), StreamStats>,
    /// The last extended sequence number received per kind (for loss).
    last_received: HashMap<MediaKind, u64>,
}

impl Counters {
    fn entry(&mut self, kind: MediaKind, direction: StreamDirection) -> &mut StreamStats {
        self.streams
            .entry((kind, direction))
            .or_insert_with(|| StreamStats::new(kind, direction, 0))
    }

    /// One Opus frame sent in one packet.
    pub(super) fn sent_audio(&mut self, bytes: usize) {
        let stream = self.entry(MediaKind::Audio, StreamDirection::Send);
        stream.packets += 1;
        stream.frames += 1;
        stream.bytes += bytes as u64;
    }

    /// One video access unit written (its packet count comes from the egress statistics).
    #[cfg_attr(not(feature = "video"), allow(dead_code))]
    pub(super) fn sent_video(&mut self, bytes: usize) {
        let stream = self.entry(MediaKind::Video, StreamDirection::Send);
        stream.frames += 1;
        stream.bytes += bytes as u64;
    }

    /// One frame received; returns how many packets went missing before it.
    pub(super) fn received(&mut self, kind: MediaKind, data: &MediaData) -> u64 {
        let first = **data.seq_range.start();
        let last = **data.seq_range.end();
        let lost = match self.last_received.get(&kind) {
            Some(&previous) if first > previous + 1 => first - previous - 1,
            _ => 0,
        };
        if self.last_received.get(&kind).is_none_or(|&p| last > p) {
            self.last_received.insert(kind, last);
        }
        let stream = self.entry(kind, StreamDirection::Receive);
        stream.packets += last.saturating_sub(first) + 1;
        stream.bytes += data.data.len() as u64;
        stream.frames += 1;
        stream.packets_lost += lost;
        lost
    }

    /// str0m's statistics of a received stream.
    pub(super) fn ingress(&mut self, kind: MediaKind, stats: &MediaIngressStats) {
        let stream = self.entry(kind, StreamDirection::Receive);
        stream.jitter = Some(rtp_duration(kind, u64::from(stats.jitter)));
        stream.round_trip_time = stats.rtt.or(stream.round_trip_time);
    }

    /// str0m's statistics of a sent stream (the remote side's reports in it).
    pub(super) fn egress(&mut self, kind: MediaKind, stats: &MediaEgressStats) {
        let stream = self.entry(kind, StreamDirection::Send);
        stream.round_trip_time = stats.rtt.or(stream.round_trip_time);
        if let Some(remote) = &stats.remote {
            stream.jitter = Some(rtp_duration(kind, u64::from(remote.jitter)));
            stream.packets_lost = remote.packets_lost;
        }
    }

    /// Every stream, audio first, sending before receiving, with `ssrc` filling in SSRCs.
    pub(super) fn snapshot(
        &self,
        ssrc: impl Fn(MediaKind, StreamDirection) -> Option<u32>,
    ) -> Vec<StreamStats> {
        let mut streams: Vec<StreamStats> = self
            .streams
            .values()
            .cloned()
            .map(|mut s| {
                s.ssrc = ssrc(s.kind, s.direction).unwrap_or(s.ssrc);
                s
            })
            .collect();
        streams.sort_by_key(|s| (order(s.kind), s.direction == StreamDirection::Receive));
        streams
    }
}

fn order(kind: MediaKind) -> u8 {
    match kind {
        MediaKind::Audio => 0,
        MediaKind::Video => 1,
        MediaKind::Share => 2,
    }
}

/// `units` of `kind`'s RTP clock as a duration.
fn rtp_duration(kind: MediaKind, units: u64) -> Duration {
    let rate = match kind {
        MediaKind::Audio => AUDIO_CLOCK_HZ,
        MediaKind::Video | MediaKind::Share => VIDEO_CLOCK_HZ,
    };
    Duration::from_secs_f64(units as f64 / rate)
}
