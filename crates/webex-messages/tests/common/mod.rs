//! Shared set-up: an in-process emulator, the caller (Ada) and two more people (Alice, Bob)
//! the seed examples add to rooms, and a client with the messages plugin pointed at it.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different subset"
)]

use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};
use webex_messages::MessagesPlugin;

pub struct Setup {
    pub emulator: Emulator,
    pub me: CreatedPerson,
    pub alice: CreatedPerson,
    pub bob: CreatedPerson,
    pub webex: Webex,
}

pub fn person(emulator: &Emulator, name: &str, email: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: email.into(),
        kind: PersonType::Person,
    })
}

/// A client for `person` on `emulator`.
pub async fn client_for(emulator: &Emulator, person: &CreatedPerson) -> Webex {
    Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .plugin(MessagesPlugin::default())
        .build()
        .await
        .expect("client builds")
}

impl Setup {
    pub async fn new() -> Self {
        let emulator = Emulator::start_default().await.expect("emulator starts");
        let me = person(&emulator, "Ada Lovelace", "ada@example.com");
        let alice = person(&emulator, "Alice Example", "alice@example.com");
        let bob = person(&emulator, "Bob Example", "bob@example.com");
        let webex = client_for(&emulator, &me).await;
        Self {
            emulator,
            me,
            alice,
            bob,
            webex,
        }
    }

    /// Requests the emulator received under `/v1/` (Hydra) so far.
    pub fn hydra_requests(&self) -> usize {
        self.emulator.request_count("/v1/")
    }
}

/// A client with the plugins `listen()` needs: devices, mercury (with `config`) and a
/// listening messages plugin. Mercury authorizes its socket with the client's own token.
#[cfg(feature = "listen")]
pub async fn listening_client_with(
    s: &Setup,
    person: &CreatedPerson,
    config: webex_mercury::MercuryConfig,
) -> Webex {
    Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(s.emulator.base_url())
        .plugin(webex_devices::DevicesPlugin::default())
        .plugin(webex_mercury::MercuryPlugin::new(config))
        .plugin(MessagesPlugin::listening())
        .build()
        .await
        .expect("client builds")
}

/// [`listening_client_with`] the default Mercury settings.
#[cfg(feature = "listen")]
pub async fn listening_client(s: &Setup, person: &CreatedPerson) -> Webex {
    listening_client_with(s, person, webex_mercury::MercuryConfig::default()).await
}

/// The next item of a `listen()` stream, which must be an event.
#[cfg(feature = "listen")]
pub async fn next<D>(
    events: &mut (
             impl futures::Stream<
        Item = Result<webex_messages::listen::HydraEvent<D>, webex_messages::listen::ListenError>,
    > + Unpin
         ),
) -> webex_messages::listen::HydraEvent<D> {
    next_item(events).await.expect("an event, not an error")
}

/// The next item of a `listen()` stream, within 10 s.
#[cfg(feature = "listen")]
pub async fn next_item<T>(events: &mut (impl futures::Stream<Item = T> + Unpin)) -> T {
    use futures::StreamExt;
    tokio::time::timeout(std::time::Duration::from_secs(10), events.next())
        .await
        .expect("an item in time")
        .expect("the stream is open")
}

/// Posts `text` in `room` as `webex`'s user.
#[cfg(feature = "listen")]
pub async fn post(webex: &Webex, room: &str, text: &str) -> webex_messages::messages::Message {
    use webex_messages::MessagesExt;
    webex
        .messages()
        .create()
        .room_id(room)
        .text(text)
        .await
        .unwrap()
}

/// The text of a `messages:created` event's message.
#[cfg(feature = "listen")]
pub fn text(data: &webex_messages::listen::MessageEventData) -> &str {
    match data {
        webex_messages::listen::MessageEventData::Created(message) => {
            message.text.as_deref().unwrap_or_default()
        }
        other => panic!("not a created message: {other:?}"),
    }
}
