//! How `messages().listen()` delivers: fetches run at once but events keep their order, and a
//! message that cannot be fetched is an error item naming its activity, not a silent gap.
#![cfg(feature = "listen")]

mod common;

use webex_emulator::Fault;
use webex_messages::MessagesExt;
use webex_messages::listen::{ListenError, MessageEventData};
use webex_messages::messages::Message;

use common::{listening_client, next, next_item};

fn text(data: &MessageEventData) -> &str {
    match data {
        MessageEventData::Created(message) => message.text.as_deref().unwrap_or_default(),
        other => panic!("not a created message: {other:?}"),
    }
}

/// A fault on the message fetches (`GET /v1/messages/<id>`).
fn on_fetch(fault: Fault) -> Fault {
    Fault {
        path_prefix: Some("/v1/messages/".into()),
        method: Some("GET".into()),
        ..fault
    }
}

async fn post(webex: &webex_core::Webex, room: &str, text: &str) -> Message {
    webex
        .messages()
        .create()
        .room_id(room)
        .text(text)
        .await
        .unwrap()
}

#[tokio::test]
async fn fetches_run_at_once_and_events_keep_their_order() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let room = webex.rooms().create("Order").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    // The first fetch is slow; the other two are not.
    s.emulator.add_fault(on_fetch(Fault {
        delay_ms: Some(1500),
        ..Fault::default()
    }));
    for text in ["one", "two", "three"] {
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
    let room = webex.rooms().create("Lost").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    s.emulator.add_fault(on_fetch(Fault {
        status: Some(404),
        ..Fault::default()
    }));
    let lost = post(&webex, room.id.as_str(), "lost").await;
    post(&webex, room.id.as_str(), "found").await;

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
