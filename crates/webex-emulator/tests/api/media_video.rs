//! Video through the media server: a client's H.264 frames reach the other
//! client of its meeting on the video line, never itself, and a
//! receiver's keyframe request reaches the sender.

use crate::client::start;
use crate::media_peer::Sending;
use crate::media_server::{connect_sending, joined, meeting};

#[tokio::test]
async fn video_goes_to_the_other_client_and_keyframe_requests_to_the_sender() {
    let (emulator, http) = start().await;
    let link = meeting(&emulator, &http).await;
    let (ann, ann_media) = joined(&emulator, &http, "ann@example.com", &link).await;
    let (bob, bob_media) = joined(&emulator, &http, "bob@example.com", &link).await;
    let ann_sends = Sending {
        voice: None,
        video: Some(b"ann-video"),
    };
    let mut ann_peer = connect_sending(&http, &ann, &ann_media, ann_sends).await;
    let bob_sends = Sending {
        voice: Some(b"bob"),
        video: Some(b"bob-video"),
    };
    let mut bob_peer = connect_sending(&http, &bob, &bob_media, bob_sends).await;

    bob_peer.sees(b"ann-video").await;
    ann_peer.sees(b"bob-video").await;
    // Audio still flows beside it.
    ann_peer.hears(b"bob").await;

    // Bob asks for a keyframe on his video line: Ann's client is asked.
    bob_peer.request_keyframe();
    ann_peer.keyframe_requested().await;

    ann_peer.stop().await;
    bob_peer.stop().await;
}

#[tokio::test]
async fn a_lone_client_gets_no_video_echo() {
    let (emulator, http) = start().await;
    let link = meeting(&emulator, &http).await;
    let (ann, ann_media) = joined(&emulator, &http, "ann@example.com", &link).await;
    let sending = Sending {
        voice: Some(b"ann"),
        video: Some(b"ann-video"),
    };
    let mut ann_peer = connect_sending(&http, &ann, &ann_media, sending).await;
    // Her audio echo arrives after her first video frames were sent.
    ann_peer.hears(b"ann").await;
    ann_peer.hears(b"ann").await;
    assert!(!ann_peer.saw_video_so_far());
    ann_peer.stop().await;
}
