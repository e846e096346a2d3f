//! What the KMS tests share: a person on the emulator and a client with the KMS plugins.

use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};
use webex_encryption::EncryptionPlugin;

/// A new person called `name` (email `<name>@example.com`).
pub(crate) fn person(emulator: &Emulator, name: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        kind: PersonType::Person,
    })
}

/// A client of `person` with the devices, Mercury and encryption plugins.
pub(crate) async fn client(emulator: &Emulator, person: &CreatedPerson) -> Webex {
    Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .plugin(webex_devices::DevicesPlugin::default())
        .plugin(webex_mercury::MercuryPlugin::default())
        .plugin(EncryptionPlugin::default())
        .build()
        .await
        .expect("client builds")
}
