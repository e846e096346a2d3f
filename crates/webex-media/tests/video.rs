//! Local video: A sends the generated test pattern as H.264, B counts the frames it
//! receives, through the emulator's media server, once per built backend (feature `video`).
//! And the pattern's encoding decodes back to its size.

#![cfg(feature = "video")]

mod common;

use webex_media::video::{H264Encoder, TestPattern, VideoSource, decoded_size};
use webex_media::{
    Backend, MediaConnection, MediaEvent, MediaKind, StreamDirection, StreamOptions,
};

use common::{PATIENCE, Participant, backends, config, connect, meeting, next_event};

/// Frames B must count (a second at 30 fps).
const FRAMES: u64 = 30;

async fn b_counts_a_test_pattern(backend: Backend) {
    let emulator = webex_emulator::Emulator::start_default()
        .await
        .expect("emulator");
    let link = meeting(&emulator);
    let ann = Participant::join(&emulator, "Ann", &link).await;
    let bob = Participant::join(&emulator, "Bob", &link).await;
    let sending = StreamOptions {
        send: true,
        receive: true,
    };
    let (a, _a_events) = connect(&ann, config(backend).video(sending)).await;
    let (b, mut b_events) = connect(&bob, config(backend)).await;
    a.set_video_source(Some(Box::new(TestPattern::new(320, 240, 30))))
        .await
        .expect("the encoder starts");

    next_event(&mut b_events, |event| {
        matches!(event, MediaEvent::FirstVideoReceived { share: false }).then_some(())
    })
    .await;
    let counted = async {
        while video_frames(&b, StreamDirection::Receive).await <= FRAMES {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(PATIENCE, counted)
        .await
        .expect("B counts A's frames in time");
    if backend == Backend::Str0m {
        // str0m counts the access units it wrote (webrtc-rs's sender stats count packets).
        assert!(video_frames(&a, StreamDirection::Send).await > FRAMES);
    }
    a.close().await;
    b.close().await;
}

/// Video frames `connection` counted in `direction` on the main video m-line.
async fn video_frames(connection: &MediaConnection, direction: StreamDirection) -> u64 {
    connection
        .stats()
        .await
        .expect("stats")
        .stream(MediaKind::Video, direction)
        .map_or(0, |s| s.frames)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b_counts_the_test_pattern_a_sends_on_every_backend() {
    for backend in backends() {
        b_counts_a_test_pattern(backend).await;
    }
}

#[test]
fn the_test_pattern_encodes_to_h264_that_decodes_to_its_size() {
    let mut pattern = TestPattern::new(320, 240, 30);
    let mut encoder = H264Encoder::new(pattern.frame_rate()).expect("encoder");
    let mut units = Vec::new();
    for n in 0..10 {
        let picture = pattern.next_frame().expect("an endless pattern");
        let unit = encoder.encode(&picture, n == 0).expect("encoded");
        // Annex-B: every access unit starts with a start code.
        assert!(unit.starts_with(&[0, 0, 0, 1]), "frame {n}");
        units.push(unit);
    }
    // The keyframe carries SPS (NAL type 7) and an IDR slice (type 5); the next frames don't.
    let nal_types = |unit: &[u8]| -> Vec<u8> {
        unit.windows(4)
            .filter(|w| w[..3] == [0, 0, 1])
            .map(|w| w[3] & 0x1f)
            .collect()
    };
    assert!(nal_types(&units[0]).contains(&7) && nal_types(&units[0]).contains(&5));
    assert!(!nal_types(&units[1]).contains(&5));
    let size = decoded_size(units.iter().map(Vec::as_slice)).expect("decodes");
    assert_eq!(size, Some((320, 240)));
}
