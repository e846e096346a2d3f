//! What the Mercury integration tests share: a client builder against the emulator.

use webex_core::WebexBuilder;
use webex_devices::DevicesPlugin;
use webex_emulator::{Emulator, NewPerson, PersonType};
use webex_mercury::MercuryPlugin;

/// A builder for a new person's client, with the auth and devices plugins and `mercury`
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
    let base = emulator.base_url();
    let builder = webex_core::Webex::builder()
        .configure(move |c| {
            c.services.discovery.u2c = format!("{base}/u2c/api/v1");
            c.services.discovery.hydra = format!("{base}/v1");
        })
        .plugin(webex_auth::AuthPlugin::default())
        .plugin(DevicesPlugin::default())
        .plugin(mercury.with_access_token(&me.access_token));
    (builder, me.access_token)
}
