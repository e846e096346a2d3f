//! Messages: posting, reading, editing, deleting, threads, direct rooms,
//! mentions and bot visibility.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, add_member, create_room, decode_id, person, post_message, start};

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn list(http: &Http, token: &str, query: &str) -> Vec<String> {
    http.call(Method::GET, &format!("/v1/messages?{query}"), token, None)
        .await
        .ids()
}

#[tokio::test]
async fn create_get_list_delete() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "List Messages Example").await;

    let first = post_message(
        &http,
        token,
        json!({"roomId": room["id"], "text": "Howdy!"}),
    )
    .await;
    assert!(decode_id(&id(&first)).starts_with("ciscospark://us/MESSAGE/"));
    assert_eq!(first["roomId"], room["id"]);
    assert_eq!(first["roomType"], "group");
    assert_eq!(first["text"], "Howdy!");
    assert_eq!(first["personId"], alice.id.as_str());
    assert_eq!(first["personEmail"], "alice@example.com");
    assert!(first.get("html").is_none() && first.get("updated").is_none());
    let second = post_message(
        &http,
        token,
        json!({"roomId": room["id"], "text": "How are you?"}),
    )
    .await;

    // GET equals the POST answer.
    let path = format!("/v1/messages/{}", id(&first));
    assert_eq!(http.call(Method::GET, &path, token, None).await.ok(), first);

    // Newest first.
    let query = format!("roomId={}", room["id"].as_str().unwrap());
    assert_eq!(
        list(&http, token, &query).await,
        vec![id(&second), id(&first)]
    );

    // lastActivity follows messages.
    let room_now = http
        .call(
            Method::GET,
            &format!("/v1/rooms/{}", room["id"].as_str().unwrap()),
            token,
            None,
        )
        .await
        .ok();
    assert_eq!(room_now["lastActivity"], second["created"]);

    let deleted = http.call(Method::DELETE, &path, token, None).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(list(&http, token, &query).await, vec![id(&second)]);
    http.call(Method::GET, &path, token, None)
        .await
        .assert_webex_error(404);
}

#[tokio::test]
async fn errors_and_access() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Private").await;
    let message = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "secret"}),
    )
    .await;
    let http = &http;
    let post = |token: String, body: Value| async move {
        http.call(Method::POST, "/v1/messages", &token, Some(body))
            .await
    };

    // Not a member: cannot post, list, read, edit or delete.
    post(
        bob.access_token.clone(),
        json!({"roomId": room["id"], "text": "hi"}),
    )
    .await
    .assert_webex_error(403);
    let query = format!("/v1/messages?roomId={}", room["id"].as_str().unwrap());
    http.call(Method::GET, &query, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    let path = format!("/v1/messages/{}", id(&message));
    http.call(Method::GET, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);

    // Required fields are named.
    let text = http
        .call(Method::GET, "/v1/messages", &alice.access_token, None)
        .await
        .assert_webex_error(400);
    assert!(text.contains("roomId"), "{text}");
    let text = post(alice.access_token.clone(), json!({"text": "where?"}))
        .await
        .assert_webex_error(400);
    assert!(text.contains("roomId"), "{text}");
    let text = post(alice.access_token.clone(), json!({"roomId": room["id"]}))
        .await
        .assert_webex_error(400);
    assert!(text.contains("text"), "{text}");
    post(
        alice.access_token.clone(),
        json!({"roomId": room["id"], "toPersonEmail": "bob@example.com", "text": "x"}),
    )
    .await
    .assert_webex_error(400);
    post(
        alice.access_token.clone(),
        json!({"toPersonEmail": "alice@example.com", "text": "me"}),
    )
    .await
    .assert_webex_error(400);
    post(
        alice.access_token.clone(),
        json!({"toPersonEmail": "nobody@example.com", "text": "x"}),
    )
    .await
    .assert_webex_error(404);
    post(
        alice.access_token.clone(),
        json!({"roomId": "bad", "text": "x"}),
    )
    .await
    .assert_webex_error(400);
    post(
        alice.access_token.clone(),
        json!({"roomId": room["id"], "text": "x".repeat(8000)}),
    )
    .await
    .assert_webex_error(400);
    http.call(Method::GET, "/v1/messages/bad", &alice.access_token, None)
        .await
        .assert_webex_error(400);
}

