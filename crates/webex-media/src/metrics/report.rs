//! One queued metrics item from a statistics sample: `{"payload": [..]}`, each entry a JSON
//! string describing one RTP stream in WebRTC-stats terms (`inbound-rtp` / `outbound-rtp`).

use serde_json::{Value, json};

use crate::stats::{MediaKind, MediaStats, StreamDirection, StreamStats};

/// The metrics item for `stats`; `None` when there is no stream to report.
pub(crate) fn stats_item(stats: &MediaStats) -> Option<Value> {
    let payload: Vec<Value> = stats
        .streams
        .iter()
        .map(|stream| Value::String(stream_entry(stream).to_string()))
        .collect();
    (!payload.is_empty()).then(|| json!({ "payload": payload }))
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
