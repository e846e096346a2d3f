//! The meeting data channel: registration at the DTO's `datachannelUrl`,
//! the Mercury-style socket, and reactions posted to the DTO's
//! `reactionChannelUrl` relayed to the other participants.

use hyper::Method;
use serde_json::{Value, json};

use crate::client::{Http, start};
use crate::meeting_client::{Member, create_meeting, member};
use crate::mercury::{Socket, authorize, closed, next, open, quiet};

/// `member`'s registration to the meeting's data channel.
async fn register(http: &Http, member: &Member, locus: &Value) -> crate::client::Reply {
    let url = locus["info"]["datachannelUrl"]
        .as_str()
        .expect("datachannelUrl");
    member
        .call(
            http,
            Method::POST,
            url,
            json!({"deviceUrl": member.device_url}),
        )
        .await
}

/// Registers `member` and opens its authorized socket, past the readiness
/// envelope.
async fn channel(http: &Http, member: &Member, locus: &Value) -> Socket {
    let registration = register(http, member, locus).await.ok();
    assert!(registration["binding"].is_string());
    let mut socket = open(&registration).await;
    authorize(&mut socket, &member.person.access_token).await;
    let ready = next(&mut socket).await;
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    socket
}

/// A meeting Alice hosts and Bob attends, both joined; their locus DTOs.
async fn meeting(http: &Http, alice: &mut Member, bob: &mut Member) -> (Value, Value) {
    let created = create_meeting(
        http,
        json!({"title": "Standup", "hostEmail": alice.person.email, "lobby": false}),
    )
    .await;
    let address = created["sipUri"].as_str().unwrap();
    let a = alice.join(http, address).await["locus"].clone();
    let b = bob.join(http, address).await["locus"].clone();
    (a, b)
}

#[tokio::test]
async fn a_reaction_is_relayed_to_the_other_participants() {
    let (emulator, http) = start().await;
    let mut alice = member(&emulator, &http, "alice@example.com").await;
    let mut bob = member(&emulator, &http, "bob@example.com").await;
    let (alice_locus, bob_locus) = meeting(&http, &mut alice, &mut bob).await;
    let mut to_alice = channel(&http, &alice, &alice_locus).await;
    let mut to_bob = channel(&http, &bob, &bob_locus).await;

    let reaction = json!({"type": "thumb_up", "codepoints": "1F44D", "shortcodes": ":thumbsup:",
        "tone": {"type": "normal_skin_tone", "codepoints": ""}});
    let alice_id = alice_locus["self"]["id"].clone();
    let url = alice_locus["controls"]["reactions"]["reactionChannelUrl"]
        .as_str()
        .expect("reactionChannelUrl");
    let body = json!({"sender": {"participantId": alice_id}, "reaction": reaction});
    let reply = alice.call(&http, Method::POST, url, body).await;
    assert_eq!(reply.status, 204);

    let frame = next(&mut to_bob).await;
    let data: &Value = &frame["data"];
    assert_eq!(data["eventType"], "relay.event");
    assert_eq!(data["relayType"], "react");
    assert_eq!(data["sender"]["participantId"], alice_id);
    assert_eq!(data["sender"]["displayName"], "alice Tester");
    assert_eq!(data["reaction"], reaction);
    assert_eq!(frame["sequenceNumber"], 2);
    quiet(&mut to_alice).await;
}

#[tokio::test]
async fn a_reset_removes_the_registrations_and_closes_their_sockets() {
    let (emulator, http) = start().await;
    let mut alice = member(&emulator, &http, "alice@example.com").await;
    let mut bob = member(&emulator, &http, "bob@example.com").await;
    let (alice_locus, _) = meeting(&http, &mut alice, &mut bob).await;
    let mut socket = channel(&http, &alice, &alice_locus).await;

    emulator.reset();
    assert_eq!(
        closed(&mut socket).await,
        (
            1011,
            "The registration was replaced or removed, or the socket fell behind.".to_owned()
        )
    );
}

#[tokio::test]
async fn only_joined_participants_use_the_channel() {
    let (emulator, http) = start().await;
    let mut alice = member(&emulator, &http, "alice@example.com").await;
    let mut bob = member(&emulator, &http, "bob@example.com").await;
    let carol = member(&emulator, &http, "carol@example.com").await;
    let (locus, _) = meeting(&http, &mut alice, &mut bob).await;

    register(&http, &carol, &locus)
        .await
        .assert_webex_error(403);
    let reactions = locus["controls"]["reactions"]["reactionChannelUrl"]
        .as_str()
        .unwrap();
    carol
        .call(
            &http,
            Method::POST,
            reactions,
            json!({"sender": {"participantId": "p"}, "reaction": {"type": "smile"}}),
        )
        .await
        .assert_webex_error(403);
    let unknown = "/datachannel/api/v1/locus/00000000-0000-4000-8000-000000000000/registrations";
    alice
        .call(&http, Method::POST, unknown, json!({"deviceUrl": "d"}))
        .await
        .assert_webex_error(404);
}

#[tokio::test]
async fn bad_registrations_and_sockets_are_refused() {
    let (emulator, http) = start().await;
    let mut alice = member(&emulator, &http, "alice@example.com").await;
    let mut bob = member(&emulator, &http, "bob@example.com").await;
    let (locus, _) = meeting(&http, &mut alice, &mut bob).await;
    let url = locus["info"]["datachannelUrl"].as_str().unwrap();
    alice
        .call(&http, Method::POST, url, json!({}))
        .await
        .assert_webex_error(400);
    http.post(url, r#"{"deviceUrl": "d"}"#)
        .await
        .assert_webex_error(401);
    let reactions = locus["controls"]["reactions"]["reactionChannelUrl"]
        .as_str()
        .unwrap();
    alice
        .call(
            &http,
            Method::POST,
            reactions,
            json!({"sender": {"participantId": "p"}}),
        )
        .await
        .assert_webex_error(400);

    let registration = register(&http, &alice, &locus).await.ok();
    let mut socket = open(&registration).await;
    authorize(&mut socket, &bob.person.access_token).await;
    assert_eq!(
        closed(&mut socket).await.0,
        4404,
        "someone else's registration"
    );
    let mut socket = open(&registration).await;
    authorize(&mut socket, "nope").await;
    assert_eq!(closed(&mut socket).await.0, 4401);
}
