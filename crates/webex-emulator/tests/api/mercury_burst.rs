//! `POST /_emulator/mercury/burst`: real messages, pushed at the socket's
//! pace, readable over Hydra.

use std::collections::HashSet;

use serde_json::{Value, json};
use webex_emulator::{MercuryBurst, PersonType};

use crate::client::{add_member, create_room, person, start};
use crate::mercury::{connected, hydra_id, next};

/// More than a socket's queue holds (256), so the burst must wait for the
/// reader instead of overflowing it.
const COUNT: usize = 700;

#[tokio::test]
async fn a_burst_reaches_a_slow_reader_whole_and_in_order() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Burst").await;
    add_member(&http, &alice.access_token, &room, "bob@example.com").await;
    let mut socket = connected(&http, &bob.access_token).await;

    let reply = http
        .post(
            "/_emulator/mercury/burst",
            &json!({"personId": alice.id, "roomId": room["id"], "count": COUNT, "text": "hi"})
                .to_string(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 202, "{:?}", reply.body);
    assert_eq!(reply.json(), json!({"count": COUNT}));

    let mut seen = HashSet::new();
    let mut last = Value::Null;
    for n in 0..COUNT {
        let frame = next(&mut socket).await;
        let activity = &frame["data"]["activity"];
        assert_eq!(activity["verb"], "post", "{frame}");
        assert_eq!(activity["object"]["displayName"], format!("hi {n}"));
        assert!(seen.insert(activity["id"].as_str().unwrap().to_owned()));
        last = activity.clone();
    }
    // Each activity is a real message bob can fetch, as listen() does.
    let id = hydra_id("MESSAGE", last["id"].as_str().unwrap());
    let message = http
        .get_auth_owned(format!("/v1/messages/{id}"), &bob.access_token)
        .await
        .json();
    assert_eq!(message["text"], format!("hi {}", COUNT - 1));
    assert_eq!(message["roomId"], room["id"]);
}

#[tokio::test]
async fn a_bad_burst_is_refused() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Burst").await;
    for (body, status) in [
        (
            json!({"personId": alice.id, "roomId": room["id"], "count": 0}),
            400,
        ),
        (
            json!({"personId": "nope", "roomId": room["id"], "count": 1}),
            400,
        ),
        (
            json!({"personId": alice.id, "roomId": room["id"], "count": 1, "x": 1}),
            400,
        ),
        // bob is not in the room.
        (
            json!({"personId": bob.id, "roomId": room["id"], "count": 1}),
            403,
        ),
    ] {
        let reply = http
            .post("/_emulator/mercury/burst", &body.to_string())
            .await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {:?}", reply.body);
    }
}

#[tokio::test]
async fn the_rust_door_runs_the_same_burst() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let room = create_room(&http, &alice.access_token, "Burst").await;
    let mut socket = connected(&http, &alice.access_token).await;
    let burst = |count| MercuryBurst {
        person_id: alice.id.clone(),
        room_id: room["id"].as_str().unwrap().to_owned(),
        count,
        text: None,
    };
    let error = emulator.start_mercury_burst(burst(0)).unwrap_err();
    assert!(error.contains("count"), "{error}");
    assert_eq!(emulator.start_mercury_burst(burst(3)), Ok(3));
    for n in 0..3 {
        let frame = next(&mut socket).await;
        assert_eq!(
            frame["data"]["activity"]["object"]["displayName"],
            format!("burst {n}")
        );
    }
}
