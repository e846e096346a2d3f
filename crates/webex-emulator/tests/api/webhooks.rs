//! Webhooks: CRUD, and deliveries to a local receiver with filters,
//! visibility and signatures.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use hyper::Method;
use serde_json::{Value, json};
use sha1::Sha1;
use tokio::sync::mpsc;
use webex_emulator::PersonType;

use crate::client::{Http, add_member, create_room, person, post_message, start};

/// A delivery as the receiver got it.
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON delivery")
    }
}

/// A local HTTP server collecting deliveries; its URL.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Received>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let sender = sender.clone();
            async move {
                let _ = sender.send(Received { headers, body });
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, receiver)
}

/// The next delivery, or a panic after a few seconds.
async fn next(receiver: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("a delivery in time")
        .expect("receiver open")
}

/// Asserts that nothing more arrives for a moment.
async fn nothing_more(receiver: &mut mpsc::UnboundedReceiver<Received>) {
    let extra = tokio::time::timeout(Duration::from_millis(300), receiver.recv()).await;
    if let Ok(Some(extra)) = extra {
        panic!(
            "unexpected delivery: {}",
            String::from_utf8_lossy(&extra.body)
        );
    }
}

async fn create_hook(http: &Http, token: &str, body: Value) -> Value {
    http.call(Method::POST, "/v1/webhooks", token, Some(body))
        .await
        .ok()
}

#[tokio::test]
async fn crud() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Create Webhook Example").await;
    let hook = create_hook(
        &http,
        token,
        json!({
            "resource": "messages", "event": "created",
            "filter": format!("roomId={}", room["id"].as_str().unwrap()),
            "targetUrl": "https://example.com/webhook", "name": "Test Webhook",
        }),
    )
    .await;
    for field in [
        "id",
        "resource",
        "event",
        "filter",
        "targetUrl",
        "name",
        "created",
        "orgId",
        "appId",
    ] {
        assert!(hook[field].is_string(), "{field}: {hook}");
    }
    assert_eq!(hook["status"], "active");
    assert_eq!(hook["ownedBy"], "creator");
    assert_eq!(hook["createdBy"], alice.id.as_str());
    let path = format!("/v1/webhooks/{}", hook["id"].as_str().unwrap());
    assert_eq!(http.call(Method::GET, &path, token, None).await.ok(), hook);
    assert_eq!(
        http.call(Method::GET, "/v1/webhooks", token, None)
            .await
            .ids(),
        vec![hook["id"].as_str().unwrap().to_owned()]
    );
    // Someone else's webhook does not exist for Bob.
    http.call(Method::GET, &path, &bob.access_token, None)
        .await
        .assert_webex_error(404);
    assert!(
        http.call(Method::GET, "/v1/webhooks", &bob.access_token, None)
            .await
            .ids()
            .is_empty()
    );

    let mut changed = hook.clone();
    changed["targetUrl"] = json!("https://example.com/webhook/newtarget");
    http.call(Method::PUT, &path, token, Some(changed))
        .await
        .ok();
    assert_eq!(
        http.call(Method::GET, &path, token, None).await.ok()["targetUrl"],
        "https://example.com/webhook/newtarget"
    );

    assert_eq!(
        http.call(Method::DELETE, &path, token, None).await.status,
        204
    );
    assert!(
        http.call(Method::GET, "/v1/webhooks", token, None)
            .await
            .ids()
            .is_empty()
    );

    for (body, field) in [
        (
            json!({"name": "n", "resource": "messages", "event": "created"}),
            "targetUrl",
        ),
        (
            json!({"name": "n", "targetUrl": "ftp://x", "resource": "messages", "event": "created"}),
            "targetUrl",
        ),
        (
            json!({"name": "n", "targetUrl": "http://x", "resource": "meetings", "event": "created"}),
            "resource",
        ),
        (
            json!({"name": "n", "targetUrl": "http://x", "resource": "messages", "event": "seen"}),
            "event",
        ),
        (
            json!({"targetUrl": "http://x", "resource": "messages", "event": "created"}),
            "name",
        ),
        (
            json!({"name": "n", "targetUrl": "http://x", "resource": "rooms", "event": "all", "filter": "roomId=1"}),
            "filter",
        ),
    ] {
        let message = http
            .call(Method::POST, "/v1/webhooks", token, Some(body))
            .await
            .assert_webex_error(400);
        assert!(message.contains(field), "{field}: {message}");
    }
}

