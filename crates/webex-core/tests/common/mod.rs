//! Shared set-up: an in-process emulator, a person on it, and a client pointed at it.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different subset"
)]

use webex_core::{Webex, WebexBuilder};
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

pub struct Setup {
    pub emulator: Emulator,
    pub person: CreatedPerson,
}

impl Setup {
    pub async fn new() -> Self {
        let emulator = Emulator::start_default().await.expect("emulator starts");
        let person = emulator.create_person(NewPerson {
            display_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            kind: PersonType::Person,
        });
        Self { emulator, person }
    }

    /// A builder aimed at the emulator, without a token.
    pub fn builder(&self) -> WebexBuilder {
        let base = self.emulator.base_url();
        Webex::builder().configure(move |c| {
            c.services.discovery.u2c = format!("{base}/u2c/api/v1");
            c.services.discovery.hydra = format!("{base}/v1");
        })
    }

    /// A client with the person's token and the catalog loaded.
    pub async fn client(&self) -> Webex {
        self.builder()
            .access_token(&self.person.access_token)
            .build()
            .await
            .expect("client builds")
    }
}
