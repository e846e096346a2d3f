//! What the paused-clock tests against the emulator's faults share.

use std::time::Duration;

use serde_json::json;
use tokio::sync::watch;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_emulator::Emulator;
use webex_mercury::{ConnectionState, EventError, MercuryConfig, MercuryEvent, MercuryPlugin};

use crate::common;

/// The settings of these tests: the defaults, with a fixed jitter.
pub(crate) fn config() -> MercuryConfig {
    MercuryConfig::default().with_jitter_seed(11)
}

pub(crate) async fn client(emulator: &Emulator, config: MercuryConfig) -> Webex {
    let (builder, _) = common::client_builder(emulator, MercuryPlugin::new(config));
    builder.build().await.expect("client builds")
}

/// Waits (bounded, on the paused clock) for a state that `done` accepts.
pub(crate) async fn state_where(
    state: &mut watch::Receiver<ConnectionState>,
    done: impl FnMut(&ConnectionState) -> bool,
) -> ConnectionState {
    tokio::time::timeout(Duration::from_secs(600), state.wait_for(done))
        .await
        .expect("the state in time")
        .expect("the plugin lives")
        .clone()
}

/// Creates a room; its `conversation.activity` (`create`) reaches the creator's socket.
pub(crate) async fn create_room(webex: &Webex, title: &str) -> String {
    let room: serde_json::Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({ "title": title }))
                .unwrap(),
        )
        .await
        .unwrap();
    room["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn next_activity(
    events: &mut (impl futures::Stream<Item = Result<MercuryEvent, EventError>> + Unpin),
) -> webex_mercury::ActivityEvent {
    common::next_activity(events, Duration::from_secs(120)).await
}
