//! What the integration tests share: an emulator and clients of people on it.

#![allow(dead_code)]

use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

/// A person of the emulator.
pub(crate) fn person(emulator: &Emulator, name: &str, kind: PersonType) -> CreatedPerson {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email,
        kind,
    })
}

/// A person with this email (its domain decides who is external to a meeting's host).
pub(crate) fn person_with_email(emulator: &Emulator, name: &str, email: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: email.into(),
        kind: PersonType::Person,
    })
}

/// A client of `person` with the devices, Mercury and meetings plugins.
pub(crate) async fn client(emulator: &Emulator, person: &CreatedPerson) -> Webex {
    client_configured(emulator, person, |_| {}).await
}

/// As [`client`], with `configure` applied to the configuration (e.g. an extra root).
pub(crate) async fn client_configured(
    emulator: &Emulator,
    person: &CreatedPerson,
    configure: impl FnOnce(&mut webex_core::config::WebexConfig) + Send + 'static,
) -> Webex {
    Webex::builder()
        .plugin(webex_devices::DevicesPlugin::default())
        .plugin(webex_mercury::MercuryPlugin::default())
        .plugin(webex_meetings::MeetingsPlugin::default())
        .access_token(&person.access_token)
        // Keep info records too, for the log upload.
        .configure(|config| {
            config.logger.level = webex_core::config::LogLevel::Info;
            configure(config);
        })
        .discovery_base(emulator.base_url())
        .build()
        .await
        .expect("client builds against the emulator")
}

pub(crate) mod converge;
pub(crate) mod events;
#[cfg(any(feature = "str0m", feature = "webrtc"))]
pub(crate) mod media;

/// Waits until `meeting`'s view shows member `id` waiting in the lobby.
pub(crate) async fn in_lobby(
    meeting: &webex_meetings::Meeting,
    id: &str,
) -> std::sync::Arc<webex_meetings::view::MeetingView> {
    use webex_meetings::view::MemberStatus;
    meeting
        .wait_for(|v| {
            v.members
                .iter()
                .any(|m| m.id == id && m.status == MemberStatus::InLobby)
        })
        .await
        .expect("the member shows up in the lobby")
}

/// The plugin's events stream.
pub(crate) type PluginEvents =
    BoxStream<'static, Result<webex_meetings::MeetingsEvent, webex_meetings::MeetingsEventError>>;

/// The next plugin event that `pick` accepts, within a generous bound.
pub(crate) async fn next_matching<T>(
    events: &mut PluginEvents,
    pick: impl Fn(webex_meetings::MeetingsEvent) -> Option<T>,
) -> T {
    let wait = async {
        while let Some(item) = events.next().await {
            if let Some(found) = item.ok().and_then(&pick) {
                return Some(found);
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .ok()
        .flatten()
        .expect("the expected meetings event")
}