#[tokio::test]
async fn direct_rooms_are_created_once_per_pair() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);

    let first = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonEmail": "bob@example.com", "text": "hi Bob"}),
    )
    .await;
    assert_eq!(first["roomType"], "direct");
    assert_eq!(first["toPersonEmail"], "bob@example.com");
    assert_eq!(first["toPersonId"], bob.id.as_str());
    // Bob answers by id: the same room.
    let answer = post_message(
        &http,
        &bob.access_token,
        json!({"toPersonId": alice.id, "text": "hi Alice"}),
    )
    .await;
    assert_eq!(answer["roomId"], first["roomId"]);
    let again = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonId": bob.id, "text": "again"}),
    )
    .await;
    assert_eq!(again["roomId"], first["roomId"]);
    // Posting with the room id works too.
    post_message(
        &http,
        &bob.access_token,
        json!({"roomId": first["roomId"], "text": "by room"}),
    )
    .await;

    let room_path = format!("/v1/rooms/{}", first["roomId"].as_str().unwrap());
    let for_alice = http
        .call(Method::GET, &room_path, &alice.access_token, None)
        .await
        .ok();
    let for_bob = http
        .call(Method::GET, &room_path, &bob.access_token, None)
        .await
        .ok();
    assert_eq!(for_alice["type"], "direct");
    assert_eq!(for_alice["title"], "bob Tester");
    assert_eq!(for_bob["title"], "alice Tester");
    let members = http
        .call(
            Method::GET,
            &format!(
                "/v1/memberships?roomId={}",
                first["roomId"].as_str().unwrap()
            ),
            &bob.access_token,
            None,
        )
        .await
        .ids();
    assert_eq!(members.len(), 2);
    let query = format!("roomId={}", first["roomId"].as_str().unwrap());
    assert_eq!(list(&http, &bob.access_token, &query).await.len(), 4);
    let rooms = http
        .call(
            Method::GET,
            "/v1/rooms?type=direct",
            &bob.access_token,
            None,
        )
        .await
        .ids();
    assert_eq!(rooms.len(), 1);
}

#[tokio::test]
async fn bots_in_group_rooms_see_only_mentions() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bot = person(&emulator, "helper@webex.bot", PersonType::Bot);
    let room = create_room(&http, &alice.access_token, "With a bot").await;
    add_member(&http, &alice.access_token, &room, "helper@webex.bot").await;

    let plain = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "not for the bot"}),
    )
    .await;
    let mention = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "markdown": format!("Hey <@personId:{}|Helper>, **help**", bot.id)}),
    )
    .await;
    assert_eq!(mention["mentionedPeople"], json!([bot.id]));
    assert_eq!(mention["text"], "Hey Helper, help");
    let html = mention["html"].as_str().unwrap();
    assert!(
        html.contains(&format!("data-object-id=\"{}\"", bot.id)),
        "{html}"
    );
    let by_email = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "markdown": "<@personEmail:helper@webex.bot> ping"}),
    )
    .await;
    assert_eq!(by_email["mentionedPeople"], json!([bot.id]));
    let own = post_message(
        &http,
        &bot.access_token,
        json!({"roomId": room["id"], "text": "bot here"}),
    )
    .await;

    // Listing without mentionedPeople=me is refused, as on Webex.
    let query = format!("/v1/messages?roomId={}", room["id"].as_str().unwrap());
    let text = http
        .call(Method::GET, &query, &bot.access_token, None)
        .await
        .assert_webex_error(403);
    assert_eq!(text, "Failed to get activity.");
    let mentioned = list(
        &http,
        &bot.access_token,
        &format!("roomId={}&mentionedPeople=me", room["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(mentioned, vec![id(&by_email), id(&mention)]);
    // The bot's own id works like `me`; someone else's does not.
    let by_id = list(
        &http,
        &bot.access_token,
        &format!(
            "roomId={}&mentionedPeople={}",
            room["id"].as_str().unwrap(),
            bot.id
        ),
    )
    .await;
    assert_eq!(by_id.len(), 2);
    http.call(
        Method::GET,
        &format!("{query}&mentionedPeople={}", alice.id),
        &bot.access_token,
        None,
    )
    .await
    .assert_webex_error(400);

    // An unmentioned message is invisible; mentioned and own ones are not.
    http.call(
        Method::GET,
        &format!("/v1/messages/{}", id(&plain)),
        &bot.access_token,
        None,
    )
    .await
    .assert_webex_error(404);
    for visible in [&mention, &own] {
        http.call(
            Method::GET,
            &format!("/v1/messages/{}", id(visible)),
            &bot.access_token,
            None,
        )
        .await
        .ok();
    }
    // People see everything.
    assert_eq!(
        list(
            &http,
            &alice.access_token,
            &format!("roomId={}", room["id"].as_str().unwrap())
        )
        .await
        .len(),
        4
    );

    // In a direct room the bot sees every message.
    let direct = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonId": bot.id, "text": "plain"}),
    )
    .await;
    let direct_query = format!("roomId={}", direct["roomId"].as_str().unwrap());
    assert_eq!(
        list(&http, &bot.access_token, &direct_query).await,
        vec![id(&direct)]
    );
}

#[tokio::test]
async fn before_and_before_message() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Times").await;
    let mut sent = Vec::new();
    for n in 0..4 {
        sent.push(
            post_message(
                &http,
                token,
                json!({"roomId": room["id"], "text": format!("m{n}")}),
            )
            .await,
        );
    }
    let room_q = format!("roomId={}", room["id"].as_str().unwrap());
    assert_eq!(
        list(
            &http,
            token,
            &format!("{room_q}&beforeMessage={}", id(&sent[2]))
        )
        .await,
        vec![id(&sent[1]), id(&sent[0])]
    );
    let before = sent[2]["created"].as_str().unwrap();
    assert_eq!(
        list(&http, token, &format!("{room_q}&before={before}")).await,
        vec![id(&sent[1]), id(&sent[0])]
    );
    assert_eq!(
        list(&http, token, &format!("{room_q}&max=1")).await,
        vec![id(&sent[3])]
    );
    http.call(
        Method::GET,
        &format!("/v1/messages?{room_q}&before=yesterday"),
        token,
        None,
    )
    .await
    .assert_webex_error(400);
    http.call(
        Method::GET,
        &format!("/v1/messages?{room_q}&beforeMessage=nope"),
        token,
        None,
    )
    .await
    .assert_webex_error(400);
}

