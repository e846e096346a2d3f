//! The seed examples for rooms (`webex.rooms.*`), with their asserts, plus errors and
//! pagination.

mod common;

use common::Setup;
use futures::TryStreamExt;
use webex_core::ErrorKind;
use webex_messages::MessagesExt;
use webex_messages::Timestamp;
use webex_messages::id::RoomId;
use webex_messages::rooms::RoomType;

#[tokio::test]
async fn create_room() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Create Room Example").await.unwrap();
    assert!(room.created > Timestamp::UNIX_EPOCH, "created is a date");
    assert!(!room.id.as_str().is_empty(), "id is a string");
    assert_eq!(room.title, "Create Room Example");
    // Typed, and the id decodes to a ROOM in a real cluster.
    assert_eq!(room.room_type, RoomType::Group);
    assert!(!room.id.cluster().unwrap().is_empty());
}

#[tokio::test]
async fn get_room() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Get Room Example").await.unwrap();
    let got = s.webex.rooms().get(&room.id).await.unwrap();
    assert_eq!(got, room);
}

#[tokio::test]
async fn list_rooms() {
    let s = Setup::new().await;
    let rooms = s.webex.rooms();
    let created = futures::future::try_join_all([
        rooms.create("List Rooms Example 1").send(),
        rooms.create("List Rooms Example 2").send(),
        rooms.create("List Rooms Example 3").send(),
    ])
    .await
    .unwrap();
    let page = s.webex.rooms().list().max(3).await.unwrap();
    assert_eq!(page.items().len(), 3);
    for item in page.items() {
        assert_eq!(created.iter().filter(|r| r.id == item.id).count(), 1);
    }
}

#[tokio::test]
async fn remove_room_then_get_is_404() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Remove Room Example").await.unwrap();
    s.webex.rooms().remove(&room.id).await.unwrap();
    let err = s.webex.rooms().get(&room.id).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn update_room() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Update Room Example").await.unwrap();
    s.webex
        .rooms()
        .update(&room.id, "Update Room Example (Updated Title)")
        .await
        .unwrap();
    let room = s.webex.rooms().get(&room.id).await.unwrap();
    assert_eq!(room.title, "Update Room Example (Updated Title)");
}

#[tokio::test]
async fn a_404_carries_the_tracking_id_and_message() {
    let s = Setup::new().await;
    let missing = RoomId::from_uuid("us", uuid::Uuid::new_v4());
    let err = s.webex.rooms().get(&missing).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let tracking_id = err.tracking_id().expect("a tracking id");
    assert!(
        tracking_id.starts_with(s.webex.session_id()),
        "{tracking_id} is ours"
    );
    assert!(!err.message().is_empty());
    assert!(err.to_string().contains(tracking_id));
}

#[tokio::test]
async fn pages_are_followed_and_the_page_size_is_not_a_cap() {
    let s = Setup::new().await;
    let mut created = Vec::new();
    for i in 0..7 {
        let room = s.webex.rooms().create(format!("Paged {i}")).await.unwrap();
        created.push(room.id);
    }
    let first = s.webex.rooms().list().max(3).await.unwrap();
    assert_eq!(first.items().len(), 3);
    assert!(first.has_next(), "a next link after a full page");
    let second = first.next().await.unwrap().expect("a second page");
    assert_eq!(second.items().len(), 3);
    let all: Vec<_> = s
        .webex
        .rooms()
        .list()
        .max(3)
        .await
        .unwrap()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7, "every room, across three pages");
    let mut ids: Vec<_> = all.into_iter().map(|r| r.id).collect();
    ids.sort();
    created.sort();
    assert_eq!(ids, created, "no room twice, none missing");
}

#[tokio::test]
async fn list_filters_by_type() {
    let s = Setup::new().await;
    s.webex.rooms().create("A group").await.unwrap();
    s.webex
        .messages()
        .create()
        .to_person_email(&s.alice.email)
        .text("hi")
        .await
        .unwrap();
    let direct = s
        .webex
        .rooms()
        .list()
        .room_type(RoomType::Direct)
        .await
        .unwrap();
    assert_eq!(direct.items().len(), 1);
    assert_eq!(direct.items()[0].room_type, RoomType::Direct);
}
