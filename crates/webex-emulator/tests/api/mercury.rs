//! Mercury websockets: the handshake, acks and pings, pushed activities and
//! how sockets close.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use hyper::Method;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};
use webex_emulator::{Emulator, MercuryConnection, MercuryConnectionState, PersonType};

use crate::client::{Http, add_member, create_room, decode_id, person, post_message, start};
use crate::devices::register;

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long a test waits for a frame.
pub(crate) const WAIT: Duration = Duration::from_secs(5);

/// The query the JS SDK adds to `webSocketUrl`.
const JS_QUERY: &str = "outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true&multipleConnections=true&clientTimestamp=1";

/// Opens a device's websocket, as the JS SDK does.
pub(crate) async fn open(device: &Value) -> Socket {
    let url = format!("{}?{JS_QUERY}", device["webSocketUrl"].as_str().unwrap());
    let (socket, response) = connect_async(url).await.expect("websocket upgrade");
    assert_eq!(response.status().as_u16(), 101);
    socket
}

/// Sends a JSON text frame.
pub(crate) async fn send(socket: &mut Socket, frame: Value) {
    socket
        .send(Message::text(frame.to_string()))
        .await
        .expect("send");
}

/// Sends the authorization frame.
pub(crate) async fn authorize(socket: &mut Socket, token: &str) {
    send(
        socket,
        json!({
            "id": "auth-1",
            "type": "authorization",
            "data": {"token": format!("Bearer {token}")},
            "trackingId": "webex-js-sdk_test_1",
        }),
    )
    .await;
}

/// The next JSON frame; panics on a close or after [`WAIT`].
pub(crate) async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("a frame in time")
            .expect("socket open")
            .expect("frame");
        match message {
            Message::Text(text) => return serde_json::from_str(&text).expect("JSON frame"),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected frame: {other:?}"),
        }
    }
}

