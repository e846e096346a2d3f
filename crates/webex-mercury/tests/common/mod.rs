//! What the Mercury integration tests share: a client builder against the emulator.

use std::time::Duration;

use futures::{Stream, StreamExt};
use webex_core::WebexBuilder;
use webex_devices::DevicesPlugin;
use webex_emulator::{Emulator, NewPerson, PersonType};
use webex_mercury::{ActivityEvent, EventError, MercuryEvent, MercuryPlugin};

/// A builder for a new person's client, with the devices plugin and `mercury`
/// authorized with that person's token; and the token.
pub(crate) fn client_builder(
    emulator: &Emulator,
    mercury: MercuryPlugin,
) -> (WebexBuilder, String) {
    let me = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    let builder = webex_core::Webex::builder()
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::default())
        .plugin(mercury.with_access_token(&me.access_token));
    (builder, me.access_token)
}

/// The next activity, skipping other events, within `wait`; an error item fails.
#[allow(dead_code, reason = "not every test file reads activities")]
pub(crate) async fn next_activity(
    events: &mut (impl Stream<Item = Result<MercuryEvent, EventError>> + Unpin),
    wait: Duration,
) -> ActivityEvent {
    loop {
        let event = tokio::time::timeout(wait, events.next())
            .await
            .expect("an event in time")
            .expect("stream open")
            .expect("no error item");
        if let MercuryEvent::Activity(event) = event {
            return *event;
        }
    }
}
