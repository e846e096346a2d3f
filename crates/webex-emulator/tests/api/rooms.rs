//! Rooms: CRUD, access, lock rules and listing.

use hyper::Method;
use serde_json::json;
use webex_emulator::PersonType;

use crate::client::{add_member, create_room, decode_id, person, post_message, start};

#[tokio::test]
async fn create_get_update_delete() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;

    let room = create_room(&http, token, "Create Room Example").await;
    assert!(decode_id(room["id"].as_str().unwrap()).starts_with("ciscospark://us/ROOM/"));
    assert!(!room["id"].as_str().unwrap().contains('='));
    assert_eq!(room["title"], "Create Room Example");
    assert_eq!(room["type"], "group");
    assert_eq!(room["isLocked"], false);
    assert_eq!(room["creatorId"], alice.id.as_str());
    assert_eq!(room["lastActivity"], room["created"]);
    let created = room["created"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.len() == 24, "{created}");

    let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
    // GET returns exactly what POST did (the JS SDK's deepEqual).
    assert_eq!(http.call(Method::GET, &path, token, None).await.ok(), room);

    // PUT with the whole object, as rooms.update sends it.
    let mut changed = room.clone();
    changed["title"] = json!("Updated Title");
    let updated = http
        .call(Method::PUT, &path, token, Some(changed))
        .await
        .ok();
    assert_eq!(updated["title"], "Updated Title");
    assert_eq!(
        http.call(Method::GET, &path, token, None).await.ok()["title"],
        "Updated Title"
    );

    // PUT without a title names the field.
    let message = http
        .call(Method::PUT, &path, token, Some(json!({"isLocked": false})))
        .await
        .assert_webex_error(400);
    assert!(message.contains("title"), "{message}");

    let deleted = http.call(Method::DELETE, &path, token, None).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.body.is_empty());
    http.call(Method::GET, &path, token, None)
        .await
        .assert_webex_error(404);
}

#[tokio::test]
async fn creation_errors_and_access() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Private").await;
    let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());

    // Not a member: 403; unknown: 404; not a room id: 400; no token: 401.
    http.call(Method::GET, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    let fresh = base64_room(uuid_like());
    http.call(
        Method::GET,
        &format!("/v1/rooms/{fresh}"),
        &alice.access_token,
        None,
    )
    .await
    .assert_webex_error(404);
    http.call(Method::GET, "/v1/rooms/garbage", &alice.access_token, None)
        .await
        .assert_webex_error(400);
    http.call(
        Method::GET,
        &format!("/v1/rooms/{}", alice.id),
        &alice.access_token,
        None,
    )
    .await
    .assert_webex_error(400);
    http.get(&path).await.assert_webex_error(401);

    let message = http
        .call(
            Method::POST,
            "/v1/rooms",
            &alice.access_token,
            Some(json!({})),
        )
        .await
        .assert_webex_error(400);
    assert!(message.contains("title"), "{message}");
    http.call(Method::POST, "/v1/rooms", &alice.access_token, None)
        .await
        .assert_webex_error(400);

    // The room is not in Bob's list.
    let list = http
        .call(Method::GET, "/v1/rooms", &bob.access_token, None)
        .await;
    assert!(list.ids().is_empty());
}

fn uuid_like() -> String {
    "0b0b0b0b-0000-4000-8000-000000000001".to_owned()
}

fn base64_room(uuid: String) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("ciscospark://us/ROOM/{uuid}"))
}

#[tokio::test]
async fn creator_is_a_plain_member_unless_the_room_is_locked() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;

    let open = create_room(&http, token, "Open").await;
    let members = http
        .call(
            Method::GET,
            &format!("/v1/memberships?roomId={}", open["id"].as_str().unwrap()),
            token,
            None,
        )
        .await
        .ok();
    assert_eq!(members["items"].as_array().unwrap().len(), 1);
    assert_eq!(members["items"][0]["personId"], alice.id.as_str());
    assert_eq!(members["items"][0]["isModerator"], false);

    let locked = http
        .call(
            Method::POST,
            "/v1/rooms",
            token,
            Some(json!({"title": "Locked", "isLocked": true})),
        )
        .await
        .ok();
    assert_eq!(locked["isLocked"], true);
    let members = http
        .call(
            Method::GET,
            &format!("/v1/memberships?roomId={}", locked["id"].as_str().unwrap()),
            token,
            None,
        )
        .await
        .ok();
    assert_eq!(members["items"][0]["isModerator"], true);
}

