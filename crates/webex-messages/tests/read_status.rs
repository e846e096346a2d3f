//! Rooms with read status, from the conversation service the catalog names for the room's
//! cluster (`identityLookup` for `us`).

mod common;

use common::{Setup, client_for};
use webex_core::ErrorKind;
use webex_messages::MessagesExt;
use webex_messages::id::RoomId;
use webex_messages::rooms::RoomType;

#[tokio::test]
async fn get_with_read_status_reports_unread_then_read() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Unread").await.unwrap();
    s.webex
        .memberships()
        .create(&room.id)
        .person_email(&s.alice.email)
        .await
        .unwrap();
    let alice = client_for(&s.emulator, &s.alice).await;
    let message = alice
        .messages()
        .create()
        .room_id(&room.id)
        .text("news")
        .await
        .unwrap();

    let status = s
        .webex
        .rooms()
        .get_with_read_status(&room.id)
        .await
        .unwrap();
    assert_eq!(status.id, room.id);
    assert_eq!(status.room_type, RoomType::Group);
    assert_eq!(status.title.as_deref(), Some("Unread"));
    let last_activity = status.last_activity_date.clone().expect("an activity date");
    assert!(last_activity > status.last_seen_activity_date, "unread");

    s.webex
        .memberships()
        .update_last_seen(&message.id, &room.id)
        .await
        .unwrap();
    let status = s
        .webex
        .rooms()
        .get_with_read_status(&room.id)
        .await
        .unwrap();
    assert!(
        status.last_activity_date.unwrap() <= status.last_seen_activity_date,
        "read"
    );
}

#[tokio::test]
async fn list_with_read_status_is_newest_first() {
    let s = Setup::new().await;
    let older = s.webex.rooms().create("Older").await.unwrap();
    let newer = s.webex.rooms().create("Newer").await.unwrap();
    for room in [&older, &newer] {
        s.webex
            .messages()
            .create()
            .room_id(&room.id)
            .text("hello")
            .await
            .unwrap();
    }
    let direct = s
        .webex
        .messages()
        .create()
        .to_person_email(&s.bob.email)
        .text("psst")
        .await
        .unwrap();

    let rooms = s.webex.rooms().list_with_read_status(0).await.unwrap();
    let ids: Vec<&RoomId> = rooms.iter().map(|r| &r.id).collect();
    assert_eq!(
        ids,
        [direct.room_id.as_ref().unwrap(), &newer.id, &older.id],
        "most recent activity first"
    );
    assert_eq!(rooms[0].room_type, RoomType::Direct);
    let recent = s.webex.rooms().list_with_read_status(2).await.unwrap();
    assert_eq!(recent.len(), 2);
}

#[tokio::test]
async fn bad_read_status_input_is_refused_before_sending() {
    let s = Setup::new().await;
    let before = s.emulator.request_count("/");
    let err = s
        .webex
        .rooms()
        .list_with_read_status(101)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = s.webex.rooms().get_with_read_status("").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = s
        .webex
        .rooms()
        .get_with_read_status("not a hydra id")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(s.emulator.request_count("/"), before);
}

#[tokio::test]
async fn a_cluster_the_catalog_does_not_serve_is_an_error_not_a_guess() {
    let s = Setup::new().await;
    let elsewhere = RoomId::from_uuid("urn:TEAM:eu-central-1_k", uuid::Uuid::new_v4());
    let err = s
        .webex
        .rooms()
        .get_with_read_status(&elsewhere)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownService);
    assert!(err.message().contains("eu-central-1_k"), "{err}");
}

#[tokio::test]
async fn the_api_works_without_the_plugin() {
    let s = Setup::new().await;
    let bare = webex_core::Webex::builder()
        .access_token(&s.me.access_token)
        .discovery_base(s.emulator.base_url())
        .build()
        .await
        .unwrap();
    let room = bare.rooms().create("No plugin").await.unwrap();
    let statuses = bare
        .memberships()
        .list_with_read_status(&room.id)
        .await
        .unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].person_id.as_str(), s.me.id);
}