/// Waits for the server's close frame: its code and reason.
pub(crate) async fn closed(socket: &mut Socket) -> (u16, String) {
    loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("a close in time");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => {
                return (u16::from(frame.code), frame.reason.to_string());
            }
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// Asserts that no frame arrives for a moment.
pub(crate) async fn quiet(socket: &mut Socket) {
    if let Ok(frame) = tokio::time::timeout(Duration::from_millis(300), socket.next()).await {
        panic!("unexpected frame: {frame:?}");
    }
}

/// Registers a device for `token`, opens its socket, authorizes and reads
/// the readiness frame.
pub(crate) async fn connected(http: &Http, token: &str) -> Socket {
    let device = register(http, token).await;
    let mut socket = open(&device).await;
    authorize(&mut socket, token).await;
    let ready = next(&mut socket).await;
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    socket
}

/// The uuid inside a Hydra id.
pub(crate) fn uuid_of(id: &Value) -> String {
    decode_id(id.as_str().unwrap())
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// The base64 Hydra id the JS SDK builds from an activity's uuid.
pub(crate) fn hydra_id(kind: &str, uuid: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD_NO_PAD
        .encode(format!("ciscospark://us/{kind}/{uuid}"))
}

fn host_port(emulator: &Emulator) -> String {
    emulator.base_url().trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn handshake_ack_and_ping() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let device = register(&http, &alice.access_token).await;
    let mut socket = open(&device).await;
    authorize(&mut socket, &alice.access_token).await;

    // The first frame is the readiness envelope: no type, sequence 1.
    let ready = next(&mut socket).await;
    assert!(ready.get("type").is_none(), "{ready}");
    assert_eq!(ready["data"]["eventType"], "mercury.buffer_state");
    assert_eq!(ready["sequenceNumber"], 1);
    assert!(ready["id"].as_str().is_some_and(|id| !id.is_empty()));

    // Acks need no answer; pings get a pong with the same id and no
    // sequence number.
    send(
        &mut socket,
        json!({"messageId": ready["id"], "type": "ack"}),
    )
    .await;
    send(&mut socket, json!({"id": "ping-1", "type": "ping"})).await;
    let pong = next(&mut socket).await;
    assert_eq!(pong, json!({"id": "ping-1", "type": "pong"}));
    send(&mut socket, json!({"messageId": "ping-1", "type": "ack"})).await;
    send(&mut socket, json!({"id": "ping-2", "type": "ping"})).await;
    assert_eq!(next(&mut socket).await["id"], "ping-2");

    // Websocket-level pings are answered by the protocol, and nothing else.
    socket
        .send(Message::Ping(b"x".to_vec().into()))
        .await
        .unwrap();
    let pong = tokio::time::timeout(WAIT, socket.next()).await.unwrap();
    assert!(
        matches!(&pong, Some(Ok(Message::Pong(payload))) if payload.as_ref() == b"x"),
        "{pong:?}"
    );
    quiet(&mut socket).await;

    // The client ends with 1000 "Done".
    socket.close(None).await.unwrap();
}

#[tokio::test]
async fn a_posted_message_is_pushed_and_readable() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let mut alice_socket = connected(&http, &alice.access_token).await;
    let mut carol_socket = connected(&http, &carol.access_token).await;

    let room = create_room(&http, &bob.access_token, "Pushed").await;
    add_member(&http, &bob.access_token, &room, "alice@example.com").await;
    let added = next(&mut alice_socket).await;
    assert_eq!(added["sequenceNumber"], 2);
    assert_eq!(added["data"]["eventType"], "conversation.activity");
    let activity = &added["data"]["activity"];
    assert_eq!(activity["verb"], "add");
    assert_eq!(activity["object"]["entryUUID"], uuid_of(&json!(alice.id)));
    assert_eq!(activity["object"]["roomProperties"]["isModerator"], false);
    assert_eq!(activity["target"]["id"], uuid_of(&room["id"]));

    let auth = format!("Bearer {}", bob.access_token);
    let reply = http
        .send(
            Method::POST,
            "/v1/messages",
            &[("authorization", &auth), ("trackingid", "TEST_post_1")],
            Some(&json!({"roomId": room["id"], "markdown": "hello **alice**"}).to_string()),
        )
        .await
        .unwrap();
    let message = reply.ok();
    let pushed = next(&mut alice_socket).await;
    assert_eq!(pushed["sequenceNumber"], 3);
    assert_eq!(pushed["trackingId"], "TEST_post_1");
    assert_eq!(pushed["alertType"], "full");
    assert!(pushed.get("type").is_none());
    let activity = &pushed["data"]["activity"];
    assert_eq!(activity["objectType"], "activity");
    assert_eq!(activity["verb"], "post");
    assert!(activity.get("encryptionKeyUrl").is_none());
    let activity_id = activity["id"].as_str().unwrap();
    assert_eq!(activity_id, uuid_of(&message["id"]));
    assert_eq!(activity["published"], message["created"]);
    assert_eq!(activity["actor"]["entryUUID"], uuid_of(&json!(bob.id)));
    assert_eq!(activity["actor"]["emailAddress"], "bob@example.com");
    assert_eq!(activity["actor"]["type"], "PERSON");
    assert_eq!(activity["object"]["objectType"], "comment");
    assert_eq!(activity["object"]["displayName"], "hello alice");
    assert_eq!(activity["target"]["objectType"], "conversation");
    assert_eq!(activity["target"]["id"], uuid_of(&room["id"]));
    assert_eq!(activity["target"]["globalId"], room["id"]);
    assert_eq!(activity["target"]["tags"], json!([]));
    // The target's host is the catalog's conversation host (cluster `us`).
    let target_url = activity["target"]["url"].as_str().unwrap();
    assert_eq!(
        target_url,
        format!(
            "http://{}/conversation/api/v1/conversations/{}",
            host_port(&emulator),
            uuid_of(&room["id"])
        )
    );

    // What the JS SDK does next: GET the Hydra message built from the id.
    let got = http
        .call(
            Method::GET,
            &format!("/v1/messages/{}", hydra_id("MESSAGE", activity_id)),
            &alice.access_token,
            None,
        )
        .await
        .ok();
    assert_eq!(got, message);

    // A delete comes as `delete` of the message's id.
    let path = format!("/v1/messages/{}", message["id"].as_str().unwrap());
    http.call(Method::DELETE, &path, &bob.access_token, None)
        .await;
    let deleted = next(&mut alice_socket).await;
    assert_eq!(deleted["sequenceNumber"], 4);
    let activity = &deleted["data"]["activity"];
    assert_eq!(activity["verb"], "delete");
    assert_ne!(activity["id"].as_str(), Some(activity_id));
    assert_eq!(activity["object"]["id"], activity_id);
    assert_eq!(activity["target"]["id"], uuid_of(&room["id"]));

    // Carol is in none of this.
    quiet(&mut carol_socket).await;
}

#[tokio::test]
async fn room_membership_and_card_activities() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let a = &alice.access_token;
    let mut socket = connected(&http, a).await;

    // A new room is one `create`, listing its members.
    let room = create_room(&http, a, "Created").await;
    let created = next(&mut socket).await;
    let activity = &created["data"]["activity"];
    assert_eq!(activity["verb"], "create");
    assert_eq!(activity["object"]["id"], uuid_of(&room["id"]));
    assert_eq!(activity["object"]["displayName"], "Created");
    let participants = activity["object"]["participants"]["items"]
        .as_array()
        .unwrap();
    assert_eq!(participants.len(), 1);
    assert_eq!(participants[0]["entryUUID"], uuid_of(&json!(alice.id)));
    assert!(activity.get("target").is_none());

    // Renaming is `update`; locking `assignModerator` and `lock`.
    let path = format!("/v1/rooms/{}", room["id"].as_str().unwrap());
    http.call(Method::PUT, &path, a, Some(json!({"title": "Renamed"})))
        .await
        .ok();
    let activity = next(&mut socket).await["data"]["activity"].clone();
    assert_eq!(activity["verb"], "update");
    assert_eq!(activity["object"]["displayName"], "Renamed");
    assert_eq!(activity["target"]["id"], uuid_of(&room["id"]));
    http.call(
        Method::PUT,
        &path,
        a,
        Some(json!({"title": "Renamed", "isLocked": true})),
    )
    .await
    .ok();
    let verbs = [
        next(&mut socket).await["data"]["activity"].clone(),
        next(&mut socket).await["data"]["activity"].clone(),
    ];
    assert_eq!(verbs[0]["verb"], "assignModerator");
    assert_eq!(verbs[0]["object"]["roomProperties"]["isModerator"], true);
    assert_eq!(verbs[1]["verb"], "lock");
    assert_eq!(verbs[1]["object"]["tags"], json!(["LOCKED"]));

    // Adding and removing someone: `add`, then `leave`.
    add_member(&http, a, &room, "bob@example.com").await;
    assert_eq!(next(&mut socket).await["data"]["activity"]["verb"], "add");
    let membership = http
        .call(
            Method::GET,
            &format!(
                "/v1/memberships?roomId={}&personEmail=bob@example.com",
                room["id"].as_str().unwrap()
            ),
            a,
            None,
        )
        .await
        .ok()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A card and its submit: `cardAction` with the action's id and the
    // card's message as parent.
    let card = post_message(
        &http,
        a,
        json!({"roomId": room["id"], "text": "card", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.0", "body": []},
        }]}),
    )
    .await;
    assert_eq!(next(&mut socket).await["data"]["activity"]["verb"], "post");
    let action = http
        .call(
            Method::POST,
            "/v1/attachment/actions",
            &bob.access_token,
            Some(json!({"type": "submit", "messageId": card["id"], "inputs": {"due": "1995"}})),
        )
        .await
        .ok();
    let activity = next(&mut socket).await["data"]["activity"].clone();
    assert_eq!(activity["verb"], "cardAction");
    assert_eq!(activity["id"], uuid_of(&action["id"]));
    assert_eq!(activity["parent"]["id"], uuid_of(&card["id"]));
    assert_eq!(
        activity["object"],
        json!({"objectType": "submit", "inputs": {"due": "1995"}})
    );
    assert_eq!(activity["actor"]["entryUUID"], uuid_of(&json!(bob.id)));

    http.call(
        Method::DELETE,
        &format!("/v1/memberships/{membership}"),
        a,
        None,
    )
    .await;
    let left = next(&mut socket).await["data"]["activity"].clone();
    assert_eq!(left["verb"], "leave");
    assert_eq!(left["object"]["entryUUID"], uuid_of(&json!(bob.id)));
}