#[tokio::test]
async fn deliveries_are_signed_filtered_and_textless() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let watched = create_room(&http, token, "Watched").await;
    let other = create_room(&http, token, "Other").await;
    let (url, mut deliveries) = receiver().await;
    let hook = create_hook(
        &http,
        token,
        json!({
            "name": "watch", "targetUrl": url, "resource": "messages", "event": "created",
            "filter": format!("roomId={}", watched["id"].as_str().unwrap()), "secret": "s3cret",
        }),
    )
    .await;

    post_message(
        &http,
        token,
        json!({"roomId": other["id"], "text": "elsewhere"}),
    )
    .await;
    let message = post_message(
        &http,
        token,
        json!({"roomId": watched["id"], "text": "hello"}),
    )
    .await;

    let delivery = next(&mut deliveries).await;
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(b"s3cret").unwrap();
    mac.update(&delivery.body);
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(
        delivery.headers.get("x-spark-signature").unwrap(),
        expected.as_str()
    );
    assert_eq!(
        delivery.headers.get("content-type").unwrap(),
        "application/json"
    );

    let envelope = delivery.json();
    assert_eq!(envelope["id"], hook["id"]);
    assert_eq!(envelope["name"], "watch");
    assert_eq!(envelope["resource"], "messages");
    assert_eq!(envelope["event"], "created");
    assert_eq!(envelope["filter"], hook["filter"]);
    assert_eq!(envelope["orgId"], alice.org_id.as_str());
    assert_eq!(envelope["createdBy"], alice.id.as_str());
    assert_eq!(envelope["actorId"], alice.id.as_str());
    assert_eq!(envelope["appId"], hook["appId"]);
    assert_eq!(envelope["ownedBy"], "creator");
    assert_eq!(envelope["status"], "active");
    assert_eq!(envelope["created"], hook["created"]);
    assert!(envelope.get("secret").is_none());
    assert_eq!(envelope["data"]["id"], message["id"]);
    assert_eq!(envelope["data"]["roomId"], watched["id"]);
    assert_eq!(envelope["data"]["personEmail"], "alice@example.com");
    assert!(envelope["data"].get("text").is_none(), "{envelope}");
    nothing_more(&mut deliveries).await;

    // An inactive webhook gets nothing.
    let path = format!("/v1/webhooks/{}", hook["id"].as_str().unwrap());
    http.call(
        Method::PUT,
        &path,
        token,
        Some(json!({"name": "watch", "targetUrl": url, "status": "inactive"})),
    )
    .await
    .ok();
    post_message(
        &http,
        token,
        json!({"roomId": watched["id"], "text": "quiet"}),
    )
    .await;
    nothing_more(&mut deliveries).await;

    // The admin log saw the delivery, with its status.
    let log = http.get("/_emulator/webhooks/deliveries").await.json();
    assert_eq!(log["items"][0]["status"], 200);
    assert_eq!(log["items"][0]["signature"], expected.as_str());
    assert_eq!(emulator.webhook_deliveries().len(), 1);
}

#[tokio::test]
async fn a_bot_hears_only_mentions_and_firehoses_see_all_resources() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bot = person(&emulator, "helper@webex.bot", PersonType::Bot);
    let (bot_url, mut bot_deliveries) = receiver().await;
    create_hook(
        &http,
        &bot.access_token,
        json!({"name": "bot", "targetUrl": bot_url, "resource": "messages", "event": "created"}),
    )
    .await;
    let (all_url, mut all_deliveries) = receiver().await;
    create_hook(
        &http,
        &alice.access_token,
        json!({"name": "all", "targetUrl": all_url, "resource": "all", "event": "all"}),
    )
    .await;

    let room = create_room(&http, &alice.access_token, "Team room").await;
    assert_eq!(next(&mut all_deliveries).await.json()["resource"], "rooms");
    let created = next(&mut all_deliveries).await.json();
    assert_eq!(
        (created["resource"].as_str(), created["event"].as_str()),
        (Some("memberships"), Some("created"))
    );
    add_member(&http, &alice.access_token, &room, "helper@webex.bot").await;
    let added = next(&mut all_deliveries).await.json();
    assert_eq!(added["data"]["personId"], bot.id.as_str());

    post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "chatter"}),
    )
    .await;
    let mention = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "markdown": format!("<@personId:{}> do it", bot.id)}),
    )
    .await;
    let got = next(&mut bot_deliveries).await.json();
    assert_eq!(got["data"]["id"], mention["id"]);
    assert_eq!(got["data"]["mentionedPeople"], json!([bot.id]));
    nothing_more(&mut bot_deliveries).await;

    // Alice's firehose got both messages, then edits and deletes.
    assert_eq!(next(&mut all_deliveries).await.json()["event"], "created");
    assert_eq!(
        next(&mut all_deliveries).await.json()["data"]["id"],
        mention["id"]
    );
    let path = format!("/v1/messages/{}", mention["id"].as_str().unwrap());
    http.call(Method::DELETE, &path, &alice.access_token, None)
        .await;
    let deleted = next(&mut all_deliveries).await.json();
    assert_eq!(
        (deleted["resource"].as_str(), deleted["event"].as_str()),
        (Some("messages"), Some("deleted"))
    );
}

