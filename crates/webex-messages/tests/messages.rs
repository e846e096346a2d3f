//! The seed examples for messages (`webex.messages.*`), with their asserts, plus files.

mod common;

use common::Setup;
use webex_core::ErrorKind;
use webex_core::http::{Request, Target};
use webex_emulator::{Fault, RetryAfterValue};
use webex_messages::MessagesExt;
use webex_messages::Timestamp;
use webex_messages::messages::Message;

fn assert_full(message: &Message) {
    assert!(!message.id.as_str().is_empty());
    assert!(!message.person_id.as_str().is_empty());
    assert!(message.person_email.contains('@'));
    assert!(!message.room_id.as_str().is_empty());
    assert!(message.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn create_message() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("Create Message Example")
        .await
        .unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .text("Howdy!")
        .room_id(&room.id)
        .await
        .unwrap();
    assert_full(&message);
    assert_eq!(message.text.as_deref(), Some("Howdy!"));
}

#[tokio::test]
async fn update_message() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("Create Message Example")
        .await
        .unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .text("Howdy!")
        .room_id(&room.id)
        .await
        .unwrap();
    let room_id = message.room_id.clone();
    let message = s
        .webex
        .messages()
        .update(&message.id, &room_id)
        .markdown("**What up**")
        .await
        .unwrap();
    assert_eq!(message.markdown.as_deref(), Some("**What up**"));
    let message = s
        .webex
        .messages()
        .update(&message.id, message.room_id.clone())
        .text("Howdy!")
        .await
        .unwrap();
    assert_full(&message);
    assert_eq!(message.text.as_deref(), Some("Howdy!"));
}

#[tokio::test]
async fn get_message() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Get Message Example").await.unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .text("Howdy!")
        .room_id(&room.id)
        .await
        .unwrap();
    let message2 = s.webex.messages().get(&message.id).await.unwrap();
    assert_eq!(message2, message);
}

#[tokio::test]
async fn list_messages_newest_first() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("List Messages Example")
        .await
        .unwrap();
    let create = |text: &'static str| s.webex.messages().create().text(text).room_id(&room.id);
    let message1 = create("Howdy!").await.unwrap();
    let message2 = create("How are you?").await.unwrap();
    let messages = s.webex.messages().list(&room.id).await.unwrap();
    assert_eq!(messages.items().len(), 2);
    assert_eq!(messages.items()[0].id, message2.id);
    assert_eq!(messages.items()[1].id, message1.id);
}

#[tokio::test]
async fn remove_message() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Messages Example").await.unwrap();
    let create = |text: &'static str| s.webex.messages().create().text(text).room_id(&room.id);
    let message1 = create("Howdy!").await.unwrap();
    create("How are you?").await.unwrap();
    s.webex.messages().remove(&message1.id).await.unwrap();
    let messages = s.webex.messages().list(&room.id).await.unwrap();
    assert_eq!(messages.items().len(), 1);
    assert_ne!(messages.items()[0].id, message1.id);
}

#[tokio::test]
async fn markdown_and_threads() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Threads").await.unwrap();
    let parent = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .markdown("**hi**")
        .await
        .unwrap();
    assert_eq!(parent.markdown.as_deref(), Some("**hi**"));
    let reply = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .parent_id(&parent.id)
        .text("a reply")
        .await
        .unwrap();
    assert_eq!(reply.parent_id.as_ref(), Some(&parent.id));
    let thread = s
        .webex
        .messages()
        .list(&room.id)
        .parent_id(&parent.id)
        .await
        .unwrap();
    assert_eq!(thread.items().len(), 1);
    assert_eq!(thread.items()[0].id, reply.id);
}

/// A fresh directory holding `report.txt`, larger than one read buffer so the body really
/// is several chunks.
fn report() -> (std::path::PathBuf, std::path::PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("webex-messages-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.txt");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    (dir, path, content)
}

/// The bytes behind a message's first file URL.
async fn download(s: &Setup, message: &Message) -> Vec<u8> {
    assert_eq!(message.files.len(), 1, "{message:?}");
    let url = url::Url::parse(&message.files[0]).unwrap();
    let res = s.webex.http().send(Request::get(Target::Url(url))).await;
    res.unwrap().body().to_vec()
}

#[tokio::test]
async fn a_local_file_is_streamed_and_can_be_read_back() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Files").await.unwrap();
    let (dir, path, content) = report();
    let message = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("the report")
        .file(&path)
        .await
        .unwrap();
    assert_eq!(message.text.as_deref(), Some("the report"));
    assert_eq!(download(&s, &message).await, content);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_streamed_file_is_sent_whole_again_after_a_429() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Files, twice").await.unwrap();
    let (dir, path, content) = report();
    s.emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(0)),
        path_prefix: Some("/v1/messages".into()),
        method: Some("POST".into()),
        ..Fault::default()
    });
    let message = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .file(&path)
        .await
        .unwrap();
    assert_eq!(s.emulator.request_count("/v1/messages"), 2, "one replay");
    assert_eq!(download(&s, &message).await, content, "the file re-opened");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_file_url_is_sent_as_json() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("File URLs").await.unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .file_url("https://example.com/picture.png")
        .await
        .unwrap();
    assert_eq!(message.files.len(), 1, "{message:?}");
}

#[tokio::test]
async fn a_message_without_a_field_webex_always_sends_is_a_typed_error() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Broken answers").await.unwrap();
    let sent = s
        .webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("hi")
        .await
        .unwrap();
    // The message as Hydra sent it, less `roomId`.
    let mut body = serde_json::to_value(&sent).unwrap();
    body.as_object_mut().unwrap().remove("roomId");
    s.emulator.add_fault(Fault {
        status: Some(200),
        path_prefix: Some("/v1/messages/".into()),
        method: Some("GET".into()),
        body: Some(body.to_string()),
        ..Fault::default()
    });
    let err = s.webex.messages().get(&sent.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert!(err.message().contains("missing field `roomId`"), "{err}");
    assert!(
        err.tracking_id().is_some_and(|id| !id.is_empty()),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_message_s_created_time_pages_back_with_before() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Before").await.unwrap();
    let mut sent = Vec::new();
    for text in ["one", "two", "three"] {
        let message = s
            .webex
            .messages()
            .create()
            .room_id(&room.id)
            .text(text)
            .await
            .unwrap();
        sent.push(message);
    }
    assert!(sent[0].created < sent[1].created, "times order as times");
    let older = s
        .webex
        .messages()
        .list(&room.id)
        .before(sent[2].created)
        .await
        .unwrap();
    let texts: Vec<_> = older.items().iter().map(|m| m.text.as_deref()).collect();
    assert_eq!(texts, [Some("two"), Some("one")]);
}