#[tokio::test]
async fn every_device_of_the_audience_gets_it_and_a_dead_one_is_dropped() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let mut first = connected(&http, a).await;
    let mut second = connected(&http, a).await;
    let third = connected(&http, a).await;
    // A socket that goes away without closing.
    drop(third);

    let room = create_room(&http, a, "Many devices").await;
    for socket in [&mut first, &mut second] {
        assert_eq!(next(socket).await["data"]["activity"]["verb"], "create");
    }
    post_message(
        &http,
        a,
        json!({"roomId": room["id"], "text": "still here"}),
    )
    .await;
    for socket in [&mut first, &mut second] {
        let pushed = next(socket).await;
        assert_eq!(pushed["sequenceNumber"], 3);
        assert_eq!(pushed["data"]["activity"]["verb"], "post");
    }
}

#[tokio::test]
async fn bad_clients_are_closed_with_the_right_codes() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let device = register(&http, &alice.access_token).await;

    // An unknown token: 4401.
    let mut socket = open(&device).await;
    authorize(&mut socket, "not-a-token").await;
    assert_eq!(closed(&mut socket).await.0, 4401);

    // A token without "Bearer": 4401 too.
    let mut socket = open(&device).await;
    send(
        &mut socket,
        json!({"id": "1", "type": "authorization", "data": {"token": alice.access_token}}),
    )
    .await;
    assert_eq!(closed(&mut socket).await.0, 4401);

    // Someone else's device: 4404.
    let mut socket = open(&device).await;
    authorize(&mut socket, &bob.access_token).await;
    assert_eq!(closed(&mut socket).await.0, 4404);

    // Anything but an authorization first: 4400.
    let mut socket = open(&device).await;
    send(&mut socket, json!({"id": "1", "type": "ping"})).await;
    assert_eq!(closed(&mut socket).await.0, 4400);

    // Not JSON, before or after authorization: 1007.
    let mut socket = open(&device).await;
    socket.send(Message::text("{not json")).await.unwrap();
    assert_eq!(closed(&mut socket).await.0, 1007);
    let mut socket = connected(&http, &alice.access_token).await;
    socket.send(Message::text("[1, 2]")).await.unwrap();
    assert_eq!(closed(&mut socket).await.0, 1007);

    // Binary frames holding JSON are read like text.
    let mut socket = connected(&http, &alice.access_token).await;
    socket
        .send(Message::binary(
            json!({"id": "b", "type": "ping"}).to_string().into_bytes(),
        ))
        .await
        .unwrap();
    assert_eq!(next(&mut socket).await["id"], "b");

    // A path that is no registration is a 404 before any upgrade.
    let base = host_port(&emulator);
    let error = connect_async(format!(
        "ws://{base}/mercury/api/v1/apps/wx2/registrations/nope/messages"
    ))
    .await
    .expect_err("no upgrade");
    match error {
        tungstenite::Error::Http(response) => {
            assert_eq!(response.status().as_u16(), 404);
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[tokio::test]
async fn unregistering_closes_the_socket() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let device = register(&http, a).await;
    let mut socket = open(&device).await;
    authorize(&mut socket, a).await;
    next(&mut socket).await;

    let url = device["url"].as_str().unwrap();
    let deleted = http.call(Method::DELETE, url, a, None).await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert_eq!(
        closed(&mut socket).await,
        (1000, "Device unregistered".to_owned())
    );

    // The registration is gone for new sockets too.
    let mut again = open(&device).await;
    authorize(&mut again, a).await;
    assert_eq!(closed(&mut again).await.0, 4404);
}

#[tokio::test]
async fn shutdown_closes_sockets_with_1001() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let mut socket = connected(&http, &alice.access_token).await;
    let stopping = tokio::spawn(emulator.shutdown());
    assert_eq!(closed(&mut socket).await.0, 1001);
    stopping.await.unwrap();
}

