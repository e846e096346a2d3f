//! The driver against the emulator's Mercury faults, on tokio's paused clock: each close
//! code's outcome, a stalled socket noticed by the pong timeout, the backoff when the server
//! drops right after readiness, no device refresh storm, redeliveries dropped, and lag
//! reported as an error item.

mod common;

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use tokio::sync::watch;
use tokio::time::Instant;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_emulator::{Emulator, MercuryFault, MercuryFaultAction};
use webex_mercury::{
    ConnectionState, EventError, MercuryConfig, MercuryError, MercuryEvent, MercuryExt,
    MercuryPlugin,
};

fn config() -> MercuryConfig {
    MercuryConfig::default().with_jitter_seed(11)
}

async fn client(emulator: &Emulator, config: MercuryConfig) -> Webex {
    let (builder, _) = common::client_builder(emulator, MercuryPlugin::new(config));
    builder.build().await.expect("client builds")
}

fn fault(action: MercuryFaultAction) -> MercuryFault {
    MercuryFault {
        action,
        person_id: None,
    }
}

/// Waits (bounded, on the paused clock) for a state that `done` accepts.
async fn state_where(
    state: &mut watch::Receiver<ConnectionState>,
    done: impl FnMut(&ConnectionState) -> bool,
) -> ConnectionState {
    tokio::time::timeout(Duration::from_secs(600), state.wait_for(done))
        .await
        .expect("the state in time")
        .expect("the plugin lives")
        .clone()
}

/// Creates a room; its `conversation.activity` (`create`) reaches the creator's socket.
async fn create_room(webex: &Webex, title: &str) -> String {
    let room: serde_json::Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({ "title": title }))
                .unwrap(),
        )
        .await
        .unwrap();
    room["id"].as_str().unwrap().to_owned()
}

async fn next_activity(
    events: &mut (impl futures::Stream<Item = Result<MercuryEvent, EventError>> + Unpin),
) -> webex_mercury::ActivityEvent {
    common::next_activity(events, Duration::from_secs(120)).await
}

