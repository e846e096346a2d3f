//! The service catalog against the emulator: start-up sequence, lookups, failover, bad input.

mod common;

use common::Setup;
use webex_core::ErrorKind;
use webex_core::http::{Request, Target};
use webex_emulator::{CatalogHost, Fault};

#[tokio::test]
async fn build_loads_limited_then_full_catalog() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    assert_eq!(
        setup.emulator.request_count("/u2c/api/v1/limited/catalog"),
        1
    );
    assert_eq!(setup.emulator.request_count("/u2c/api/v1/catalog"), 1);
    assert!(webex.services().is_ready());
    let base = setup.emulator.base_url();
    assert_eq!(
        webex.services().url("hydra").unwrap().as_str(),
        format!("{base}/v1/")
    );
    let services = webex.services().list();
    for name in [
        "hydra",
        "u2c",
        "wdm",
        "metrics",
        "conversation",
        "identityLookup",
    ] {
        assert!(
            services.contains_key(name),
            "{name} missing from {services:?}"
        );
    }
}

#[tokio::test]
async fn override_beats_catalog() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.services
                .overrides
                .insert("wdm".into(), "http://127.0.0.1:9/wdm/api/v1".into());
        })
        .build()
        .await
        .unwrap();
    assert_eq!(
        webex.services().url("wdm").unwrap().as_str(),
        "http://127.0.0.1:9/wdm/api/v1"
    );
}

#[tokio::test]
async fn unknown_service_is_a_clear_error() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let err = webex.services().url("flux-capacitor").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownService);
    assert!(
        err.message()
            .contains("`flux-capacitor` is not in the catalog"),
        "{err}"
    );
    assert!(
        err.message().contains("hydra"),
        "lists the known ones: {err}"
    );
    let err = webex
        .http()
        .send(Request::get(Target::service("flux-capacitor", "x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownService);
}

#[tokio::test]
async fn fails_over_when_the_priority_host_refuses_connections() {
    let setup = Setup::new().await;
    // 127.0.0.2 is loopback too, but nothing listens there on the emulator's port.
    setup.emulator.add_catalog_host(CatalogHost {
        host: "127.0.0.2".into(),
        priority: 1,
    });
    let webex = setup.client().await;
    let first = webex.services().url("hydra").unwrap();
    assert_eq!(
        first.host_str(),
        Some("127.0.0.2"),
        "the priority host is tried first"
    );

    let me: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await
        .expect("the request fails over to the next host");
    assert_eq!(me["displayName"], "Ada Lovelace");
    assert_eq!(
        webex.services().url("hydra").unwrap().host_str(),
        Some("127.0.0.1"),
        "the refusing host stays marked failed"
    );
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 1);
}

#[tokio::test]
async fn fails_over_on_server_errors_for_idempotent_requests() {
    let setup = Setup::new().await;
    setup.emulator.add_catalog_host(CatalogHost {
        host: "localhost".into(),
        priority: 1,
    });
    let webex = setup.client().await;
    assert_eq!(
        webex.services().url("hydra").unwrap().host_str(),
        Some("localhost")
    );
    setup.emulator.add_fault(Fault {
        status: Some(502),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    let me: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 2);
    assert_eq!(
        webex.services().url("hydra").unwrap().host_str(),
        Some("127.0.0.1")
    );
}

#[tokio::test]
async fn malformed_catalog_names_the_problem_and_the_tracking_id() {
    let setup = Setup::new().await;
    setup.emulator.add_fault(Fault {
        status: Some(200),
        path_prefix: Some("/u2c/api/v1/catalog".into()),
        body: Some(r#"{"serviceLinks": {"hydra": 42}, "hostCatalog": {}}"#.into()),
        ..Fault::default()
    });
    let err = setup
        .builder()
        .access_token(&setup.person.access_token)
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert!(err.message().contains("malformed service catalog"), "{err}");
    assert!(
        err.message()
            .contains("`serviceLinks.hydra` is not a string"),
        "{err}"
    );
    let id = err.tracking_id().expect("tracking id");
    assert!(id.starts_with("webex-rs_"), "{id}");

    setup.emulator.add_fault(Fault {
        status: Some(200),
        path_prefix: Some("/u2c/api/v1/limited/catalog".into()),
        body: Some("<html>proxy error</html>".into()),
        ..Fault::default()
    });
    let err = setup
        .builder()
        .access_token(&setup.person.access_token)
        .build()
        .await
        .unwrap_err();
    assert!(err.message().contains("not JSON"), "{err}");
    assert!(err.tracking_id().is_some());
}

#[tokio::test]
async fn refresh_fetches_again() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    webex.services().refresh().await.unwrap();
    assert_eq!(setup.emulator.request_count("/u2c/api/v1/catalog"), 2);
    assert_eq!(
        setup.emulator.request_count("/u2c/api/v1/limited/catalog"),
        2
    );
}

#[tokio::test]
async fn no_token_asks_for_the_limited_catalog_by_proximity() {
    let setup = Setup::new().await;
    let webex = setup.builder().build().await.unwrap();
    assert!(!webex.services().is_ready());
    assert!(webex.services().url("wdm").is_ok());
    assert_eq!(setup.emulator.request_count("/u2c/api/v1/catalog"), 0);
}
