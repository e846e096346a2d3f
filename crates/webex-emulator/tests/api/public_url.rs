//! `EmulatorConfig::public_url` (`--public-url`): the emulator advertises
//! the given base URL instead of the bound address, as a container reached
//! by a service name or through a proxy must.

use hyper::Method;
use serde_json::json;
use webex_emulator::{Emulator, EmulatorConfig, PublicUrlError, TlsConfig};

use crate::client::{Http, alice, create_room};
use crate::devices::register;
use crate::process::{base_url, emulator, run_to_end};
use crate::tls::{call, connect, trusting};

/// The public name the tests advertise; nothing resolves it, clients
/// connect to the bound port and send it as `Host`.
const PUBLIC: &str = "emulator.test:8642";

/// An emulator advertising `url`, TLS on or off.
async fn start_public(url: &str, tls: bool) -> std::io::Result<Emulator> {
    Emulator::start(EmulatorConfig {
        public_url: Some(url.to_owned()),
        tls: tls.then(TlsConfig::default),
        ..EmulatorConfig::default()
    })
    .await
}

#[tokio::test]
async fn every_url_handed_out_is_built_on_the_public_url() {
    let emulator = start_public(&format!("http://{PUBLIC}"), false)
        .await
        .unwrap();
    assert_eq!(emulator.base_url(), format!("http://{PUBLIC}"));
    // Reached at the bound port, with the public name as Host.
    let http = Http::for_base(format!("http://{}", emulator.local_addr()));
    let host = [("host", PUBLIC)];
    let catalog = http
        .send(
            Method::GET,
            "/u2c/api/v1/limited/catalog?format=hostmap&mode=DEFAULT_BY_PROXIMITY",
            &host,
            None,
        )
        .await
        .unwrap()
        .ok();
    let links = catalog["serviceLinks"].as_object().unwrap();
    assert_eq!(links["hydra"], format!("http://{PUBLIC}/v1/"));
    assert_eq!(
        links["identityLookup"], "http://emulator.test.:8642/conversation/api/v1",
        "a second name of the same host"
    );
    assert!(
        links.values().all(|link| {
            let link = link.as_str().unwrap();
            link.starts_with(&format!("http://{PUBLIC}/"))
                || link.starts_with("http://emulator.test.:8642/")
        }),
        "{links:?}"
    );
    let mut keys: Vec<&String> = catalog["hostCatalog"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["emulator.test.:8642", PUBLIC]);
    assert_eq!(catalog["hostCatalog"][PUBLIC][0]["host"], "emulator.test");
    // Clients move a link onto its entry's host: identityLookup's is the
    // public name as given, so the dotted spelling never needs resolving.
    assert_eq!(
        catalog["hostCatalog"]["emulator.test.:8642"][0]["host"],
        "emulator.test"
    );

    let ada = alice(&emulator);
    let me = http
        .send(
            Method::GET,
            "/v1/people/me",
            &[
                ("host", PUBLIC),
                ("authorization", &format!("Bearer {}", ada.access_token)),
            ],
            None,
        )
        .await
        .unwrap()
        .ok();
    assert_eq!(me["id"], ada.id);

    let device = register(&http, &ada.access_token).await;
    let socket = device["webSocketUrl"].as_str().unwrap();
    assert!(
        socket.starts_with(&format!("ws://{PUBLIC}/mercury/")),
        "{socket}"
    );
    assert!(
        device["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("http://{PUBLIC}/wdm/")),
        "{device}"
    );

    for title in ["one", "two"] {
        create_room(&http, &ada.access_token, title).await;
    }
    let page = http.get_auth("/v1/rooms?max=1", &ada.access_token).await;
    let next = page.next_link().expect("a next page");
    assert!(
        next.starts_with(&format!("http://{PUBLIC}/v1/rooms?")),
        "{next}"
    );
}

#[tokio::test]
async fn over_tls_the_certificate_names_the_public_host() {
    let emulator = start_public("https://emulator.test:9443", true)
        .await
        .unwrap();
    assert_eq!(emulator.base_url(), "https://emulator.test:9443");
    let config = trusting(emulator.ca_path().unwrap());
    let addr = emulator.local_addr();
    let ada = alice(&emulator);
    let (status, me) = call(
        &config,
        &emulator,
        "emulator.test",
        Method::GET,
        "/v1/people/me",
        Some(&ada.access_token),
        None,
    )
    .await;
    assert_eq!((status.as_u16(), &me["id"]), (200, &json!(ada.id)));
    for name in ["localhost", "127.0.0.1"] {
        connect(&config, addr, name)
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
    }
    assert!(
        connect(&config, addr, "other.test").await.is_err(),
        "a name the certificate does not have"
    );
}

#[tokio::test]
async fn a_public_url_that_does_not_match_tls_fails_the_start() {
    for (url, tls, reason) in [
        (
            "https://emulator:8642",
            false,
            "it is https but TLS is off: use http://",
        ),
        (
            "http://emulator:8642",
            true,
            "it is http but TLS is on: use https://",
        ),
    ] {
        let error = start_public(url, tls).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        let inner = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<PublicUrlError>())
            .expect("a PublicUrlError");
        assert_eq!((inner.url.as_str(), inner.reason.as_str()), (url, reason));
    }
}

#[tokio::test]
async fn the_binary_prints_the_public_url_and_refuses_a_bad_one() {
    let (_child, base) = base_url(emulator(&["--public-url", "http://emulator:8642"])).await;
    assert_eq!(base, "http://emulator:8642");

    let mut command = emulator(&[]);
    command.env("WEBEX_EMULATOR_PUBLIC_URL", "https://emulator:8642");
    let (ok, stdout, stderr) = run_to_end(command).await;
    assert!(!ok);
    assert_eq!(stdout, "", "nothing on stdout");
    assert_eq!(
        stderr.trim_end(),
        "webex-emulator: --public-url: invalid public URL \"https://emulator:8642\": \
         it is https but TLS is off: use http://"
    );
}
