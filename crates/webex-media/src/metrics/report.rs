//! One queued metrics item from a statistics sample, as the JS SDK's media engine hands its
//! stats reports to `RtcMetrics`: `{"name": "stats-report", "timestamp": ms, "payload": [..]}`,
//! each payload entry a JSON string describing one RTP stream in WebRTC-stats terms
//! (`inbound-rtp` / `outbound-rtp`).

use serde_json::{Value, json};

use crate::stats::{MediaKind, MediaStats, StreamDirection, StreamStats};

/// The metrics item for `stats` taken at `timestamp_ms` (Unix milliseconds); `None` when
/// there is no stream to report.
pub(crate) fn stats_item(stats: &MediaStats, timestamp_ms: u64) -> Option<Value> {
    let payload: Vec<Value> = stats
        .streams
        .iter()
        .map(|stream| Value::String(stream_entry(stream).to_string()))
        .collect();
    (!payload.is_empty())
        .then(|| json!({ "name": "stats-report", "timestamp": timestamp_ms, "payload": payload }))
}

fn stream_entry(stream: &StreamStats) -> Value {
    let kind = match stream.kind {
        MediaKind::Audio => "audio",
        MediaKind::Video | MediaKind::Share => "video",
    };
    let mut entry = json!({
        "ssrc": stream.ssrc,
        "kind": kind,
        "mediaContent": if stream.kind == MediaKind::Share { "slides" } else { "main" },
        "packetsLost": stream.packets_lost,
        "framesCount": stream.frames,
    });
    let (kind_name, packets, bytes) = match stream.direction {
        StreamDirection::Send => ("outbound-rtp", "packetsSent", "bytesSent"),
        StreamDirection::Receive => ("inbound-rtp", "packetsReceived", "bytesReceived"),
    };
    entry["type"] = kind_name.into();
    entry[packets] = stream.packets.into();
    entry[bytes] = stream.bytes.into();
    if let Some(jitter) = stream.jitter {
        entry["jitter"] = jitter.as_secs_f64().into();
    }
    if let Some(rtt) = stream.round_trip_time {
        entry["roundTripTime"] = rtt.as_secs_f64().into();
    }
    entry
}
