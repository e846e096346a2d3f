//! The Mercury driver against the emulator's websocket.

mod common;

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_devices::{DevicesExt, DevicesPlugin};
use webex_emulator::{Emulator, NewPerson, PersonType};
use webex_mercury::{
    ConnectionState, EventError, MercuryError, MercuryEvent, MercuryExt, MercuryPlugin,
};

async fn client(emulator: &Emulator, mercury: MercuryPlugin) -> (Webex, String) {
    let (builder, token) = common::client_builder(emulator, mercury);
    (builder.build().await.expect("client builds"), token)
}

async fn next_activity(
    events: &mut (impl futures::Stream<Item = Result<MercuryEvent, EventError>> + Unpin),
) -> webex_mercury::ActivityEvent {
    common::next_activity(events, Duration::from_secs(10)).await
}

#[tokio::test]
async fn connect_receive_and_disconnect() {
    let emulator = Emulator::start_default().await.unwrap();
    let (webex, _) = client(&emulator, MercuryPlugin::default()).await;
    let mut state = webex.mercury().state().unwrap();
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);

    let mut events = webex.mercury().events();
    webex.mercury().connect().await.unwrap();
    assert_eq!(*state.borrow_and_update(), ConnectionState::Connected);
    // Registered on the way.
    assert!(webex.devices().current().is_some());
    // Connecting again is a no-op.
    webex.mercury().connect().await.unwrap();

    // The readiness frame is delivered too.
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event_type(), "mercury.buffer_state");

    let room: serde_json::Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({"title": "Mercury"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let created = next_activity(&mut events).await;
    assert_eq!(created.activity.verb, "create");
    assert!(created.envelope.id.is_some());
    assert!(created.envelope.sequence_number.unwrap() >= 2);
    assert_eq!(
        created.envelope.event_type,
        webex_mercury::ACTIVITY,
        "{room}"
    );

    // A second socket for the same device works too: the connection survives the acks
    // (the emulator closes sockets with 1007 on frames it cannot read).
    webex
        .http()
        .json::<serde_json::Value>(
            Request::post(Target::service("hydra", "messages"))
                .json(&json!({"roomId": room["id"], "text": "hi"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let posted = next_activity(&mut events).await;
    assert_eq!(posted.activity.verb, "post");
    assert_eq!(*state.borrow(), ConnectionState::Connected);

    webex.mercury().disconnect().await;
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
    assert!(events.next().await.is_none(), "the stream ends");

    // And connects again.
    webex.mercury().connect().await.unwrap();
    webex.shutdown().await.unwrap();
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
}

#[tokio::test]
async fn a_bad_token_fails_with_a_typed_error() {
    let emulator = Emulator::start_default().await.unwrap();
    let me = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    // HTTP works with the good token; the socket gets a bad one (4401, refresh impossible,
    // 4401 again).
    let webex = Webex::builder()
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::default())
        .plugin(
            MercuryPlugin::default()
                .with_config(
                    webex_mercury::MercuryConfig::default()
                        .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
                )
                .with_access_token("not-a-token"),
        )
        .build()
        .await
        .unwrap();
    let err = webex.mercury().connect().await.unwrap_err();
    assert!(matches!(err, MercuryError::NotAuthorized { .. }), "{err}");
    let err = webex_core::Error::from(err);
    assert_eq!(err.kind(), webex_core::ErrorKind::Unauthorized);
}

#[tokio::test]
async fn the_clients_own_token_authorizes_the_socket() {
    let emulator = Emulator::start_default().await.unwrap();
    let me = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    let webex = Webex::builder()
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::default())
        .plugin(MercuryPlugin::default())
        .build()
        .await
        .unwrap();
    webex
        .mercury()
        .connect()
        .await
        .expect("authorized with the client's token");
    webex.mercury().disconnect().await;
}

#[tokio::test]
async fn without_a_token_or_plugin_the_errors_are_typed() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = Webex::builder()
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::default())
        .plugin(MercuryPlugin::default())
        .build()
        .await
        .unwrap();
    let err = webex.mercury().connect().await.unwrap_err();
    assert!(matches!(err, MercuryError::Setup(_)), "{err:?}");

    let bare = Webex::builder().without_catalog().build().await.unwrap();
    assert!(matches!(
        bare.mercury().connect().await,
        Err(MercuryError::Setup(_))
    ));
    assert!(bare.mercury().events().next().await.is_none());
}
