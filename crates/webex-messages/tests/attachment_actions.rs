//! The seed examples for attachment actions (`webex.attachmentActions.*`), with their
//! asserts: a message with an Adaptive Card, then a submission of it.

mod common;

use common::Setup;
use serde_json::json;
use webex_messages::MessagesExt;
use webex_messages::Timestamp;
use webex_messages::attachment_actions::{AttachmentAction, AttachmentActionType};
use webex_messages::messages::{ADAPTIVE_CARD, Attachment};

fn card() -> Attachment {
    Attachment::adaptive_card(json!({
        "type": "AdaptiveCard",
        "version": "1.0",
        "body": [
            {"type": "TextBlock", "text": "", "size": "large"},
            {"type": "TextBlock", "text": "Adaptive Cards", "separation": "none"},
            {"type": "Input.Date", "id": "dueDate"}
        ],
        "actions": [{"type": "Action.Submit", "title": "Due Date"}]
    }))
}

async fn submit(s: &Setup, title: &str) -> AttachmentAction {
    let room = s.webex.rooms().create(title).await.unwrap();
    let message = s
        .webex
        .messages()
        .create()
        .text("Howdy!")
        .room_id(&room.id)
        .attachment(card())
        .await
        .unwrap();
    assert_eq!(message.attachments.len(), 1);
    assert_eq!(message.attachments[0].content_type, ADAPTIVE_CARD);
    let inputs = json!({"dueDate": "26/06/1995"});
    let inputs = inputs.as_object().cloned().unwrap();
    s.webex
        .attachment_actions()
        .create(&message.id, inputs)
        .await
        .unwrap()
}

#[tokio::test]
async fn create_attachment_action() {
    let s = Setup::new().await;
    let action = submit(&s, "Create Message with card Example").await;
    assert!(!action.id.as_str().is_empty());
    assert_eq!(action.action_type, AttachmentActionType::Submit);
    assert!(!action.person_id.as_str().is_empty());
    assert_eq!(
        action.inputs.as_ref().and_then(|i| i.get("dueDate")),
        Some(&json!("26/06/1995"))
    );
    assert!(!action.message_id.as_str().is_empty());
    assert!(!action.room_id.as_str().is_empty());
    assert!(action.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn get_attachment_action() {
    let s = Setup::new().await;
    let action = submit(&s, "Get Message Example").await;
    let got = s.webex.attachment_actions().get(&action.id).await.unwrap();
    assert_eq!(got, action);
}
