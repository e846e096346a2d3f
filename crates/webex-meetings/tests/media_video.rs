//! Video between two of our clients in one emulated meeting (feature `video`): A adds media
//! with webex-media's test pattern as its video source, B (receiving only) is told the video
//! is ready and counts A's frames; turning A's video off stops the sending. Once per backend.
#![cfg(all(feature = "video", any(feature = "str0m", feature = "webrtc")))]

mod common;

use futures::StreamExt;
use webex_media::video::TestPattern;
use webex_media::{Backend, MediaConnection, MediaKind, StreamDirection};
use webex_meetings::MediaOptions;
use webex_meetings::events::{MediaKind as MeetingMediaKind, MeetingEvent};

use common::media::{MEDIA_WAIT, joined, meeting};

/// Frames B must count (a second at 30 fps).
const FRAMES: u64 = 30;

#[cfg(feature = "str0m")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_pattern_reaches_the_other_client() {
    test_pattern(Backend::Str0m).await;
}

#[cfg(feature = "webrtc")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_webrtc_rs_a_test_pattern_reaches_the_other_client() {
    test_pattern(Backend::WebrtcRs).await;
}

async fn test_pattern(backend: Backend) {
    let emulator = webex_emulator::Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Ada Camera", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let a = common::media::joined_as(&emulator, host, &number).await;
    let b = joined(&emulator, "Ben Viewer", &number).await;

    let mut b_events = b.meeting.events();
    a.meeting
        .add_media(
            MediaOptions::new()
                .video(TestPattern::new(320, 240, 30))
                .backend(backend),
        )
        .await
        .expect("A adds media with video");
    b.meeting
        .add_media(MediaOptions::new().backend(backend))
        .await
        .expect("B adds media (receive only)");

    let ready = async {
        while let Some(event) = b_events.next().await {
            if let Ok(MeetingEvent::MediaReady {
                kind: MeetingMediaKind::Video,
            }) = event
            {
                return;
            }
        }
        panic!("B's events ended before the video was ready");
    };
    tokio::time::timeout(MEDIA_WAIT, ready)
        .await
        .expect("B is told A's video is ready");
    let b_media = b.meeting.media().expect("B's media");
    let counted = async {
        while video_frames(&b_media).await <= FRAMES {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(MEDIA_WAIT, counted)
        .await
        .expect("B counts A's frames");

    // Video off at A: the m-line stops sending, so B's count stops growing once what was in
    // flight has arrived.
    a.meeting
        .update_media(None, Some(false))
        .await
        .expect("A turns video off");
    let settled = async {
        loop {
            let before = video_frames(&b_media).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            if video_frames(&b_media).await == before {
                return;
            }
        }
    };
    tokio::time::timeout(MEDIA_WAIT, settled)
        .await
        .expect("A's video stops");

    a.meeting.leave().await.expect("A leaves");
    b.meeting.leave().await.expect("B leaves");
}

/// Video frames `connection` received on the main video m-line.
async fn video_frames(connection: &MediaConnection) -> u64 {
    connection
        .stats()
        .await
        .expect("stats")
        .stream(MediaKind::Video, StreamDirection::Receive)
        .map_or(0, |s| s.frames)
}
