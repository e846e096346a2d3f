//! The seed examples for `listen()` (`webex.rooms.listen()`, `webex.messages.listen()`,
//! `webex.memberships.listen()`, `webex.attachmentActions.listen()`), ported: listen, make
//! the changes the handlers are registered for, and check each event's envelope and data.
#![cfg(feature = "listen")]

mod common;

use futures::StreamExt;
use serde_json::json;
use webex_core::Webex;
use webex_messages::attachment_actions::AttachmentActionType;
use webex_messages::listen::{EventType, HydraEvent, MessageEventData};
use webex_messages::messages::Attachment;
use webex_messages::rooms::RoomType;
use webex_messages::{MessagesExt, MessagesPlugin};

use common::{listening_client, next};

fn check_envelope<D>(event: &HydraEvent<D>, resource: &str, me: &webex_messages::people::Person) {
    assert_eq!(event.resource.as_str(), resource);
    assert_eq!(event.created_by, me.id);
    assert_eq!(event.org_id, me.org_id);
    assert_eq!(event.owned_by.as_str(), "creator");
    assert_eq!(event.status.as_str(), "active");
    assert!(event.created.to_string().ends_with('Z'));
}

#[tokio::test]
async fn rooms_listen() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let me = webex.people().me().await.unwrap();
    // webex.rooms.listen().then(() => { on('created'); on('updated') })
    let mut events = webex.rooms().listen().await.unwrap();

    let room = webex.rooms().create("Listen Rooms Example").await.unwrap();
    let created = next(&mut events).await;
    check_envelope(&created, "rooms", &me);
    assert_eq!(created.event, EventType::Created);
    assert_eq!(created.actor_id, me.id);
    assert_eq!(created.data.id, room.id);
    assert_eq!(created.data.creator_id.as_ref(), Some(&me.id));
    assert_eq!(created.data.room_type, RoomType::Group);
    assert!(!created.data.is_locked);
    assert!(created.data.created.is_some());

    webex.rooms().update(&room.id, "Renamed").await.unwrap();
    let updated = next(&mut events).await;
    assert_eq!(updated.event, EventType::Updated);
    assert_eq!(updated.data.id, room.id);

    // stopListening()
    webex.shutdown().await.unwrap();
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn messages_listen() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let me = webex.people().me().await.unwrap();
    let room = webex
        .rooms()
        .create("Listen Messages Example")
        .await
        .unwrap();
    // webex.messages.listen().then(() => { on('created'); on('deleted') })
    let mut events = webex.messages().listen().await.unwrap();

    let message = webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("Howdy!")
        .await
        .unwrap();
    let created = next(&mut events).await;
    check_envelope(&created, "messages", &me);
    assert_eq!(created.event, EventType::Created);
    assert_eq!(created.actor_id, me.id);
    let MessageEventData::Created(data) = &created.data else {
        panic!("not a created message: {:?}", created.data);
    };
    // The message as Hydra has it.
    assert_eq!(**data, message);
    assert_eq!(data.text.as_deref(), Some("Howdy!"));

    webex.messages().remove(&message.id).await.unwrap();
    let deleted = next(&mut events).await;
    assert_eq!(deleted.event, EventType::Deleted);
    let MessageEventData::Deleted(data) = &deleted.data else {
        panic!("not a deleted message: {:?}", deleted.data);
    };
    assert_eq!(data.id, message.id);
    assert_eq!(data.room_id, room.id);
    assert_eq!(data.person_id, me.id);
    assert_eq!(data.person_email, "ada@example.com");
    assert_eq!(data.room_type, RoomType::Group);
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn memberships_listen() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let me = webex.people().me().await.unwrap();
    // webex.memberships.listen().then(() => { on('created'); on('updated'); on('seen'); on('deleted') })
    let mut events = webex.memberships().listen().await.unwrap();

    let room = webex
        .rooms()
        .create("Listen Memberships Example")
        .await
        .unwrap();
    // A new room: one `created` per participant (the caller).
    let mine = next(&mut events).await;
    check_envelope(&mine, "memberships", &me);
    assert_eq!(mine.event, EventType::Created);
    assert_eq!(mine.data.person_id, me.id);
    assert_eq!(mine.data.room_id, room.id);

    let membership = webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let created = next(&mut events).await;
    assert_eq!(created.event, EventType::Created);
    assert_eq!(created.data.id, membership.id);
    assert_eq!(created.data.person_id, membership.person_id);
    assert_eq!(
        created.data.person_email.as_deref(),
        Some("alice@example.com")
    );
    assert_eq!(created.data.room_type, RoomType::Group);
    assert_eq!(created.data.is_moderator, Some(false));
    assert!(!created.data.is_room_hidden);

    webex
        .memberships()
        .update(&membership.id)
        .is_moderator(true)
        .await
        .unwrap();
    let updated = next(&mut events).await;
    assert_eq!(updated.event, EventType::Updated);
    assert_eq!(updated.data.id, membership.id);

    // A read receipt ("seen"): Alice reads a message.
    let message = webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("read me")
        .await
        .unwrap();
    let alice = common::client_for(&s.emulator, &s.alice).await;
    alice
        .memberships()
        .update_last_seen(&message.id, &room.id)
        .await
        .unwrap();
    let seen = next(&mut events).await;
    assert_eq!(seen.event, EventType::Seen);
    assert_eq!(seen.data.id, membership.id);
    assert_eq!(seen.data.last_seen_id.as_ref(), Some(&message.id));
    assert_eq!(seen.data.is_moderator, None);

    // Alice, now the locked room's moderator, leaves.
    alice.memberships().remove(&membership.id).await.unwrap();
    let deleted = next(&mut events).await;
    assert_eq!(deleted.event, EventType::Deleted);
    assert_eq!(deleted.data.id, membership.id);
    assert_eq!(deleted.actor_id, membership.person_id);
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn attachment_actions_listen() {
    let s = common::Setup::new().await;
    let webex = listening_client(&s, &s.me).await;
    let me = webex.people().me().await.unwrap();
    let room = webex.rooms().create("Listen Cards Example").await.unwrap();
    let message = webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("card")
        .attachment(Attachment::adaptive_card(json!({
            "type": "AdaptiveCard", "version": "1.0",
            "body": [{"type": "Input.Date", "id": "dueDate"}],
            "actions": [{"type": "Action.Submit", "title": "Due Date"}]
        })))
        .await
        .unwrap();
    // webex.attachmentActions.listen().then(() => { on('created') })
    let mut events = webex.attachment_actions().listen().await.unwrap();
    let inputs = json!({"dueDate": "26/06/1995"})
        .as_object()
        .cloned()
        .unwrap();
    let action = webex
        .attachment_actions()
        .create(&message.id, inputs)
        .await
        .unwrap();
    let created = next(&mut events).await;
    check_envelope(&created, "attachmentActions", &me);
    assert_eq!(created.event, EventType::Created);
    assert_eq!(created.data.id, action.id);
    assert_eq!(created.data.message_id.as_ref(), Some(&message.id));
    assert_eq!(created.data.room_id, room.id);
    assert_eq!(created.data.person_id, me.id);
    assert_eq!(created.data.action_type, Some(AttachmentActionType::Submit));
    assert_eq!(created.data.inputs["dueDate"], "26/06/1995");
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn listen_without_mercury_is_a_typed_error() {
    let s = common::Setup::new().await;
    let err = s.webex.messages().listen().await.err().unwrap();
    assert_eq!(err.kind(), webex_core::ErrorKind::MissingDependency);
}

#[tokio::test]
async fn a_listening_plugin_without_mercury_fails_the_build() {
    let s = common::Setup::new().await;
    let err = Webex::builder()
        .access_token(&s.me.access_token)
        .discovery_base(s.emulator.base_url())
        .plugin(webex_devices::DevicesPlugin::default())
        .plugin(MessagesPlugin::listening())
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), webex_core::ErrorKind::MissingDependency);
    let expected = format!(
        "`messages` ({}) depends on {}",
        std::any::type_name::<MessagesPlugin>(),
        std::any::type_name::<webex_mercury::MercuryPlugin>()
    );
    assert!(err.message().contains(&expected), "{err}");
}