#[tokio::test]
async fn locked_rooms_follow_moderator_rules() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    person(&emulator, "carol@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Moderated").await;
    let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;

    // Alice locks the room and becomes its moderator.
    let locked = http
        .call(
            Method::PUT,
            &path,
            &alice.access_token,
            Some(json!({"title": "Moderated", "isLocked": true})),
        )
        .await
        .ok();
    assert_eq!(locked["isLocked"], true);

    // Bob may no longer add people, rename, unlock or delete.
    http.call(
        Method::POST,
        "/v1/memberships",
        &bob.access_token,
        Some(json!({"roomId": room["id"], "personEmail": "carol@example.com"})),
    )
    .await
    .assert_webex_error(403);
    for body in [
        json!({"title": "Bob's now"}),
        json!({"title": "Moderated", "isLocked": false}),
    ] {
        http.call(Method::PUT, &path, &bob.access_token, Some(body))
            .await
            .assert_webex_error(403);
    }
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    // An unchanged PUT (the JS SDK sends the whole object) is fine.
    let same = http
        .call(Method::GET, &path, &bob.access_token, None)
        .await
        .ok();
    assert_eq!(
        http.call(Method::PUT, &path, &bob.access_token, Some(same.clone()))
            .await
            .ok(),
        same
    );

    // Alice may; unlocking drops the moderators.
    add_member(&http, &alice.access_token, &room, "carol@example.com").await;
    let unlocked = http
        .call(
            Method::PUT,
            &path,
            &alice.access_token,
            Some(json!({"title": "Open again", "isLocked": false})),
        )
        .await
        .ok();
    assert_eq!(unlocked["isLocked"], false);
    let renamed = http
        .call(
            Method::PUT,
            &path,
            &bob.access_token,
            Some(json!({"title": "Bob's"})),
        )
        .await
        .ok();
    assert_eq!(renamed["title"], "Bob's");
}

#[tokio::test]
async fn lists_filter_and_sort() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    person(&emulator, "bob@example.com", PersonType::Person);
    let token = &alice.access_token;
    let first = create_room(&http, token, "First").await;
    let second = create_room(&http, token, "Second").await;
    let third = create_room(&http, token, "Third").await;
    let direct = post_message(
        &http,
        token,
        json!({"toPersonEmail": "bob@example.com", "text": "hi"}),
    )
    .await;
    let id = |room: &serde_json::Value| room["id"].as_str().unwrap().to_owned();

    // Default: newest first.
    let all = http.call(Method::GET, "/v1/rooms", token, None).await.ids();
    assert_eq!(
        all,
        vec![
            direct["roomId"].as_str().unwrap().to_owned(),
            id(&third),
            id(&second),
            id(&first)
        ]
    );
    let groups = http
        .call(Method::GET, "/v1/rooms?type=group&max=3", token, None)
        .await
        .ids();
    assert_eq!(groups, vec![id(&third), id(&second), id(&first)]);
    let directs = http
        .call(Method::GET, "/v1/rooms?type=direct", token, None)
        .await;
    assert_eq!(directs.ok()["items"][0]["title"], "bob Tester");

    // Activity moves a room to the front of sortBy=lastactivity.
    post_message(&http, token, json!({"roomId": first["id"], "text": "bump"})).await;
    let by_activity = http
        .call(
            Method::GET,
            "/v1/rooms?sortBy=lastactivity&type=group",
            token,
            None,
        )
        .await
        .ids();
    assert_eq!(by_activity[0], id(&first));
    let bumped = http
        .call(
            Method::GET,
            &format!("/v1/rooms/{}", id(&first)),
            token,
            None,
        )
        .await
        .ok();
    assert_ne!(bumped["lastActivity"], bumped["created"]);

    let mut by_id = http
        .call(Method::GET, "/v1/rooms?sortBy=id", token, None)
        .await
        .ids();
    let sorted = {
        let mut copy = by_id.clone();
        copy.sort();
        copy
    };
    assert_eq!(by_id, sorted);
    by_id.clear();

    for bad in ["type=public", "sortBy=title", "max=0", "max=x"] {
        http.call(Method::GET, &format!("/v1/rooms?{bad}"), token, None)
            .await
            .assert_webex_error(400);
    }
    // The JS SDK writes `rooms/`.
    assert_eq!(
        http.call(Method::GET, "/v1/rooms/", token, None)
            .await
            .ids()
            .len(),
        4
    );
}

#[tokio::test]
async fn announcement_rooms_let_only_moderators_post() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    // Announcement mode needs a locked room.
    http.call(
        Method::POST,
        "/v1/rooms",
        &alice.access_token,
        Some(json!({"title": "News", "isAnnouncementOnly": true})),
    )
    .await
    .assert_webex_error(400);
    let room = http
        .call(
            Method::POST,
            "/v1/rooms",
            &alice.access_token,
            Some(json!({"title": "News", "isLocked": true, "isAnnouncementOnly": true})),
        )
        .await
        .ok();
    assert_eq!(room["isAnnouncementOnly"], true);
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    http.call(
        Method::POST,
        "/v1/messages",
        &bob.access_token,
        Some(json!({"roomId": room["id"], "text": "me too"})),
    )
    .await
    .assert_webex_error(403);
    post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "news"}),
    )
    .await;
}
