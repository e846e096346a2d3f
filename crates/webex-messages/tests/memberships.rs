//! The seed examples for memberships (`webex.memberships.*`), with their asserts, plus read
//! status through the conversation service.

mod common;

use common::Setup;
use webex_messages::MessagesExt;
use webex_messages::Timestamp;
use webex_messages::id::PersonId;
use webex_messages::rooms::RoomType;

#[tokio::test]
async fn create_membership() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("Create Membership Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    assert!(!membership.id.as_str().is_empty());
    assert_eq!(membership.room_id, room.id);
    assert!(!membership.person_id.as_str().is_empty());
    assert_eq!(membership.person_email, "alice@example.com");
    // `isModerator` and `isMonitor` are present by type; added by e-mail, Alice is neither.
    assert!(!membership.is_moderator, "'isModerator' in membership");
    assert!(!membership.is_monitor, "'isMonitor' in membership");
    assert!(membership.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn get_membership() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("Get Membership Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let got = s.webex.memberships().get(&membership.id).await.unwrap();
    assert_eq!(got, membership);
}

#[tokio::test]
async fn list_memberships_of_a_room() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("List Membership Example")
        .await
        .unwrap();
    s.webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let memberships = s
        .webex
        .memberships()
        .list()
        .room_id(&room.id)
        .await
        .unwrap();
    assert_eq!(memberships.items().len(), 2);
    for membership in memberships.items() {
        assert_eq!(membership.room_id, room.id);
    }
}

#[tokio::test]
async fn remove_membership() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("Remove Membership Example")
        .await
        .unwrap();
    let membership = s
        .webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let list = || s.webex.memberships().list().room_id(&room.id);
    assert_eq!(list().await.unwrap().items().len(), 2);
    s.webex.memberships().remove(&membership.id).await.unwrap();
    assert_eq!(list().await.unwrap().items().len(), 1);
}

#[tokio::test]
async fn update_membership_to_moderator() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Memberships Example").await.unwrap();
    let memberships = s
        .webex
        .memberships()
        .list()
        .room_id(&room.id)
        .await
        .unwrap();
    let membership = memberships.items()[0].clone();
    assert!(!membership.is_moderator);
    s.webex
        .memberships()
        .update(&membership.id)
        .is_moderator(true)
        .await
        .unwrap();
    let membership = s.webex.memberships().get(&membership.id).await.unwrap();
    assert!(membership.is_moderator);
}

#[tokio::test]
async fn hide_a_one_on_one_space() {
    let s = Setup::new().await;
    let me = s.webex.people().me().await.unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .to_person_email(&s.bob.email)
        .text("This message will create a 1-1 space")
        .await
        .unwrap();
    let memberships = s
        .webex
        .memberships()
        .list()
        .room_id(message.room_id.clone())
        .person_id(&me.id)
        .await
        .unwrap();
    let membership = memberships.items()[0].clone();
    assert_eq!(membership.is_room_hidden, Some(false));
    let membership = s
        .webex
        .memberships()
        .update(&membership.id)
        .is_room_hidden(true)
        .await
        .unwrap();
    assert_eq!(membership.is_room_hidden, Some(true));
}

#[tokio::test]
async fn read_receipts_move_last_seen() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Read status").await.unwrap();
    s.webex
        .memberships()
        .create(&room.id)
        .person_email(&s.alice.email)
        .await
        .unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("read me")
        .await
        .unwrap();

    let receipt = s
        .webex
        .memberships()
        .update_last_seen(&message.id, &room.id)
        .await
        .unwrap();
    assert_eq!(receipt.last_seen_id.as_ref(), Some(&message.id));
    assert_eq!(receipt.room_id, room.id);
    assert_eq!(receipt.person_id, PersonId::new(&s.me.id));

    let statuses = s
        .webex
        .memberships()
        .list_with_read_status(&room.id)
        .await
        .unwrap();
    assert_eq!(statuses.len(), 2);
    let mine = statuses
        .iter()
        .find(|m| m.person_id.as_str() == s.me.id)
        .expect("my membership");
    assert_eq!(mine.last_seen_id.as_ref(), Some(&message.id));
    assert!(mine.last_seen_date.is_some());
    assert_eq!(mine.room_type, RoomType::Group);
    let alices = statuses
        .iter()
        .find(|m| m.person_id.as_str() == s.alice.id)
        .expect("Alice's membership");
    assert_eq!(alices.last_seen_id, None, "Alice never read the room");
    assert_eq!(alices.person_email.as_deref(), Some("alice@example.com"));
    assert_eq!(
        s.emulator.request_count("/v1/people/me"),
        1,
        "the plugin caches the caller's identity"
    );
}
