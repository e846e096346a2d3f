//! How `messages().listen()` delivers: fetches run at once but events keep their order, a
//! message that cannot be fetched is an error item naming its activity, not a silent gap,
//! and messages missed while the socket was down are backfilled once.
#![cfg(feature = "listen")]

mod common;

use std::time::Duration;

use webex_core::http::{Request, Target};
use webex_devices::DevicesExt;
use webex_emulator::{Fault, MercuryFault, MercuryFaultAction};
use webex_mercury::MercuryConfig;
use webex_messages::MessagesExt;
use webex_messages::listen::{ListenError, MessageEventData};

use common::{listening_client, listening_client_with, next, next_item, post, text};

/// A fault on the message fetches (`GET /v1/messages/<id>`).
fn on_fetch(fault: Fault) -> Fault {
    Fault {
        path_prefix: Some("/v1/messages/".into()),
        method: Some("GET".into()),
        ..fault
    }
}

#[tokio::test]
async fn fetches_run_at_once_and_events_keep_their_order() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    // One room each: posts of one room that arrive together are listed, not fetched one by
    // one (tests/listen_coalesced.rs).
    let mut rooms = Vec::new();
    for title in ["Order 1", "Order 2", "Order 3"] {
        rooms.push(webex.rooms().create(title).await.unwrap());
    }
    let mut events = webex.messages().listen().await.unwrap();
    // The first fetch is slow; the other two are not.
    s.emulator.add_fault(on_fetch(Fault {
        delay_ms: Some(1500),
        ..Fault::default()
    }));
    for (room, text) in rooms.iter().zip(["one", "two", "three"]) {
        post(&webex, room.id.as_str(), text).await;
    }

    let first = next(&mut events).await;
    assert_eq!(text(&first.data), "one");
    // The first event waited for the slow fetch; the others were already asked for.
    assert_eq!(s.emulator.request_count("/v1/messages/"), 3);
    assert_eq!(text(&next(&mut events).await.data), "two");
    assert_eq!(text(&next(&mut events).await.data), "three");
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_message_that_cannot_be_fetched_is_an_error_item_and_the_stream_goes_on() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    // Two rooms: posts of one room that arrive together are listed, not fetched one by one
    // (tests/listen_coalesced.rs has the listing's own case).
    let room = webex.rooms().create("Lost").await.unwrap();
    let other = webex.rooms().create("Found").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    s.emulator.add_fault(on_fetch(Fault {
        status: Some(404),
        ..Fault::default()
    }));
    let lost = post(&webex, room.id.as_str(), "lost").await;
    post(&webex, other.id.as_str(), "found").await;

    match next_item(&mut events).await {
        Err(ListenError::Fetch { activity_id, error }) => {
            assert_eq!(activity_id, lost.id.uuid().unwrap().to_string());
            assert_eq!(error.kind(), webex_core::ErrorKind::NotFound);
        }
        other => panic!("expected a fetch error, got {other:?}"),
    }
    let found = next(&mut events).await;
    assert_eq!(text(&found.data), "found");
    assert!(!found.backfilled);
    webex.shutdown().await.unwrap();
}

/// Ada listening (quick to notice a silent socket, quick to come back) in a room with
/// Alice, who posts; "before" already delivered live.
struct Stalling {
    s: common::Setup,
    webex: webex_core::Webex,
    alice: webex_core::Webex,
    room: String,
    events: webex_messages::listen::EventStream<MessageEventData>,
}

impl Stalling {
    async fn new() -> Self {
        let s = common::Setup::new().await;
        let config = MercuryConfig::default()
            .with_ping(Duration::from_secs(1), Duration::from_secs(2))
            .with_backoff(Duration::from_millis(50), Duration::from_millis(500));
        let webex = listening_client_with(&s, &s.me, config).await;
        let room = webex.rooms().create("Backfill").await.unwrap();
        webex
            .memberships()
            .create(&room.id)
            .person_email(&s.alice.email)
            .await
            .unwrap();
        let alice = common::client_for(&s.emulator, &s.alice).await;
        let mut events = webex.messages().listen().await.unwrap();
        post(&alice, room.id.as_str(), "before").await;
        let before = next(&mut events).await;
        assert_eq!(text(&before.data), "before");
        assert!(!before.backfilled);
        Self {
            s,
            webex,
            alice,
            room: room.id.into_string(),
            events,
        }
    }

    /// Ada's socket goes silent: what is posted now waits for the device's next socket.
    fn stall(&self) {
        let hit = self.s.emulator.add_mercury_fault(MercuryFault {
            action: MercuryFaultAction::Stall,
            person_id: Some(self.s.me.id.clone()),
        });
        assert_eq!(hit, 1);
    }

    async fn post(&self, text: &str) {
        post(&self.alice, &self.room, text).await;
    }
}

#[tokio::test]
async fn messages_missed_while_the_device_was_gone_are_backfilled_once() {
    let mut t = Stalling::new().await;
    t.stall();
    t.post("missed 1").await;
    t.post("missed 2").await;
    // ... until the device is deleted (as another process of the user's might): then it is
    // dropped, and so is what is posted next. Only REST can bring them back.
    let device = t.webex.devices().current().expect("a registered device");
    let other = common::client_for(&t.s.emulator, &t.s.me).await;
    other
        .http()
        .send(Request::delete(Target::Url(device.url)))
        .await
        .unwrap();
    t.post("missed 3").await;

    // The client notices the silence, registers anew, reconnects and backfills: the missed
    // messages once each, in order, and not "before" again.
    for expected in ["missed 1", "missed 2", "missed 3"] {
        let event = next(&mut t.events).await;
        assert_eq!(text(&event.data), expected);
        assert!(event.backfilled, "{expected} is backfilled");
    }
    t.post("after").await;
    let after = next(&mut t.events).await;
    assert_eq!(text(&after.data), "after");
    assert!(!after.backfilled);
    t.webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_message_both_redelivered_and_backfilled_surfaces_once() {
    let mut t = Stalling::new().await;
    t.stall();
    t.post("missed 1").await;
    t.post("missed 2").await;
    // The same device comes back: Mercury hands it what waited, and the backfill finds the
    // same messages over REST. Each comes out once.
    for expected in ["missed 1", "missed 2"] {
        assert_eq!(text(&next(&mut t.events).await.data), expected);
    }
    t.post("after").await;
    assert_eq!(text(&next(&mut t.events).await.data), "after");
    t.webex.shutdown().await.unwrap();
}
