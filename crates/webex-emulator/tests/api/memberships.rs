//! Memberships: adding, listing, moderators, hiding, leaving and access.

use hyper::Method;
use serde_json::json;
use webex_emulator::PersonType;

use crate::client::{add_member, create_room, decode_id, person, post_message, start};

#[tokio::test]
async fn create_list_get_remove() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Create Membership Example").await;

    let membership = add_member(&http, token, &room, "bob@example.com").await;
    let decoded = decode_id(membership["id"].as_str().unwrap());
    let bob_uuid = decode_id(&bob.id).rsplit('/').next().unwrap().to_owned();
    let room_uuid = decode_id(room["id"].as_str().unwrap())
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        decoded,
        format!("ciscospark://us/MEMBERSHIP/{bob_uuid}:{room_uuid}")
    );
    assert_eq!(membership["roomId"], room["id"]);
    assert_eq!(membership["personId"], bob.id.as_str());
    assert_eq!(membership["personEmail"], "bob@example.com");
    assert_eq!(membership["personDisplayName"], "bob Tester");
    assert_eq!(membership["personOrgId"], bob.org_id.as_str());
    assert_eq!(membership["isModerator"], false);
    assert_eq!(membership["isMonitor"], false);
    assert_eq!(membership["roomType"], "group");
    assert!(membership["created"].is_string());

    // Adding twice is a conflict; by id works like by email.
    http.call(
        Method::POST,
        "/v1/memberships",
        token,
        Some(json!({"roomId": room["id"], "personId": bob.id})),
    )
    .await
    .assert_webex_error(409);

    let path = format!("/v1/memberships/{}", membership["id"].as_str().unwrap());
    assert_eq!(
        http.call(Method::GET, &path, token, None).await.ok(),
        membership
    );
    let list_path = format!("/v1/memberships?roomId={}", room["id"].as_str().unwrap());
    let list = http.call(Method::GET, &list_path, token, None).await.ok();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|m| m["roomId"] == room["id"]));
    // Filtered by person.
    let only_bob = http
        .call(
            Method::GET,
            &format!("{list_path}&personEmail=bob%40example.com"),
            token,
            None,
        )
        .await
        .ids();
    assert_eq!(
        only_bob,
        vec![membership["id"].as_str().unwrap().to_owned()]
    );

    assert_eq!(
        http.call(Method::DELETE, &path, token, None).await.status,
        204
    );
    let list = http.call(Method::GET, &list_path, token, None).await.ok();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    http.call(Method::GET, &path, token, None)
        .await
        .assert_webex_error(404);
}

