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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::{Value, json};

    use super::stats_item;
    use crate::stats::{MediaKind, MediaStats, StreamDirection, StreamStats};

    #[test]
    fn a_stats_report_holds_one_json_string_per_stream() {
        let mut sent = StreamStats::new(MediaKind::Audio, StreamDirection::Send, 7);
        sent.packets = 50;
        sent.bytes = 4000;
        sent.round_trip_time = Some(Duration::from_millis(2));
        let mut share = StreamStats::new(MediaKind::Share, StreamDirection::Receive, 9);
        share.packets_lost = 3;
        let stats = MediaStats {
            streams: vec![sent, share],
        };
        let item = stats_item(&stats, 1_700_000_000_000).expect("an item");
        assert_eq!(item["name"], "stats-report");
        assert_eq!(item["timestamp"], 1_700_000_000_000_u64);
        let entries: Vec<Value> = item["payload"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| serde_json::from_str(e.as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(
            entries[0],
            json!({"type": "outbound-rtp", "kind": "audio", "mediaContent": "main", "ssrc": 7,
                   "packetsSent": 50, "bytesSent": 4000, "packetsLost": 0, "framesCount": 0,
                   "roundTripTime": 0.002})
        );
        assert_eq!(entries[1]["type"], "inbound-rtp");
        assert_eq!(entries[1]["kind"], "video");
        assert_eq!(entries[1]["mediaContent"], "slides");
        assert_eq!(entries[1]["packetsLost"], 3);
        assert!(stats_item(&MediaStats::default(), 0).is_none());
    }
}
