//! No duplicate writes: a non-idempotent request is resent only when the server provably
//! did not act on it (a 429, a connection refused before anything was sent).

mod common;

use std::time::Duration;

use common::Setup;
use webex_core::ErrorKind;
use webex_core::http::{Request, Target};
use webex_emulator::{CatalogHost, Fault, RetryAfterValue};

fn post_message() -> Request {
    Request::post(Target::service("hydra", "messages"))
}

#[tokio::test(start_paused = true)]
async fn a_503_with_retry_after_does_not_resend_a_post() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    setup.emulator.add_fault(Fault {
        status: Some(503),
        retry_after: Some(RetryAfterValue::Seconds(1)),
        path_prefix: Some("/v1/messages".into()),
        method: Some("POST".into()),
        ..Fault::default()
    });
    let err = webex.http().send(post_message()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(
        setup.emulator.request_count("/v1/messages"),
        1,
        "the POST may have created a message: it is not sent again"
    );
}

#[tokio::test(start_paused = true)]
async fn a_5xx_on_a_post_does_not_mark_the_host_failed() {
    let setup = Setup::new().await;
    setup.emulator.add_catalog_host(CatalogHost {
        host: "localhost".into(),
        priority: 1,
    });
    let webex = setup.client().await;
    setup.emulator.add_fault(Fault {
        status: Some(502),
        path_prefix: Some("/v1/messages".into()),
        method: Some("POST".into()),
        ..Fault::default()
    });
    let err = webex.http().send(post_message()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(setup.emulator.request_count("/v1/messages"), 1);
    assert_eq!(
        webex.services().url("hydra").unwrap().host_str(),
        Some("localhost"),
        "one failed POST says nothing about the host for every other request"
    );
}

#[tokio::test(start_paused = true)]
async fn a_delete_retried_after_a_timeout_that_gets_404_is_a_flagged_success() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.request_timeout = Duration::from_secs(1))
        .build()
        .await
        .unwrap();
    let room: serde_json::Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&serde_json::json!({"title": "doomed"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let path = format!("rooms/{}", room["id"].as_str().unwrap());
    // The first DELETE stalls past the timeout; meanwhile the room goes (as if the stalled
    // attempt had deleted it), so the retry finds nothing.
    setup.emulator.add_fault(Fault {
        delay_ms: Some(5_000),
        path_prefix: Some("/v1/rooms/".into()),
        method: Some("DELETE".into()),
        ..Fault::default()
    });
    let stalled = tokio::spawn({
        let webex = webex.clone();
        let path = path.clone();
        async move {
            webex
                .http()
                .send(Request::delete(Target::service("hydra", path)))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let gone = webex
        .http()
        .send(Request::delete(Target::service("hydra", path.clone())))
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert!(!gone.deleted_by_earlier_attempt());

    let res = stalled.await.unwrap().expect("reported as success");
    assert_eq!(res.status(), 204);
    assert!(res.deleted_by_earlier_attempt(), "flagged");
    // A plain 404 with no ambiguous attempt before it stays an error.
    let err = webex
        .http()
        .send(Request::delete(Target::service("hydra", path)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}
