//! Event delivery on tokio's paused clock: backpressure for slow readers, lag reported as
//! an error item, and oversized frames answered with 1009.

mod common;
mod support;

use std::time::Duration;

use futures::StreamExt;
use tokio::time::Instant;
use webex_emulator::Emulator;
use webex_mercury::{ConnectionState, EventError, MercuryEvent, MercuryExt};

use support::{client, config, create_room, next_activity, state_where};

/// Fails unless the emulator saw the client close a socket with `code`.
fn assert_a_client_close_with(emulator: &Emulator, code: u16) {
    let states: Vec<_> = emulator
        .mercury_connections()
        .into_iter()
        .map(|c| c.state)
        .collect();
    assert!(
        states.iter().any(|s| matches!(
            s,
            webex_emulator::MercuryConnectionState::ClosedByClient { code: Some(c), .. } if *c == code
        )),
        "{states:?}"
    );
}

/// A slow reader gets backpressure, not loss: with a queue of two, a reader that takes a
/// second per event still gets every event, and no error item.
#[tokio::test(start_paused = true)]
async fn a_slow_reader_gets_every_event() {
    let emulator = Emulator::start_default().await.unwrap();
    let config = config().with_event_buffer(2, Duration::from_secs(5));
    let webex = client(&emulator, config).await;
    let mut events = webex.mercury().events();
    webex.mercury().connect().await.unwrap();
    let mut titles = Vec::new();
    for n in 0..10 {
        titles.push(format!("room {n}"));
        create_room(&webex, &titles[n]).await;
    }
    let mut seen = Vec::new();
    while seen.len() < titles.len() {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let event = next_activity(&mut events).await;
        seen.push(
            event
                .activity
                .object
                .unwrap_or_default()
                .display_name
                .unwrap_or_default(),
        );
    }
    assert_eq!(seen, titles);
    webex.mercury().disconnect().await;
}

/// A stream that is not read misses events only after the hand-off timeout, is told how
/// many with an error item, and goes on; a stream that is read gets every event.
#[tokio::test(start_paused = true)]
async fn a_stream_that_falls_behind_gets_lagged_with_the_count() {
    let emulator = Emulator::start_default().await.unwrap();
    let config = config().with_event_buffer(2, Duration::from_secs(1));
    let webex = client(&emulator, config).await;
    let mut slow = webex.mercury().events();
    let mut fast = webex.mercury().events();
    webex.mercury().connect().await.unwrap();
    let (ids, mut read) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let id = next_activity(&mut fast).await.activity.id;
            if ids.send(id).is_err() {
                return;
            }
        }
    });
    let mut all = Vec::new();
    for n in 0..5 {
        create_room(&webex, &format!("room {n}")).await;
    }
    // The read stream has all five, so the driver is done with the unread one (which comes
    // first and is waited for, up to the hand-off timeout, for every event).
    while all.len() < 5 {
        all.push(read.recv().await.unwrap());
    }
    // Queue of two: the readiness event and the first activity; the next four were missed.
    let first = slow.next().await.unwrap().unwrap();
    assert_eq!(first.event_type(), "mercury.buffer_state");
    let MercuryEvent::Activity(event) = slow.next().await.unwrap().unwrap() else {
        panic!("not an activity");
    };
    assert_eq!(event.activity.id, all[0]);
    create_room(&webex, "after").await;
    all.push(read.recv().await.unwrap());
    assert_eq!(
        slow.next().await.unwrap(),
        Err(EventError::Lagged { missed: 4 })
    );
    let MercuryEvent::Activity(event) = slow.next().await.unwrap().unwrap() else {
        panic!("not an activity");
    };
    assert_eq!(event.activity.id, all[5]);
    webex.mercury().disconnect().await;
}

/// A frame over the size cap (but under the hard limit) is acked, shows on the stream as a
/// skipped frame with its id, and the socket is closed with 1009; after the reconnect it is
/// not redelivered and the stream goes on.
#[tokio::test(start_paused = true)]
async fn an_oversized_frame_is_acked_reported_and_answered_with_1009() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, config().with_max_frame_size(8 * 1024)).await;
    let mut events = webex.mercury().events();
    let mut state = webex.mercury().state().unwrap();
    webex.mercury().connect().await.unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;
    // 16 KiB: over the cap, under the hard limit (32 KiB).
    create_room(&webex, &"x".repeat(16 * 1024)).await;
    let skipped = loop {
        match tokio::time::timeout(Duration::from_secs(60), events.next()).await {
            Ok(Some(Err(err))) => break err,
            Ok(Some(Ok(_))) => {}
            other => panic!("{other:?}"),
        }
    };
    assert!(
        matches!(&skipped, EventError::Malformed { id: Some(_), reason } if reason.contains("too large")),
        "{skipped:?}"
    );
    state_where(&mut state, |s| *s == ConnectionState::Connected).await;
    create_room(&webex, "small").await;
    let next = next_activity(&mut events).await;
    let room = next.activity.object.unwrap_or_default();
    assert_eq!(room.display_name.as_deref(), Some("small"));
    assert_a_client_close_with(&emulator, 1009);
    webex.mercury().disconnect().await;
}

/// A frame too large to be read at all (over the hard limit) closes the socket with 1009 and
/// shows on the stream as a skipped frame without an id; the stream goes on. It cannot be
/// acked, so the emulator redelivers it to every new socket (a poison frame there), and the
/// backoff keeps that from becoming a loop.
#[tokio::test(start_paused = true)]
async fn a_frame_too_large_to_read_is_reported_and_backed_off() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, config().with_max_frame_size(8 * 1024)).await;
    let mut events = webex.mercury().events();
    webex.mercury().connect().await.unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;
    // Over the hard limit (32 KiB).
    create_room(&webex, &"x".repeat(40 * 1024)).await;
    let until = Instant::now() + Duration::from_secs(60);
    let mut skipped = Vec::new();
    while let Ok(Some(item)) = tokio::time::timeout_at(until, events.next()).await {
        if let Err(err) = item {
            skipped.push(err);
        }
    }
    assert!(
        skipped.iter().all(
            |e| matches!(e, EventError::Malformed { reason, .. } if reason.contains("too large"))
        ),
        "{skipped:?}"
    );
    // Immediately after a healthy connection, then after waits of 1, 2, 4, 8, 16, 32, 32 s,
    // each jittered into [d/2, d]: at least 47.5 s for eight, 63.5 s for nine.
    assert!((2..=8).contains(&skipped.len()), "{skipped:?}");
    assert_a_client_close_with(&emulator, 1009);
    webex.mercury().disconnect().await;
}
