//! Bad input is refused with `InvalidInput` and a clear message, before anything is sent.

mod common;

use std::future::IntoFuture;

use common::Setup;
use webex_core::{Error, ErrorKind, Result};
use webex_messages::MessagesExt;
use webex_messages::messages::MAX_FILE_SIZE;
use webex_messages::webhooks::{WebhookEventType, WebhookResource};

/// Awaits `call`, expects `InvalidInput` mentioning `needle`, and checks that the emulator
/// saw no Hydra request.
async fn refused<T: std::fmt::Debug>(
    s: &Setup,
    call: impl IntoFuture<Output = Result<T>>,
    needle: &str,
) -> Error {
    let before = s.hydra_requests();
    let err = call.await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(
        err.message().contains(needle),
        "{err:?} should mention {needle:?}"
    );
    assert_eq!(s.hydra_requests(), before, "nothing was sent for {err}");
    err
}

#[tokio::test]
async fn messages_need_content_and_one_destination() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Bad input").await.unwrap();
    let m = s.webex.messages();
    refused(&s, m.create().room_id(&room.id), "text, markdown, a file").await;
    refused(
        &s,
        m.create().room_id(&room.id).text("  "),
        "text, markdown",
    )
    .await;
    refused(&s, m.create().text("hi"), "destination").await;
    refused(
        &s,
        m.create()
            .room_id(&room.id)
            .to_person_email("a@b.c")
            .text("hi"),
        "one destination",
    )
    .await;
    refused(&s, m.create().room_id("").text("hi"), "room id").await;
    refused(&s, m.create().to_person_email(" ").text("hi"), "e-mail").await;
    refused(&s, m.create().room_id(&room.id).file_url(""), "file URL").await;
    refused(&s, m.update("", &room.id).text("x"), "message id").await;
    refused(&s, m.update("some-id", &room.id), "text or markdown").await;
    refused(&s, m.list(""), "room id").await;
}

#[tokio::test]
async fn local_files_are_checked_before_sending() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Files").await.unwrap();
    let dir = std::env::temp_dir().join(format!("webex-bad-input-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let create = || s.webex.messages().create().room_id(&room.id);

    let missing = dir.join("missing.pdf");
    let err = refused(&s, create().file(&missing), "does not exist").await;
    assert!(err.message().contains("missing.pdf"), "{err}");

    // Sparse: the size is what is checked, no 100 MB are written.
    let big = dir.join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(MAX_FILE_SIZE + 1)
        .unwrap();
    refused(&s, create().file(&big), "100 MB").await;

    refused(&s, create().file(&dir), "not a file").await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn empty_ids_are_refused() {
    let s = Setup::new().await;
    let w = &s.webex;
    refused(&s, w.rooms().get(""), "id").await;
    refused(&s, w.rooms().remove(" "), "id").await;
    refused(&s, w.rooms().update("", "title"), "room id").await;
    refused(&s, w.messages().get(""), "id").await;
    refused(&s, w.messages().remove(""), "id").await;
    refused(&s, w.memberships().get(""), "id").await;
    refused(&s, w.memberships().remove(""), "id").await;
    refused(&s, w.memberships().update("").is_moderator(true), "id").await;
    refused(
        &s,
        w.memberships().create("").person_email("a@b.c"),
        "room id",
    )
    .await;
    refused(&s, w.memberships().list().room_id(""), "room id").await;
    refused(&s, w.people().get(""), "id").await;
    refused(&s, w.people().list().ids([""]), "person id").await;
    refused(&s, w.teams().get(""), "id").await;
    refused(&s, w.teams().update("", "name"), "team id").await;
    refused(&s, w.team_memberships().list(""), "team id").await;
    refused(&s, w.team_memberships().get(""), "id").await;
    refused(&s, w.webhooks().get(""), "id").await;
    refused(&s, w.webhooks().remove(""), "id").await;
    refused(&s, w.attachment_actions().get(""), "id").await;
    refused(
        &s,
        w.attachment_actions().create("", serde_json::Map::new()),
        "message id",
    )
    .await;
    refused(
        &s,
        w.memberships().update_last_seen("", "room"),
        "message id",
    )
    .await;
}

#[tokio::test]
async fn required_fields_are_refused_when_empty_or_missing() {
    let s = Setup::new().await;
    let w = &s.webex;
    let room = w.rooms().create("Fields").await.unwrap();
    refused(&s, w.rooms().create(""), "title").await;
    refused(&s, w.teams().create(" "), "team name").await;
    refused(&s, w.memberships().create(&room.id), "exactly one").await;
    refused(
        &s,
        w.memberships()
            .create(&room.id)
            .person_email("a@b.c")
            .person_id("x"),
        "exactly one",
    )
    .await;
    refused(&s, w.memberships().update("id"), "is_moderator").await;
    refused(&s, w.team_memberships().create("team"), "exactly one").await;
    refused(
        &s,
        w.webhooks().create(
            "hook",
            "",
            WebhookResource::Messages,
            WebhookEventType::Created,
        ),
        "target URL",
    )
    .await;
    refused(&s, w.webhooks().update("id", "", "https://x"), "name").await;
}
