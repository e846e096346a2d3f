//! How `messages().listen()` fetches the messages of posts that arrive together: one listing
//! per room instead of one `GET /messages/{id}` each, events still in arrival order, and a
//! message the listing does not return fetched (and reported) on its own.
#![cfg(feature = "listen")]

mod common;

use futures::StreamExt;
use futures::stream::BoxStream;
use webex_emulator::Emulator;
use webex_mercury::{EventError, MercuryEvent, MercuryExt};
use webex_messages::MessagesExt;
use webex_messages::listen::{ListenError, MessageEventData};
use webex_messages::messages::Message;

use common::{listening_client, next, next_item, post, text};

type Watcher = BoxStream<'static, Result<MercuryEvent, EventError>>;

fn uuid(message: &Message) -> String {
    message.id.uuid().unwrap().to_string()
}

/// Waits until `watcher`, subscribed after the `listen()` stream, has the activity `id` with
/// `verb`: the driver hands each event to the streams in the order they subscribed, so the
/// `listen()` stream has it queued too, and everything before it.
async fn delivered(watcher: &mut Watcher, id: &str, verb: &str) {
    while let Some(event) = watcher.next().await {
        if let Ok(MercuryEvent::Activity(event)) = event {
            let activity = &event.activity;
            let target = if verb == "delete" {
                activity.object.as_ref().and_then(|o| o.id.as_deref())
            } else {
                Some(activity.id.as_str())
            };
            if activity.verb == verb && target == Some(id) {
                return;
            }
        }
    }
    panic!("the socket ended before activity {verb} {id}");
}

/// The message requests so far: single fetches (`/v1/messages/{id}`) and everything else
/// under `/v1/messages` (posts, listings).
fn message_requests(emulator: &Emulator) -> (usize, usize) {
    let single = emulator.request_count("/v1/messages/");
    (single, emulator.request_count("/v1/messages") - single)
}

#[tokio::test]
async fn a_burst_in_one_room_is_fetched_with_one_listing() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let room = webex.rooms().create("Burst").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    let mut watcher = webex.mercury().events();
    let mut last = None;
    for n in 0..30 {
        last = Some(post(&webex, room.id.as_str(), &format!("m{n}")).await);
    }
    delivered(&mut watcher, &uuid(&last.unwrap()), "post").await;
    let (single, other) = message_requests(&s.emulator);

    for n in 0..30 {
        assert_eq!(text(&next(&mut events).await.data), format!("m{n}"));
    }
    let (single_after, other_after) = message_requests(&s.emulator);
    assert_eq!(single_after - single, 0, "no message fetched on its own");
    assert_eq!(other_after - other, 1, "one listing");
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_message_the_listing_does_not_return_is_fetched_on_its_own_and_reported() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let room = webex.rooms().create("Deleted").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    let mut watcher = webex.mercury().events();
    post(&webex, room.id.as_str(), "one").await;
    let gone = post(&webex, room.id.as_str(), "gone").await;
    post(&webex, room.id.as_str(), "three").await;
    // Deleted before the listing runs: the listing does not return it, nor can a fetch.
    webex.messages().remove(&gone.id).await.unwrap();
    delivered(&mut watcher, &uuid(&gone), "delete").await;
    let (single, other) = message_requests(&s.emulator);

    assert_eq!(text(&next(&mut events).await.data), "one");
    match next_item(&mut events).await {
        Err(ListenError::Fetch { activity_id, error }) => {
            assert_eq!(activity_id, uuid(&gone));
            assert_eq!(error.kind(), webex_core::ErrorKind::NotFound);
        }
        other => panic!("expected a fetch error, got {other:?}"),
    }
    assert_eq!(text(&next(&mut events).await.data), "three");
    match next(&mut events).await.data {
        MessageEventData::Deleted(deleted) => assert_eq!(deleted.id, gone.id),
        other => panic!("expected the deletion, got {other:?}"),
    }
    let (single_after, other_after) = message_requests(&s.emulator);
    assert_eq!(single_after - single, 1, "the deleted message, on its own");
    assert_eq!(other_after - other, 1, "one listing for the others");
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn posts_in_several_rooms_keep_their_order() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let first = webex.rooms().create("First").await.unwrap();
    let second = webex.rooms().create("Second").await.unwrap();
    let mut events = webex.messages().listen().await.unwrap();
    let mut watcher = webex.mercury().events();
    let mut expected = Vec::new();
    let mut last = None;
    for n in 0..10 {
        // Interleaved, and the second room's turns uneven: 2 posts, then 1.
        let room = if n % 3 == 1 { &second } else { &first };
        let text = format!("{} {n}", room.title);
        last = Some(post(&webex, room.id.as_str(), &text).await);
        expected.push(text);
    }
    delivered(&mut watcher, &uuid(&last.unwrap()), "post").await;
    let (single, other) = message_requests(&s.emulator);

    for text_expected in &expected {
        assert_eq!(text(&next(&mut events).await.data), text_expected);
    }
    let (single_after, other_after) = message_requests(&s.emulator);
    assert_eq!(single_after - single, 0, "no message fetched on its own");
    assert_eq!(other_after - other, 2, "one listing per room");
    webex.shutdown().await.unwrap();
}
