//! Per-stream statistics of a media connection: packets, bytes, loss, jitter and round-trip
//! time, as the backends read them from RTCP and their own counters.

use std::time::Duration;

/// The statistics of every stream of a connection.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct MediaStats {
    /// One entry per RTP stream (send and receive), audio first.
    pub streams: Vec<StreamStats>,
}

impl MediaStats {
    /// The stream of `kind` going `direction`, if any.
    pub fn stream(&self, kind: MediaKind, direction: StreamDirection) -> Option<&StreamStats> {
        self.streams
            .iter()
            .find(|s| s.kind == kind && s.direction == direction)
    }
}

/// Which m-line a stream belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// The audio m-line.
    Audio,
    /// The main video m-line.
    Video,
    /// The share (`a=content:slides`) video m-line.
    Share,
}

/// Whether a stream is sent or received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamDirection {
    /// Sent by this side.
    Send,
    /// Received by this side.
    Receive,
}

/// One RTP stream's statistics.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StreamStats {
    /// The m-line.
    pub kind: MediaKind,
    /// Sent or received.
    pub direction: StreamDirection,
    /// The stream's SSRC.
    pub ssrc: u32,
    /// RTP packets sent or received.
    pub packets: u64,
    /// RTP payload bytes sent or received.
    pub bytes: u64,
    /// Packets lost: for a received stream, counted from sequence gaps; for a sent stream,
    /// as the remote side reports in RTCP receiver reports.
    pub packets_lost: u64,
    /// Interarrival jitter (received: measured; sent: as reported), when known.
    pub jitter: Option<Duration>,
    /// Round-trip time from RTCP, when known.
    pub round_trip_time: Option<Duration>,
    /// Frames (audio: Opus packets; video: assembled frames).
    pub frames: u64,
}

impl StreamStats {
    /// An empty entry for a stream.
    pub fn new(kind: MediaKind, direction: StreamDirection, ssrc: u32) -> Self {
        StreamStats {
            kind,
            direction,
            ssrc,
            packets: 0,
            bytes: 0,
            packets_lost: 0,
            jitter: None,
            round_trip_time: None,
            frames: 0,
        }
    }
}
