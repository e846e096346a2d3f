//! The conversation service's read status: conversations, participants and
//! acknowledge.

use hyper::Method;
use serde_json::json;
use webex_emulator::PersonType;

use crate::client::{Http, add_member, create_room, decode_id, person, post_message, start};

fn uuid(id: &serde_json::Value) -> String {
    decode_id(id.as_str().unwrap())
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

const GET_QUERY: &str = "uuidEntryFormat=true&personRefresh=true&activitiesLimit=0&includeConvWithDeletedUserUUID=false&includeParticipants=false&computeTitleIfEmpty=true";
const MEMBERS_QUERY: &str = "uuidEntryFormat=true&personRefresh=true&activitiesLimit=0&includeConvWithDeletedUserUUID=false&participantAckFilter=all&computeTitleIfEmpty=true";

#[tokio::test]
async fn read_status_and_acknowledge() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Read status").await;
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let first = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "one"}),
    )
    .await;
    let second = post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room["id"], "text": "two"}),
    )
    .await;
    let conv = uuid(&room["id"]);
    let base = format!("{}/conversation/api/v1", emulator.base_url());

    // getWithReadStatus.
    let path = format!("{base}/conversations/{conv}?{GET_QUERY}");
    let conversation = http
        .call(Method::GET, &path, &bob.access_token, None)
        .await
        .ok();
    assert_eq!(conversation["objectType"], "conversation");
    assert_eq!(conversation["id"], conv.as_str());
    assert_eq!(conversation["displayName"], "Read status");
    assert_eq!(conversation["activities"], json!({"items": []}));
    assert_eq!(conversation["tags"], json!([]));
    assert_eq!(conversation["lastReadableActivityDate"], second["created"]);
    assert!(conversation.get("lastSeenActivityDate").is_none());
    assert_eq!(conversation["url"], format!("{base}/conversations/{conv}"));
    // The room's KMS resource object, the same for every member.
    let kro = conversation["kmsResourceObjectUrl"].as_str().unwrap();
    assert!(
        kro.starts_with("kms://") && kro.contains("/resources/"),
        "{kro}"
    );
    let as_alice = http
        .call(Method::GET, &path, &alice.access_token, None)
        .await
        .ok();
    assert_eq!(as_alice["kmsResourceObjectUrl"], kro);

    // Bob acknowledges the first message.
    let ack = http
        .call(
            Method::POST,
            &format!("{base}/conversations/{conv}/activities?personRefresh=true"),
            &bob.access_token,
            Some(json!({
                "verb": "acknowledge", "objectType": "activity", "clientTempId": "temp-1",
                "actor": {"objectType": "person", "id": uuid(&json!(bob.id))},
                "object": {"objectType": "activity", "id": uuid(&first["id"])},
                "target": {"objectType": "conversation", "id": conv, "url": format!("{base}/conversations/{conv}")},
            })),
        )
        .await
        .ok();
    assert_eq!(ack["verb"], "acknowledge");
    assert_eq!(ack["clientTempId"], "temp-1");
    assert_eq!(ack["actor"]["entryUUID"], uuid(&json!(bob.id)).as_str());
    assert_eq!(ack["actor"]["emailAddress"], "bob@example.com");
    assert_eq!(ack["actor"]["displayName"], "bob Tester");
    assert!(ack["actor"]["orgId"].is_string());
    assert_eq!(ack["object"]["id"], uuid(&first["id"]).as_str());
    assert_eq!(ack["target"]["id"], conv.as_str());
    assert!(ack["target"]["tags"].is_array());
    assert!(ack["published"].is_string());

    let conversation = http
        .call(Method::GET, &path, &bob.access_token, None)
        .await
        .ok();
    assert_eq!(conversation["lastSeenActivityDate"], first["created"]);
    // Still unread: the last activity is newer than what Bob saw.
    assert!(
        conversation["lastReadableActivityDate"].as_str()
            > conversation["lastSeenActivityDate"].as_str()
    );

    // memberships.listWithReadStatus.
    let members = http
        .call(
            Method::GET,
            &format!("{base}/conversations/{conv}?{MEMBERS_QUERY}"),
            &alice.access_token,
            None,
        )
        .await
        .ok();
    let participants = members["participants"]["items"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    let bob_entry = participants
        .iter()
        .find(|p| p["entryEmailAddress"] == "bob@example.com")
        .unwrap();
    assert_eq!(bob_entry["entryUUID"], uuid(&json!(bob.id)).as_str());
    assert_eq!(bob_entry["displayName"], "bob Tester");
    assert!(bob_entry["orgId"].is_string());
    assert_eq!(
        bob_entry["roomProperties"]["lastSeenActivityUUID"],
        uuid(&first["id"]).as_str()
    );
    assert_eq!(
        bob_entry["roomProperties"]["lastSeenActivityDate"],
        first["created"]
    );
    assert_eq!(bob_entry["roomProperties"]["isModerator"], false);
    let alice_entry = participants
        .iter()
        .find(|p| p["entryEmailAddress"] == "alice@example.com")
        .unwrap();
    assert!(
        alice_entry["roomProperties"]
            .get("lastSeenActivityUUID")
            .is_none()
    );

    // Acknowledging an older message does not move the marker back.
    acknowledge(&http, &base, &conv, &bob.access_token, &uuid(&second["id"])).await;
    acknowledge(&http, &base, &conv, &bob.access_token, &uuid(&first["id"])).await;
    let conversation = http
        .call(Method::GET, &path, &bob.access_token, None)
        .await
        .ok();
    assert_eq!(conversation["lastSeenActivityDate"], second["created"]);

    // Outsiders, unknown conversations and other verbs.
    http.call(Method::GET, &path, &carol.access_token, None)
        .await
        .assert_webex_error(403);
    http.call(
        Method::GET,
        &format!("{base}/conversations/0b0b0b0b-0000-4000-8000-000000000001"),
        &bob.access_token,
        None,
    )
    .await
    .assert_webex_error(404);
    http.call(
        Method::POST,
        &format!("{base}/conversations/{conv}/activities"),
        &bob.access_token,
        Some(json!({"verb": "post", "object": {"id": uuid(&first["id"])}})),
    )
    .await
    .assert_webex_error(400);
}