#[tokio::test]
async fn bots_get_only_the_group_messages_they_may_see() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bot = person(&emulator, "bot@example.com", PersonType::Bot);
    let a = &alice.access_token;
    let mut socket = connected(&http, &bot.access_token).await;
    let room = create_room(&http, a, "With a bot").await;
    add_member(&http, a, &room, "bot@example.com").await;
    let added = next(&mut socket).await;
    assert_eq!(added["data"]["activity"]["verb"], "add");
    // Bot frameworks tell people from bots by the actor's entity type.
    assert_eq!(added["data"]["activity"]["actor"]["type"], "PERSON");
    assert_eq!(added["data"]["activity"]["object"]["type"], "ROBOT");

    post_message(
        &http,
        a,
        json!({"roomId": room["id"], "text": "not for the bot"}),
    )
    .await;
    let mention = post_message(
        &http,
        a,
        json!({"roomId": room["id"], "markdown": format!("<@personId:{}|bot> hi", bot.id)}),
    )
    .await;
    let pushed = next(&mut socket).await;
    assert_eq!(pushed["data"]["activity"]["id"], uuid_of(&mention["id"]));
    assert_eq!(
        pushed["data"]["activity"]["object"]["mentions"]["items"][0]["id"],
        uuid_of(&json!(bot.id))
    );
    quiet(&mut socket).await;
}