#[tokio::test]
async fn errors_name_the_problem() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Room").await;
    let post = |body| {
        http.call(
            Method::POST,
            "/v1/memberships",
            &alice.access_token,
            Some(body),
        )
    };

    let message = post(json!({"personEmail": "bob@example.com"}))
        .await
        .assert_webex_error(400);
    assert!(message.contains("roomId"), "{message}");
    let message = post(json!({"roomId": room["id"]}))
        .await
        .assert_webex_error(400);
    assert!(
        message.contains("personId") && message.contains("personEmail"),
        "{message}"
    );
    post(json!({"roomId": room["id"], "personEmail": "nobody@example.com"}))
        .await
        .assert_webex_error(404);
    post(json!({"roomId": "nope", "personEmail": "bob@example.com"}))
        .await
        .assert_webex_error(400);

    // Bob is not in the room: he cannot add himself, list or read.
    let list_path = format!("/v1/memberships?roomId={}", room["id"].as_str().unwrap());
    http.call(Method::GET, &list_path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    http.call(
        Method::POST,
        "/v1/memberships",
        &bob.access_token,
        Some(json!({"roomId": room["id"], "personId": bob.id})),
    )
    .await
    .assert_webex_error(403);
    let alice_membership = http
        .call(Method::GET, &list_path, &alice.access_token, None)
        .await
        .ids()
        .remove(0);
    http.call(
        Method::GET,
        &format!("/v1/memberships/{alice_membership}"),
        &bob.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(
        Method::GET,
        "/v1/memberships/garbage",
        &alice.access_token,
        None,
    )
    .await
    .assert_webex_error(400);
}

#[tokio::test]
async fn moderators_and_hiding() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Memberships Example").await;
    let room_path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
    let bobs = add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let list_path = format!("/v1/memberships?roomId={}", room["id"].as_str().unwrap());

    // The JS SDK example: the creator makes herself moderator by sending the
    // whole membership back; the room becomes locked.
    let mut mine = http
        .call(
            Method::GET,
            &format!("{list_path}&personId={}", alice.id),
            &alice.access_token,
            None,
        )
        .await
        .ok()["items"][0]
        .clone();
    assert_eq!(mine["isModerator"], false);
    mine["isModerator"] = json!(true);
    let path = format!("/v1/memberships/{}", mine["id"].as_str().unwrap());
    let updated = http
        .call(Method::PUT, &path, &alice.access_token, Some(mine))
        .await
        .ok();
    assert_eq!(updated["isModerator"], true);
    assert_eq!(
        http.call(Method::GET, &room_path, &alice.access_token, None)
            .await
            .ok()["isLocked"],
        true
    );

    // Bob, not a moderator, cannot promote himself or remove Alice now.
    let bob_path = format!("/v1/memberships/{}", bobs["id"].as_str().unwrap());
    http.call(
        Method::PUT,
        &bob_path,
        &bob.access_token,
        Some(json!({"isModerator": true})),
    )
    .await
    .assert_webex_error(403);
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await
        .assert_webex_error(403);
    // ...nor hide the room for Alice.
    http.call(
        Method::PUT,
        &path,
        &bob.access_token,
        Some(json!({"isRoomHidden": true})),
    )
    .await
    .assert_webex_error(403);
    // He can leave.
    assert_eq!(
        http.call(Method::DELETE, &bob_path, &bob.access_token, None)
            .await
            .status,
        204
    );

    // The last moderator stepping down unlocks the room.
    let updated = http
        .call(
            Method::PUT,
            &path,
            &alice.access_token,
            Some(json!({"isModerator": false})),
        )
        .await
        .ok();
    assert_eq!(updated["isModerator"], false);
    assert_eq!(
        http.call(Method::GET, &room_path, &alice.access_token, None)
            .await
            .ok()["isLocked"],
        false
    );
}

#[tokio::test]
async fn hiding_a_direct_room_and_listing_own_memberships() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    person(&emulator, "bob@example.com", PersonType::Person);
    let message = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonEmail": "bob@example.com", "text": "This message will create a 1-1 space"}),
    )
    .await;
    let path = format!(
        "/v1/memberships?roomId={}&personId={}",
        message["roomId"].as_str().unwrap(),
        alice.id
    );
    let mut membership = http
        .call(Method::GET, &path, &alice.access_token, None)
        .await
        .ok()["items"][0]
        .clone();
    assert_eq!(membership["isRoomHidden"], false);
    assert_eq!(membership["roomType"], "direct");
    membership["isRoomHidden"] = json!(true);
    let updated = http
        .call(
            Method::PUT,
            &format!("/v1/memberships/{}", membership["id"].as_str().unwrap()),
            &alice.access_token,
            Some(membership.clone()),
        )
        .await
        .ok();
    assert_eq!(updated["isRoomHidden"], true);

    // Nobody can be added to, or removed from, a direct room.
    http.call(
        Method::POST,
        "/v1/memberships",
        &alice.access_token,
        Some(json!({"roomId": message["roomId"], "personEmail": "alice@example.com"})),
    )
    .await
    .assert_webex_error(400);

    // Without roomId: the caller's own memberships, across rooms.
    create_room(&http, &alice.access_token, "Another").await;
    let own = http
        .call(Method::GET, "/v1/memberships", &alice.access_token, None)
        .await
        .ok();
    let items = own["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|m| m["personId"] == alice.id.as_str()));
}
