//! A meeting of one str0m client and one webrtc-rs client through the emulator's media
//! server: each plays its own tone and hears the other's, told apart by frequency; the
//! statistics of each side count what the other sent and the peer's reports about it.

#![cfg(all(feature = "str0m", feature = "webrtc"))]

mod common;

use futures::StreamExt;
use webex_emulator::Emulator;
use webex_media::audio::{ToneSource, tone_level};
use webex_media::{Backend, MediaConnection, MediaKind, StreamDirection};

use common::{PATIENCE, Participant, config, connect, meeting};

/// Frames of a side's remote audio examined (one second).
const HEARD_FRAMES: usize = 50;
/// The str0m client's tone.
const STR0M_HZ: f32 = 1000.0;
/// The webrtc-rs client's tone.
const WEBRTC_RS_HZ: f32 = 700.0;

/// One second of what `connection` hears once a tone at `frequency` arrives.
async fn hears(connection: &MediaConnection, frequency: f32) -> Vec<i16> {
    let mut heard = connection.remote_audio();
    let mut samples = Vec::new();
    let listen = async {
        while let Some(frame) = heard.next().await {
            let frame = frame.expect("the listener keeps up").samples;
            // Silence and the decoder settling come first; keep from the tone on.
            if !samples.is_empty() || tone_level(&frame, frequency) > 0.01 {
                samples.extend_from_slice(&frame);
            }
            if samples.len() >= HEARD_FRAMES * frame.len() {
                break;
            }
        }
    };
    tokio::time::timeout(PATIENCE, listen)
        .await
        .expect("the tone arrives in time");
    samples
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_str0m_client_and_a_webrtc_rs_client_hear_each_other() {
    let emulator = Emulator::start_default().await.expect("emulator");
    let link = meeting(&emulator);
    let ann = Participant::join(&emulator, "Ann", &link).await;
    let bob = Participant::join(&emulator, "Bob", &link).await;
    let (str0m, _str0m_events) = connect(&ann, config(Backend::Str0m)).await;
    let (webrtc_rs, _webrtc_rs_events) = connect(&bob, config(Backend::WebrtcRs)).await;

    let tone = |hz| Some(Box::new(ToneSource::new(hz, 0.5)) as _);
    str0m.set_audio_source(tone(STR0M_HZ)).await;
    webrtc_rs.set_audio_source(tone(WEBRTC_RS_HZ)).await;
    let (at_webrtc_rs, at_str0m) =
        tokio::join!(hears(&webrtc_rs, STR0M_HZ), hears(&str0m, WEBRTC_RS_HZ));
    for (samples, own, other, who) in [
        (&at_webrtc_rs, STR0M_HZ, WEBRTC_RS_HZ, "webrtc-rs"),
        (&at_str0m, WEBRTC_RS_HZ, STR0M_HZ, "str0m"),
    ] {
        let (heard, echoed) = (tone_level(samples, own), tone_level(samples, other));
        assert!(
            heard > 0.05 && heard > 100.0 * echoed,
            "the {who} client hears the other's tone ({heard}) and not its own ({echoed})"
        );
    }

    let stats = webrtc_rs.stats().await.expect("webrtc-rs stats");
    let sent = stats
        .stream(MediaKind::Audio, StreamDirection::Send)
        .expect("webrtc-rs sends audio");
    let received = stats
        .stream(MediaKind::Audio, StreamDirection::Receive)
        .expect("webrtc-rs receives audio");
    assert!(
        sent.packets >= HEARD_FRAMES as u64 && sent.bytes > sent.packets,
        "{sent:?}"
    );
    assert!(received.packets >= HEARD_FRAMES as u64, "{received:?}");
    assert_eq!(received.packets_lost, 0, "{received:?}");
    assert!(received.jitter.is_some(), "{received:?}");
    assert!(sent.round_trip_time.is_some(), "{sent:?}");

    str0m.close().await;
    webrtc_rs.close().await;
}