#[tokio::test]
async fn threads_and_edits() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Threads").await;
    add_member(&http, token, &room, "bob@example.com").await;
    let root = post_message(&http, token, json!({"roomId": room["id"], "text": "root"})).await;
    let reply = post_message(
        &http,
        &bob.access_token,
        json!({"roomId": room["id"], "parentId": root["id"], "text": "reply"}),
    )
    .await;
    assert_eq!(reply["parentId"], root["id"]);
    post_message(&http, token, json!({"roomId": room["id"], "text": "other"})).await;
    let room_q = format!("roomId={}", room["id"].as_str().unwrap());
    assert_eq!(
        list(&http, token, &format!("{room_q}&parentId={}", id(&root))).await,
        vec![id(&reply)]
    );
    // A raw activity uuid works as parentId (webex-bot sends one).
    let raw = decode_id(&id(&root)).rsplit('/').next().unwrap().to_owned();
    let raw_reply = post_message(
        &http,
        &bob.access_token,
        json!({"roomId": room["id"], "parentId": raw, "text": "raw"}),
    )
    .await;
    assert_eq!(raw_reply["parentId"], root["id"]);
    // Threads are one level deep.
    http.call(
        Method::POST,
        "/v1/messages",
        token,
        Some(json!({"roomId": room["id"], "parentId": reply["id"], "text": "deeper"})),
    )
    .await
    .assert_webex_error(400);

    // Edits: roomId required, only the author, markdown re-rendered.
    let path = format!("/v1/messages/{}", id(&root));
    let text = http
        .call(Method::PUT, &path, token, Some(json!({"text": "edited"})))
        .await
        .assert_webex_error(400);
    assert!(text.contains("roomId"), "{text}");
    http.call(
        Method::PUT,
        &path,
        &bob.access_token,
        Some(json!({"roomId": room["id"], "text": "mine now"})),
    )
    .await
    .assert_webex_error(403);
    let edited = http
        .call(
            Method::PUT,
            &path,
            token,
            Some(json!({"roomId": room["id"], "markdown": "**What up**"})),
        )
        .await
        .ok();
    assert_eq!(edited["markdown"], "**What up**");
    assert_eq!(edited["text"], "What up");
    assert_eq!(edited["html"], "<p><strong>What up</strong></p>");
    assert!(edited["updated"].is_string());
    assert_eq!(edited["created"], root["created"]);
    assert_eq!(
        http.call(Method::GET, &path, token, None).await.ok(),
        edited
    );

    // Bob cannot delete Alice's message in an unlocked room.
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
}

#[tokio::test]
async fn faults_apply_to_messages() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Faulty").await;
    emulator.add_fault(webex_emulator::Fault {
        status: Some(503),
        path_prefix: Some("/v1/messages".into()),
        method: Some("POST".into()),
        ..Default::default()
    });
    let body = json!({"roomId": room["id"], "text": "x"});
    http.call(
        Method::POST,
        "/v1/messages",
        &alice.access_token,
        Some(body.clone()),
    )
    .await
    .assert_webex_error(503);
    post_message(&http, &alice.access_token, body).await;
}