#[tokio::test(start_paused = true)]
async fn each_injected_close_code_ends_as_the_policy_says() {
    for (code, reconnects) in [
        (1001, true),
        (1005, true),
        (1006, true),
        (1011, true),
        (4000, true),
        (1000, false),
        (1003, false),
        (1008, false),
        (4403, false),
    ] {
        let emulator = Emulator::start_default().await.unwrap();
        let webex = client(&emulator, config()).await;
        let mut state = webex.mercury().state().unwrap();
        webex.mercury().connect().await.unwrap();
        // Healthy first, so a reconnect is immediate.
        tokio::time::sleep(Duration::from_secs(11)).await;
        assert_eq!(
            emulator.add_mercury_fault(fault(MercuryFaultAction::Close { code })),
            1
        );
        let after = state_where(&mut state, |s| !matches!(s, ConnectionState::Connected)).await;
        if reconnects {
            assert_eq!(
                after,
                ConnectionState::Reconnecting { failures: 0 },
                "{code}"
            );
            state_where(&mut state, |s| *s == ConnectionState::Connected).await;
            assert_eq!(emulator.mercury_connections().len(), 2, "{code}");
        } else {
            let ConnectionState::Failed(err) = after else {
                panic!("{code}: {after:?}");
            };
            match code {
                4403 => assert!(matches!(err, MercuryError::Forbidden { .. }), "{err:?}"),
                _ => assert!(
                    matches!(err, MercuryError::Closed { code: c, .. } if c == code),
                    "{err:?}"
                ),
            }
        }
        webex.mercury().disconnect().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_stalled_socket_is_replaced_within_ping_interval_plus_pong_timeout() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, config()).await;
    let mut events = webex.mercury().events();
    let mut state = webex.mercury().state().unwrap();
    webex.mercury().connect().await.unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;

    let stalled_at = Instant::now();
    assert_eq!(
        emulator.add_mercury_fault(fault(MercuryFaultAction::Stall)),
        1
    );
    // Published while the socket is silent: parked for the next socket.
    create_room(&webex, "during the stall").await;
    state_where(&mut state, |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let noticed = stalled_at.elapsed();
    assert!(
        noticed <= Duration::from_secs(15 + 14),
        "a stall is noticed by the next ping's pong timeout: {noticed:?}"
    );
    state_where(&mut state, |s| *s == ConnectionState::Connected).await;

    let created = next_activity(&mut events).await;
    assert_eq!(created.activity.verb, "create");
    let room = created.activity.object.clone().unwrap_or_default();
    assert_eq!(room.display_name.as_deref(), Some("during the stall"));
    // Exactly once: a later activity comes next, not a redelivered copy.
    create_room(&webex, "after").await;
    let next = next_activity(&mut events).await;
    assert_ne!(next.activity.id, created.activity.id);
    webex.mercury().disconnect().await;
}

/// A server that drops every connection right after readiness meets a growing backoff
/// (1, 2, 4, 8 s, each jittered into its upper half), not a reconnect loop; and one that
/// answers with 1005 each time gets one device refresh per 30 s, not one per attempt.
#[tokio::test(start_paused = true)]
async fn drops_right_after_readiness_back_off_and_refresh_the_device_sparingly() {
    for (action, refreshes_device) in [
        (MercuryFaultAction::Drop, false),
        (MercuryFaultAction::Close { code: 1005 }, true),
    ] {
        let emulator = Emulator::start_default().await.unwrap();
        let webex = client(&emulator, config()).await;
        let mut state = webex.mercury().state().unwrap();
        webex.mercury().connect().await.unwrap();
        let started = Instant::now();
        let device_requests = emulator.request_count("/wdm/api/v1/devices");
        for failures in 1..=5u32 {
            let dropped_at = Instant::now();
            assert_eq!(emulator.add_mercury_fault(fault(action)), 1);
            let after = state_where(&mut state, |s| !matches!(s, ConnectionState::Connected)).await;
            assert_eq!(
                after,
                ConnectionState::Reconnecting { failures },
                "{action:?}"
            );
            state_where(&mut state, |s| *s == ConnectionState::Connected).await;
            let waited = dropped_at.elapsed();
            let full = config().backoff(failures);
            assert!(waited >= full / 2, "{action:?} {failures}: {waited:?}");
        }
        let refreshes = emulator.request_count("/wdm/api/v1/devices") - device_requests;
        if refreshes_device {
            let allowed = 1 + usize::try_from(started.elapsed().as_secs() / 30).unwrap();
            assert!(
                (1..=allowed).contains(&refreshes),
                "{refreshes} device refreshes in {:?}",
                started.elapsed()
            );
        } else {
            assert_eq!(refreshes, 0);
        }
        webex.mercury().disconnect().await;
    }
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

/// A frame over the size cap closes the socket with 1009 and shows on the stream as a
/// skipped frame; the stream goes on. The emulator redelivers the unacked frame to every new
/// socket (it stays a poison frame there), and the backoff keeps that from becoming a loop.
#[tokio::test(start_paused = true)]
async fn an_oversized_frame_is_reported_and_answered_with_1009() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, config().with_max_frame_size(8 * 1024)).await;
    let mut events = webex.mercury().events();
    webex.mercury().connect().await.unwrap();
    tokio::time::sleep(Duration::from_secs(11)).await;
    create_room(&webex, &"x".repeat(16 * 1024)).await;
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
    let closes: Vec<_> = emulator
        .mercury_connections()
        .into_iter()
        .map(|c| c.state)
        .collect();
    assert!(
        closes.iter().any(|s| matches!(
            s,
            webex_emulator::MercuryConnectionState::ClosedByClient {
                code: Some(1009),
                ..
            }
        )),
        "{closes:?}"
    );
    webex.mercury().disconnect().await;
}
