//! Two `MediaConnection`s in one emulated meeting, over real UDP through the emulator's media
//! server: A plays a 1 kHz tone, B hears it (checked by frequency) and both report stats. Runs
//! once per built backend.

mod common;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use webex_emulator::Emulator;
use webex_media::audio::{AudioFrame, ToneSource, tone_level};
use webex_media::{
    Backend, ConnectionState, MediaConnection, MediaKind, RtcMetricsConfig, StreamDirection,
};

use common::{PATIENCE, Participant, RecordingSink, backends, config, connect, meeting};

/// Frames of B's audio examined (one second).
const HEARD_FRAMES: usize = 50;

async fn b_hears_a_tone(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let link = meeting(&emulator);
    let ann = Participant::join(&emulator, "Ann", &link).await;
    let bob = Participant::join(&emulator, "Bob", &link).await;

    let (a, _a_events) = connect(&ann, config(backend)).await;
    let sink = RecordingSink::default();
    let metrics = RtcMetricsConfig {
        sink: Arc::new(sink.clone()),
        user_id: "bob-user".into(),
        meeting_id: "meeting-1".into(),
        correlation_id: "corr-bob".into(),
    };
    let (b, _b_events) = connect(&bob, config(backend).metrics(metrics)).await;
    let mut heard = b.remote_audio();
    a.set_audio_source(Some(Box::new(ToneSource::new(1000.0, 0.5))))
        .await;

    // Skip the first frames (silence before the tone, the decoder settling).
    let mut samples = Vec::new();
    let listen = async {
        let mut loud = 0;
        while let Some(frame) = heard.next().await {
            let AudioFrame { samples: frame } = frame.expect("B keeps up");
            if tone_level(&frame, 1000.0) > 0.01 {
                loud += 1;
            }
            if loud > 5 {
                samples.extend_from_slice(&frame);
            }
            if samples.len() >= HEARD_FRAMES * frame.len() {
                break;
            }
        }
    };
    tokio::time::timeout(PATIENCE, listen)
        .await
        .expect("B hears A in time");
    let at_1000 = tone_level(&samples, 1000.0);
    let at_700 = tone_level(&samples, 700.0);
    assert!(
        at_1000 > 0.05 && at_1000 > 100.0 * at_700,
        "B hears 1 kHz ({at_1000}) far above 700 Hz ({at_700})"
    );

    let sent = a.stats().await.expect("A's stats");
    let sent = sent
        .stream(MediaKind::Audio, StreamDirection::Send)
        .expect("A's audio send stream");
    assert!(sent.packets >= HEARD_FRAMES as u64 && sent.bytes > sent.packets);
    let received = b.stats().await.expect("B's stats");
    let received = received
        .stream(MediaKind::Audio, StreamDirection::Receive)
        .expect("B's audio receive stream");
    assert!(received.packets >= HEARD_FRAMES as u64, "{received:?}");
    assert_ne!(received.ssrc, 0);
    // Loopback loses nothing; the field is there and counted from sequence gaps.
    assert_eq!(received.packets_lost, 0, "{received:?}");

    // Muted, A sends nothing from the next frame on (the stats request is served after any
    // frame under way); unmuted, it sends again.
    a.set_audio_muted(true);
    assert!(a.audio_muted());
    let muted_at = audio_packets_sent(&a).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(audio_packets_sent(&a).await, muted_at);
    a.set_audio_muted(false);
    let resumed = async {
        while audio_packets_sent(&a).await == muted_at {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(PATIENCE, resumed)
        .await
        .expect("A sends again once unmuted");

    a.close().await;
    b.close().await;
    assert_eq!(a.connection_state(), ConnectionState::Closed);

    // Closing sent B's last RTC metrics, which the metrics service accepts.
    let requests = sink.requests();
    let request = requests.last().expect("metrics sent on close");
    let batch = &request.body["metrics"][0];
    assert_eq!(
        (&batch["type"], &batch["correlationId"], &batch["meetingId"]),
        (&json!("webrtc"), &json!("corr-bob"), &json!("meeting-1"))
    );
    let report = &batch["data"][0];
    assert_eq!(report["name"], "stats-report");
    let inbound_audio = report["payload"]
        .as_array()
        .expect("payload")
        .iter()
        .map(|entry| serde_json::from_str::<Value>(entry.as_str().expect("a JSON string")))
        .map(|entry| entry.expect("JSON"))
        .find(|entry| entry["type"] == "inbound-rtp" && entry["kind"] == "audio")
        .expect("B's inbound audio");
    assert!(inbound_audio["packetsReceived"].as_u64() >= Some(HEARD_FRAMES as u64));
    assert_eq!(inbound_audio["packetsLost"], 0);
    assert_eq!(bob.post_metrics(request.clone()).await, 204);
}

/// How many audio packets `connection` has sent.
async fn audio_packets_sent(connection: &MediaConnection) -> u64 {
    connection
        .stats()
        .await
        .expect("stats")
        .stream(MediaKind::Audio, StreamDirection::Send)
        .map_or(0, |s| s.packets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_hears_the_tone_a_plays_on_every_backend() {
    for backend in backends() {
        b_hears_a_tone(backend).await;
    }
}
