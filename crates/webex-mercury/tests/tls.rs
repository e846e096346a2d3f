//! Mercury over wss against an emulator serving TLS: the socket trusts the client's
//! `extra_root_certificates` (the emulator's CA), as its HTTP requests do.

mod common;

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use webex_core::http::{Request, Target};
use webex_emulator::{Emulator, EmulatorConfig, TlsConfig};
use webex_mercury::{MercuryExt, MercuryPlugin};

#[tokio::test]
async fn events_arrive_over_wss_with_the_emulators_ca() {
    let emulator = Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig::default()),
        ..EmulatorConfig::default()
    })
    .await
    .expect("a TLS emulator");
    let ca = emulator.ca_path().unwrap().to_path_buf();
    let (builder, _) = common::client_builder(&emulator, MercuryPlugin::default());
    let webex = builder
        .configure(move |config| config.extra_root_certificates = Some(ca))
        .build()
        .await
        .expect("client builds over https");

    let mut events = webex.mercury().events();
    webex.mercury().connect().await.expect("connects over wss");
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event_type(), "mercury.buffer_state");
    let sockets = emulator.mercury_connections();
    assert_eq!(sockets.len(), 1);

    webex
        .http()
        .json::<serde_json::Value>(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({"title": "Over wss"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let created = common::next_activity(&mut events, Duration::from_secs(10)).await;
    assert_eq!(created.activity.verb, "create");
}
