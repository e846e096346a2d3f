//! Attachment actions: card submits.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{add_member, create_room, decode_id, person, post_message, start};

fn card() -> Value {
    json!([{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": {
            "type": "AdaptiveCard", "version": "1.0",
            "body": [{"type": "Input.Date", "id": "dueDate"}],
            "actions": [{"type": "Action.Submit", "title": "Due Date"}],
        },
    }])
}

#[tokio::test]
async fn submit_and_read() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let room = create_room(
        &http,
        &alice.access_token,
        "Create Message with card Example",
    )
    .await;
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let message = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "Howdy!", "attachments": card()}),
    )
    .await;
    assert_eq!(message["attachments"], card());

    let action = http
        .call(
            Method::POST,
            "/v1/attachment/actions",
            &bob.access_token,
            Some(json!({"type": "submit", "messageId": message["id"], "inputs": {"dueDate": "26/06/1995"}})),
        )
        .await
        .ok();
    assert!(
        decode_id(action["id"].as_str().unwrap()).starts_with("ciscospark://us/ATTACHMENT_ACTION/")
    );
    assert_eq!(action["type"], "submit");
    assert_eq!(action["messageId"], message["id"]);
    assert_eq!(action["roomId"], room["id"]);
    assert_eq!(action["personId"], bob.id.as_str());
    assert_eq!(action["inputs"], json!({"dueDate": "26/06/1995"}));
    assert!(action["created"].is_string());

    // The card's author reads it; so does the submitter; outsiders do not.
    let path = format!("/v1/attachment/actions/{}", action["id"].as_str().unwrap());
    assert_eq!(
        http.call(Method::GET, &path, &alice.access_token, None)
            .await
            .ok(),
        action
    );
    assert_eq!(
        http.call(Method::GET, &path, &bob.access_token, None)
            .await
            .ok(),
        action
    );
    http.call(Method::GET, &path, &carol.access_token, None)
        .await
        .assert_webex_error(403);
    http.call(
        Method::GET,
        "/v1/attachment/actions/nope",
        &alice.access_token,
        None,
    )
    .await
    .assert_webex_error(400);

    // The conversation service answers for the bare uuid (a `cardAction`
    // activity's id), as webex-bot asks it, with the same action.
    let uuid = decode_id(action["id"].as_str().unwrap())
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let conversation_path = format!("/conversation/api/v1/attachment/actions/{uuid}");
    assert_eq!(
        http.call(Method::GET, &conversation_path, &alice.access_token, None)
            .await
            .ok(),
        action
    );
    http.call(Method::GET, &conversation_path, &carol.access_token, None)
        .await
        .assert_webex_error(403);

    // Errors.
    let plain = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "no card"}),
    )
    .await;
    let http = &http;
    let submit = |token: String, body: Value| async move {
        http.call(Method::POST, "/v1/attachment/actions", &token, Some(body))
            .await
    };
    submit(
        bob.access_token.clone(),
        json!({"type": "submit", "messageId": plain["id"], "inputs": {}}),
    )
    .await
    .assert_webex_error(400);
    let text = submit(
        bob.access_token.clone(),
        json!({"type": "submit", "inputs": {}}),
    )
    .await
    .assert_webex_error(400);
    assert!(text.contains("messageId"), "{text}");
    submit(
        bob.access_token.clone(),
        json!({"type": "click", "messageId": message["id"]}),
    )
    .await
    .assert_webex_error(400);
    submit(
        carol.access_token.clone(),
        json!({"type": "submit", "messageId": message["id"], "inputs": {}}),
    )
    .await
    .assert_webex_error(403);
    // Only Adaptive Cards are accepted as attachments.
    http.call(
        Method::POST,
        "/v1/messages",
        &alice.access_token,
        Some(json!({"roomId": room["id"], "text": "x", "attachments": [{"contentType": "text/html", "content": {}}]})),
    )
    .await
    .assert_webex_error(400);
}