#[tokio::test]
async fn filters_on_people_and_failing_targets_break_nothing() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Room").await;
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let (url, mut deliveries) = receiver().await;
    create_hook(
        &http,
        &alice.access_token,
        json!({"name": "bob only", "targetUrl": url, "resource": "messages", "event": "created", "filter": "personEmail=bob%40example.com"}),
    )
    .await;
    // A target nobody listens on.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}/gone")
    };
    create_hook(
        &http,
        &alice.access_token,
        json!({"name": "broken", "targetUrl": closed, "resource": "messages", "event": "all"}),
    )
    .await;

    post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "from alice"}),
    )
    .await;
    let bobs = post_message(
        &http,
        &bob.access_token,
        json!({"roomId": room["id"], "text": "from bob"}),
    )
    .await;
    assert_eq!(next(&mut deliveries).await.json()["data"]["id"], bobs["id"]);
    nothing_more(&mut deliveries).await;

    // The broken target's attempts are logged as failures.
    let mut failures = 0;
    for _ in 0..100 {
        failures = emulator
            .webhook_deliveries()
            .iter()
            .filter(|d| d.target_url == closed && d.status.is_none() && d.error.is_some())
            .count();
        if failures == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(failures, 2);
}

#[tokio::test]
async fn card_submits_edits_and_membership_filters_are_delivered() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Cards").await;
    let (url, mut deliveries) = receiver().await;
    create_hook(&http, &alice.access_token, json!({"name": "actions", "targetUrl": url, "resource": "attachmentActions", "event": "created"})).await;
    create_hook(
        &http,
        &alice.access_token,
        json!({"name": "edits", "targetUrl": url, "resource": "messages", "event": "updated"}),
    )
    .await;
    create_hook(
        &http,
        &alice.access_token,
        json!({"name": "bob joins", "targetUrl": url, "resource": "memberships", "event": "created", "filter": format!("personId={}", bob.id)}),
    )
    .await;

    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let joined = next(&mut deliveries).await.json();
    assert_eq!(joined["name"], "bob joins");
    assert_eq!(joined["data"]["personId"], bob.id.as_str());

    let card = json!([{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.0"}}]);
    let message = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "card", "attachments": card}),
    )
    .await;
    let action = http
        .call(
            Method::POST,
            "/v1/attachment/actions",
            &bob.access_token,
            Some(json!({"type": "submit", "messageId": message["id"], "inputs": {"a": "b"}})),
        )
        .await
        .ok();
    let submitted = next(&mut deliveries).await.json();
    assert_eq!(submitted["resource"], "attachmentActions");
    assert_eq!(submitted["actorId"], bob.id.as_str());
    assert_eq!(submitted["data"]["id"], action["id"]);
    assert_eq!(submitted["data"]["messageId"], message["id"]);
    assert!(submitted["data"].get("inputs").is_none());

    http.call(
        Method::PUT,
        &format!("/v1/messages/{}", message["id"].as_str().unwrap()),
        &alice.access_token,
        Some(json!({"roomId": room["id"], "text": "edited"})),
    )
    .await
    .ok();
    let edited = next(&mut deliveries).await.json();
    assert_eq!(
        (edited["resource"].as_str(), edited["event"].as_str()),
        (Some("messages"), Some("updated"))
    );
    assert!(edited["data"]["updated"].is_string());
    nothing_more(&mut deliveries).await;
}
