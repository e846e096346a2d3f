//! Mercury under faults: injected closes, stalls and drops, redelivery of
//! what a socket missed, the close handshake and oversized frames.

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use webex_emulator::{MercuryConnectionState, MercuryFault, MercuryFaultAction, PersonType};

use crate::client::{Http, create_room, person, start};
use crate::devices::register;
use crate::mercury::{
    Socket, WAIT, authorize, closed, connected, connections_until, next, open, quiet, send,
};

/// Opens `device`'s socket as `token` and reads the readiness frame.
async fn reconnect(device: &Value, token: &str) -> Socket {
    let mut socket = open(device).await;
    authorize(&mut socket, token).await;
    let ready = next(&mut socket).await;
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    socket
}

/// Sends the client's close frame with `code`.
async fn close_with(socket: &mut Socket, code: u16) {
    socket
        .send(Message::Close(Some(CloseFrame {
            code: CloseCode::from(code),
            reason: "bye".into(),
        })))
        .await
        .expect("send close");
}

/// Asserts that the connection ends without a close frame.
async fn ends_without_close(socket: &mut Socket) {
    loop {
        match tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("the connection ends in time")
        {
            None | Some(Err(_)) => return,
            Some(Ok(Message::Close(frame))) => panic!("unexpected close frame: {frame:?}"),
            Some(Ok(_)) => {}
        }
    }
}

/// Posts a Mercury fault through the admin API; returns how many sockets
/// it hit.
async fn fault(http: &Http, body: Value) -> u64 {
    let reply = http.post("/_emulator/faults", &body.to_string()).await;
    assert_eq!(reply.status.as_u16(), 201, "{:?}", reply.body);
    reply.json()["sockets"].as_u64().expect("sockets")
}

#[tokio::test]
async fn close_targets_one_person_or_everyone() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let a_device = register(&http, &alice.access_token).await;
    let mut a = reconnect(&a_device, &alice.access_token).await;
    let mut b = connected(&http, &bob.access_token).await;

    let hit = fault(
        &http,
        json!({"mercury": "close", "code": 4000, "personId": alice.id}),
    )
    .await;
    assert_eq!(hit, 1);
    assert_eq!(closed(&mut a).await.0, 4000);
    quiet(&mut b).await;

    // The Rust door does the same; 1005 is a close frame without a code.
    let mut a = reconnect(&a_device, &alice.access_token).await;
    let everyone = MercuryFault {
        action: MercuryFaultAction::Close { code: 1005 },
        person_id: None,
    };
    assert_eq!(emulator.add_mercury_fault(everyone), 2);
    for socket in [&mut a, &mut b] {
        let message = tokio::time::timeout(WAIT, socket.next()).await.unwrap();
        assert!(
            matches!(message, Some(Ok(Message::Close(None)))),
            "{message:?}"
        );
    }
}

#[tokio::test]
async fn close_1006_and_drop_end_the_connection_without_a_close_frame() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let device = register(&http, &alice.access_token).await;
    for body in [
        json!({"mercury": "close", "code": 1006}),
        json!({"mercury": "drop"}),
    ] {
        let mut socket = reconnect(&device, &alice.access_token).await;
        assert_eq!(fault(&http, body).await, 1);
        ends_without_close(&mut socket).await;
    }
    let log = connections_until(&emulator, |log| {
        log.len() == 2
            && log
                .iter()
                .all(|entry| entry.state == MercuryConnectionState::DroppedByServer)
    })
    .await;
    assert_eq!(log.len(), 2);
}

#[tokio::test]
async fn a_stalled_socket_goes_silent_and_the_next_one_gets_what_it_missed() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let device = register(&http, token).await;
    let mut stalled = reconnect(&device, token).await;
    assert_eq!(fault(&http, json!({"mercury": "stall"})).await, 1);
    connections_until(&emulator, |log| {
        log[0].state == MercuryConnectionState::Stalled
    })
    .await;

    // No pong, no activity, no close echo: the socket is silent.
    send(&mut stalled, json!({"id": "ping-1", "type": "ping"})).await;
    let room = create_room(&http, token, "Missed").await;
    quiet(&mut stalled).await;
    close_with(&mut stalled, 1000).await;
    quiet(&mut stalled).await;

    // The same device reconnects: the activity comes right after readiness.
    let mut socket = reconnect(&device, token).await;
    let redelivered = next(&mut socket).await;
    assert_eq!(redelivered["sequenceNumber"], 2);
    assert_eq!(redelivered["data"]["activity"]["verb"], "create");
    assert_eq!(
        redelivered["data"]["activity"]["object"]["id"],
        crate::mercury::uuid_of(&room["id"])
    );
    quiet(&mut socket).await;
}

#[tokio::test]
async fn unacked_frames_are_redelivered_under_their_ids_and_acked_ones_are_not() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let device = register(&http, token).await;
    let mut socket = reconnect(&device, token).await;
    create_room(&http, token, "Acked").await;
    create_room(&http, token, "Not acked").await;
    let acked = next(&mut socket).await;
    let unacked = next(&mut socket).await;
    send(
        &mut socket,
        json!({"messageId": acked["id"], "type": "ack"}),
    )
    .await;
    // An ack is not answered: the pong shows it was read before the drop.
    send(&mut socket, json!({"id": "ping-1", "type": "ping"})).await;
    assert_eq!(next(&mut socket).await["type"], "pong");
    drop(socket);
    connections_until(&emulator, |log| {
        log[0].state == MercuryConnectionState::Dropped
    })
    .await;

    let mut socket = reconnect(&device, token).await;
    let again = next(&mut socket).await;
    assert_eq!(again["id"], unacked["id"]);
    assert_eq!(again["data"], unacked["data"]);
    quiet(&mut socket).await;

    // Another device of Alice's never had them.
    let mut other = reconnect(&register(&http, token).await, token).await;
    quiet(&mut other).await;
}

#[tokio::test]
async fn the_clients_close_is_echoed() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let mut socket = connected(&http, &alice.access_token).await;
    close_with(&mut socket, 4321).await;
    assert_eq!(closed(&mut socket).await.0, 4321);
}

#[tokio::test]
async fn an_oversized_frame_gets_1009() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let mut socket = connected(&http, &alice.access_token).await;
    let huge = format!(
        r#"{{"type":"ping","id":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    socket.send(Message::text(huge)).await.unwrap();
    assert_eq!(closed(&mut socket).await.0, 1009);
}

#[tokio::test]
async fn bad_mercury_faults_are_refused() {
    let (emulator, http) = start().await;
    for body in [
        r#"{"mercury":"close"}"#,
        r#"{"mercury":"close","code":1015}"#,
        r#"{"mercury":"stall","code":1000}"#,
        r#"{"mercury":"nap"}"#,
        r#"{"mercury":"drop","personId":"nobody"}"#,
        r#"{"mercury":"drop","count":2}"#,
    ] {
        http.post("/_emulator/faults", body)
            .await
            .assert_webex_error(400);
    }
    // No socket open: a valid fault hits none.
    assert_eq!(fault(&http, json!({"mercury": "drop"})).await, 0);
    drop(emulator);
}
