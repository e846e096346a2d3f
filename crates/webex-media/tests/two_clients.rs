//! Two `MediaConnection`s in one emulated meeting, over real UDP through the emulator's media
//! server: A plays a 1 kHz tone, B hears it (checked by frequency) and both report stats. Runs
//! once per built backend.

mod common;

use futures::StreamExt;
use webex_emulator::Emulator;
use webex_media::audio::{AudioFrame, ToneSource, tone_level};
use webex_media::{Backend, MediaKind, StreamDirection};

use common::{PATIENCE, Participant, backends, config, connect, meeting};

/// Frames of B's audio examined (one second).
const HEARD_FRAMES: usize = 50;

async fn b_hears_a_tone(backend: Backend) {
    let emulator = Emulator::start_default().await.expect("emulator");
    let link = meeting(&emulator);
    let ann = Participant::join(&emulator, "Ann", &link).await;
    let bob = Participant::join(&emulator, "Bob", &link).await;

    let (a, _a_events) = connect(&ann, config(backend)).await;
    let (b, _b_events) = connect(&bob, config(backend)).await;
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

    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_hears_the_tone_a_plays_on_every_backend() {
    for backend in backends() {
        b_hears_a_tone(backend).await;
    }
}