async fn acknowledge(http: &Http, base: &str, conv: &str, token: &str, message: &str) {
    http.call(
        Method::POST,
        &format!("{base}/conversations/{conv}/activities"),
        token,
        Some(json!({"verb": "acknowledge", "object": {"objectType": "activity", "id": message}})),
    )
    .await
    .ok();
}

#[tokio::test]
async fn list_with_read_status_via_identity_lookup_host() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    person(&emulator, "bob@example.com", PersonType::Person);
    let group = create_room(&http, &alice.access_token, "Group").await;
    let direct = post_message(
        &http,
        &alice.access_token,
        json!({"toPersonEmail": "bob@example.com", "text": "hi"}),
    )
    .await;

    // The catalog's identityLookup URL is `http://localhost:PORT/...`.
    let catalog = http
        .get_auth("/u2c/api/v1/catalog?format=hostmap", &alice.access_token)
        .await
        .json();
    let lookup = catalog["serviceLinks"]["identityLookup"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(lookup.starts_with("http://localhost:"), "{lookup}");
    let list = http
        .call(
            Method::GET,
            &format!("{lookup}/conversations?personRefresh=true&uuidEntryFormat=true&activitiesLimit=0&participantsLimit=0&computeTitleIfEmpty=true&conversationsLimit=1000&isActive=true"),
            &alice.access_token,
            None,
        )
        .await
        .ok();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    // Most recent activity first: the direct room.
    assert_eq!(items[0]["id"], uuid(&direct["roomId"]).as_str());
    assert_eq!(items[0]["tags"], json!(["ONE_ON_ONE"]));
    assert_eq!(items[0]["displayName"], "bob Tester");
    assert_eq!(items[1]["id"], uuid(&group["id"]).as_str());
    assert!(
        items
            .iter()
            .all(|c| c["activities"] == json!({"items": []}))
    );

    let limited = http
        .call(
            Method::GET,
            &format!("{lookup}/conversations?conversationsLimit=1"),
            &alice.access_token,
            None,
        )
        .await
        .ok();
    assert_eq!(limited["items"].as_array().unwrap().len(), 1);

    // webex-bot's `GET <conversation>/messages/<uuid>`.
    let message = http
        .call(
            Method::GET,
            &format!("{lookup}/messages/{}", uuid(&direct["id"])),
            &alice.access_token,
            None,
        )
        .await
        .ok();
    assert_eq!(message["id"], direct["id"]);
}
