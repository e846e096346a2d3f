//! The meeting data channel: registration, the Mercury-style socket, and
//! reactions relayed to the other participants.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, person, start};
use crate::mercury::{Socket, authorize, closed, next, open, quiet};

const LOCUS: &str = "0d7e2a5c-1111-4222-8333-444455556666";

/// Registers `token`'s device to the meeting's channel and opens its
/// authorized socket, past the readiness envelope.
async fn joined_channel(http: &Http, token: &str, device: &str) -> Socket {
    let registration = http
        .call(
            Method::POST,
            &format!("/datachannel/api/v1/locus/{LOCUS}/registrations"),
            token,
            Some(json!({"deviceUrl": device})),
        )
        .await
        .ok();
    assert!(registration["binding"].is_string());
    let mut socket = open(&registration).await;
    authorize(&mut socket, token).await;
    let ready = next(&mut socket).await;
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    socket
}

#[tokio::test]
async fn a_reaction_is_relayed_to_the_other_participants() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let mut to_alice = joined_channel(&http, &alice.access_token, "http://x/devices/a").await;
    let mut to_bob = joined_channel(&http, &bob.access_token, "http://x/devices/b").await;

    let reaction = json!({"type": "thumb_up", "codepoints": "1F44D", "shortcodes": ":thumbsup:",
        "tone": {"type": "normal_skin_tone", "codepoints": ""}});
    let reply = http
        .call(
            Method::POST,
            &format!("/datachannel/api/v1/locus/{LOCUS}/reactions"),
            &alice.access_token,
            Some(json!({"sender": {"participantId": "p-alice"}, "reaction": reaction})),
        )
        .await;
    assert_eq!(reply.status, 204);

    let frame = next(&mut to_bob).await;
    let data: &Value = &frame["data"];
    assert_eq!(data["eventType"], "relay.event");
    assert_eq!(data["relayType"], "react");
    assert_eq!(data["sender"]["participantId"], "p-alice");
    assert_eq!(data["reaction"], reaction);
    assert_eq!(frame["sequenceNumber"], 2);
    quiet(&mut to_alice).await;
}

#[tokio::test]
async fn bad_registrations_and_sockets_are_refused() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let url = format!("/datachannel/api/v1/locus/{LOCUS}/registrations");
    http.call(Method::POST, &url, &alice.access_token, Some(json!({})))
        .await
        .assert_webex_error(400);
    http.post(&url, r#"{"deviceUrl": "d"}"#)
        .await
        .assert_webex_error(401);
    http.call(
        Method::POST,
        &format!("/datachannel/api/v1/locus/{LOCUS}/reactions"),
        &alice.access_token,
        Some(json!({"sender": {"participantId": "p"}})),
    )
    .await
    .assert_webex_error(400);

    let registration = http
        .call(
            Method::POST,
            &url,
            &alice.access_token,
            Some(json!({"deviceUrl": "d"})),
        )
        .await
        .ok();
    let mut socket = open(&registration).await;
    authorize(&mut socket, &bob.access_token).await;
    assert_eq!(
        closed(&mut socket).await.0,
        4404,
        "someone else's registration"
    );
    let mut socket = open(&registration).await;
    authorize(&mut socket, "nope").await;
    assert_eq!(closed(&mut socket).await.0, 4401);
}