/// Polls the connection log until `done` holds for it, or [`WAIT`] passes.
pub(crate) async fn connections_until(
    emulator: &Emulator,
    done: impl Fn(&[MercuryConnection]) -> bool,
) -> Vec<MercuryConnection> {
    tokio::time::timeout(WAIT, async {
        loop {
            let connections = emulator.mercury_connections();
            if done(&connections) {
                return connections;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("log never matched: {:?}", emulator.mercury_connections()))
}

#[tokio::test]
async fn the_connection_log_tells_who_closed_each_socket() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let alice_uuid = uuid_of(&json!(alice.id));

    // Open and authorized.
    let mut socket = connected(&http, &alice.access_token).await;
    let log = emulator.mercury_connections();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].state, MercuryConnectionState::Open);
    assert_eq!(log[0].person_uuid.as_deref(), Some(alice_uuid.as_str()));

    // Closed by the client, with its code and reason.
    socket
        .close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "done".into(),
        }))
        .await
        .unwrap();
    let log = connections_until(&emulator, |log| {
        log[0].state != MercuryConnectionState::Open
    })
    .await;
    assert_eq!(
        log[0].state,
        MercuryConnectionState::ClosedByClient {
            code: Some(1000),
            reason: "done".to_owned()
        }
    );

    // Closed by the server: a bad token, never authorized.
    let device = register(&http, &alice.access_token).await;
    let mut rejected = open(&device).await;
    authorize(&mut rejected, "not-a-token").await;
    assert_eq!(closed(&mut rejected).await.0, 4401);
    drop(rejected);
    let log = connections_until(&emulator, |log| {
        log.len() == 2 && log[1].state != MercuryConnectionState::Open
    })
    .await;
    assert_eq!(log[1].person_uuid, None);
    let device_uuid = device["url"].as_str().unwrap().rsplit('/').next().unwrap();
    assert_eq!(log[1].device_id, device_uuid);
    assert!(matches!(
        log[1].state,
        MercuryConnectionState::ClosedByServer { code: 4401, .. }
    ));

    // Dropped: the TCP connection goes away without a close frame.
    let socket = connected(&http, &alice.access_token).await;
    drop(socket);
    let log = connections_until(&emulator, |log| {
        log.len() == 3 && log[2].state != MercuryConnectionState::Open
    })
    .await;
    assert_eq!(log[2].state, MercuryConnectionState::Dropped);

    // The admin API shows the same log.
    let admin = http.get("/_emulator/mercury/connections").await;
    assert_eq!(admin.status.as_u16(), 200);
    let body = admin.json();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["state"], "closedByClient");
    assert_eq!(items[0]["code"], 1000);
    assert_eq!(items[1]["state"], "closedByServer");
    assert_eq!(items[1]["code"], 4401);
    assert_eq!(items[2]["state"], "dropped");
}

#[tokio::test]
async fn an_expired_device_loses_its_socket() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let mut socket = connected(&http, &alice.access_token).await;
    assert_eq!(emulator.expire_devices(Some(&alice.id)), 1);
    assert_eq!(
        closed(&mut socket).await,
        (1000, "Device expired".to_owned())
    );
}

#[tokio::test]
async fn a_device_whose_ttl_runs_out_loses_its_socket() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    // The shortest ttl WDM accepts: the socket closes about a second after the ready frame.
    let device = http
        .call(
            Method::POST,
            "/wdm/api/v1/devices",
            a,
            Some(json!({"deviceType": "WEB", "ttl": 1})),
        )
        .await
        .ok();
    let mut socket = open(&device).await;
    authorize(&mut socket, a).await;
    assert_eq!(
        next(&mut socket).await["data"]["eventType"],
        "mercury.buffer_state"
    );
    assert_eq!(
        closed(&mut socket).await,
        (1000, "Device expired".to_owned())
    );
    assert!(emulator.devices(&alice.id).is_empty());
}
