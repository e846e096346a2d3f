//! The meeting roster (the example's own code, `webex_examples::meeting_roster`) on the
//! emulator: it joins as the host and prints a line for each change another person makes —
//! joining, muting, unmuting, sharing, leaving — and stops when the meeting ends.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{client, person};
use webex::meetings::{JoinOptions, Medium, ShareKind};
use webex::prelude::*;
use webex_emulator::{Emulator, NewMeeting};
use webex_examples::meeting_roster::{self, RunEnd};

/// Waits until the roster printed `line`.
async fn printed(lines: &Arc<Mutex<Vec<String>>>, line: &str) {
    let wait = async {
        while !lines.lock().unwrap().iter().any(|l| l == line) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    if tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .is_err()
    {
        panic!(
            "the roster never printed {line:?}; it printed {:?}",
            lines.lock().unwrap()
        );
    }
}

#[tokio::test]
async fn the_roster_prints_each_change_until_the_meeting_ends() {
    let emulator = Emulator::start_default().await.unwrap();
    let host = person(&emulator, "Hana Host", "hana@acme.test");
    let pat = person(&emulator, "Pat Person", "pat@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Roster", "hana@acme.test"))
        .unwrap();

    let host_client = client(&emulator, &host).await;
    let host_meeting = host_client
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let roster = {
        let lines = lines.clone();
        let meeting = host_meeting.clone();
        tokio::spawn(async move {
            meeting_roster::run(
                &meeting,
                JoinOptions::default(),
                move |line| lines.lock().unwrap().push(line),
                async {
                    let _ = stop_rx.await;
                },
            )
            .await
        })
    };
    printed(&lines, "Hana Host joined").await;

    let pat_client = client(&emulator, &pat).await;
    let pat_meeting = pat_client
        .meetings()
        .create(&created.sip_uri, None)
        .await
        .unwrap();
    pat_meeting.join(JoinOptions::default()).await.unwrap();
    printed(&lines, "Pat Person joined").await;
    // Joined without media, Pat starts muted.
    pat_meeting.unmute_audio().await.unwrap();
    printed(&lines, "Pat Person unmuted").await;
    pat_meeting.mute_audio().await.unwrap();
    printed(&lines, "Pat Person muted").await;
    // Muted locally, Pat sends no audio: the host's server-side mute is its own line.
    let pat_id = pat_meeting.view().unwrap().self_id.clone().unwrap();
    host_meeting
        .mute_member(&pat_id, Medium::Audio, true)
        .await
        .unwrap();
    printed(&lines, "Pat Person muted (server-side)").await;
    pat_meeting.unmute_video().await.unwrap();
    printed(&lines, "Pat Person turned video on").await;
    pat_meeting.request_floor(ShareKind::Content).await.unwrap();
    printed(&lines, "Pat Person started sharing").await;
    pat_meeting.release_floor(ShareKind::Content).await.unwrap();
    printed(&lines, "Pat Person stopped sharing").await;
    pat_meeting.leave().await.unwrap();
    printed(&lines, "Pat Person left").await;

    host_meeting.end_for_all().await.unwrap();
    let end = tokio::time::timeout(Duration::from_secs(20), roster)
        .await
        .expect("the roster stops when the meeting ends")
        .unwrap()
        .unwrap();
    assert_eq!(end, RunEnd::MeetingEnded);
    assert_eq!(
        lines.lock().unwrap().last().map(String::as_str),
        Some("the meeting ended")
    );
    drop(stop_tx);
}
