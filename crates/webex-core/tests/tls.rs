//! Our SDK against an emulator serving TLS (`webex-emulator --tls`): the emulator's CA as
//! `extra_root_certificates` (or `WEBEX_CA_FILE`) is trusted besides the webpki roots; without
//! it the connection is refused; a bad file fails `build()` naming it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use webex_core::config::ConfigLoader;
use webex_core::http::{Request, Target};
use webex_core::{ErrorKind, Webex};
use webex_emulator::{CreatedPerson, Emulator, EmulatorConfig, NewPerson, PersonType, TlsConfig};

/// An emulator serving https and wss, and a person on it.
async fn tls_emulator() -> (Emulator, CreatedPerson) {
    let emulator = Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig::default()),
        ..EmulatorConfig::default()
    })
    .await
    .expect("a TLS emulator starts");
    let person = emulator.create_person(NewPerson {
        display_name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    (emulator, person)
}

/// A client of `emulator` as `person`, trusting `ca` besides the webpki roots.
async fn client(
    emulator: &Emulator,
    person: &CreatedPerson,
    ca: Option<PathBuf>,
) -> webex_core::Result<Webex> {
    Webex::builder()
        .discovery_base(emulator.base_url())
        .configure(move |config| config.extra_root_certificates = ca)
        .access_token(&person.access_token)
        .build()
        .await
}

#[tokio::test]
async fn with_the_emulators_ca_the_sdk_works_over_https() {
    let (emulator, person) = tls_emulator().await;
    assert!(emulator.base_url().starts_with("https://"));
    let ca = emulator.ca_path().unwrap().to_path_buf();
    let webex = client(&emulator, &person, Some(ca))
        .await
        .expect("builds over https");

    let hydra = webex.services().url("hydra").expect("hydra in the catalog");
    assert!(hydra.as_str().starts_with("https://"), "{hydra}");

    let me: Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");

    let room: Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({"title": "Over TLS"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let rooms: Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "rooms")))
        .await
        .unwrap();
    assert_eq!(rooms["items"][0]["id"], room["id"]);
    assert_eq!(emulator.request_count("/v1/rooms"), 2);
}

#[tokio::test]
async fn without_the_ca_the_connection_is_refused() {
    let (emulator, person) = tls_emulator().await;
    let error = client(&emulator, &person, None)
        .await
        .expect_err("an unknown CA");
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert!(error.to_string().contains("certificate"), "{error}");
    assert_eq!(
        emulator.request_count("/"),
        0,
        "nothing reached the emulator"
    );
}

#[tokio::test]
async fn an_unreadable_ca_file_fails_the_build_naming_it() {
    let (emulator, person) = tls_emulator().await;
    let missing = Path::new("/nonexistent/webex-ca.pem").to_path_buf();
    let error = client(&emulator, &person, Some(missing))
        .await
        .expect_err("no such file");
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(
        error.to_string().contains("/nonexistent/webex-ca.pem"),
        "{error}"
    );
}

#[test]
fn the_ca_file_comes_from_the_environment_too() {
    let load = |name: &str| {
        let env = HashMap::from([(name.to_owned(), "/etc/emulator/ca.pem".to_owned())]);
        ConfigLoader::new()
            .without_file()
            .env(env)
            .load()
            .unwrap()
            .extra_root_certificates
    };
    let expected = Some(PathBuf::from("/etc/emulator/ca.pem"));
    assert_eq!(load("WEBEX_CA_FILE"), expected);
    assert_eq!(load("WEBEX_EXTRA_ROOT_CERTIFICATES"), expected);
    let none = ConfigLoader::new()
        .without_file()
        .env(HashMap::new())
        .load()
        .unwrap();
    assert_eq!(none.extra_root_certificates, None);
}
