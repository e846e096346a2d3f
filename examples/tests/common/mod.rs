//! What the meeting examples' tests share: people on the emulator and their clients.

#![allow(dead_code)]

use webex::meetings::Meeting;
use webex::prelude::*;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

/// A person of the emulator.
pub(crate) fn person(emulator: &Emulator, name: &str, email: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: email.into(),
        kind: PersonType::Person,
    })
}

/// A client of `who`, registered for meetings.
pub(crate) async fn client(emulator: &Emulator, who: &CreatedPerson) -> Webex {
    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(&who.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .unwrap();
    webex.meetings().register().await.unwrap();
    webex
}

/// `webex`'s meeting for `destination`.
pub(crate) async fn meeting(webex: &Webex, destination: &str) -> Meeting {
    webex.meetings().create(destination, None).await.unwrap()
}
