//! Retries with tokio's paused clock: the delays are measured in virtual time.

mod common;

use std::time::Duration;

use common::Setup;
use tokio::time::Instant;
use webex_core::ErrorKind;
use webex_core::http::{Request, Target};
use webex_emulator::{Fault, RetryAfterValue};

fn me() -> Request {
    Request::get(Target::service("hydra", "people/me"))
}

fn rate_limit(retry_after: Option<RetryAfterValue>, count: u32) -> Fault {
    Fault {
        status: Some(429),
        retry_after,
        count,
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_one_second_gives_exactly_one_retry_after_one_second() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    setup
        .emulator
        .add_fault(rate_limit(Some(RetryAfterValue::Seconds(1)), 1));

    let started = Instant::now();
    let res = webex.http().send(me()).await.unwrap();
    let waited = started.elapsed();

    assert_eq!(res.status(), 200);
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        2,
        "one retry"
    );
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_millis(1100), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn garbage_retry_after_falls_back_to_the_default() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.retry.default_retry_after = Duration::from_secs(3))
        .build()
        .await
        .unwrap();
    setup
        .emulator
        .add_fault(rate_limit(Some(RetryAfterValue::Raw("soon".into())), 1));

    let started = Instant::now();
    webex.http().send(me()).await.unwrap();
    let waited = started.elapsed();

    assert_eq!(setup.emulator.request_count("/v1/people/me"), 2);
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_millis(3100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_capped() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.retry.max_retry_after = Duration::from_secs(10))
        .build()
        .await
        .unwrap();
    setup
        .emulator
        .add_fault(rate_limit(Some(RetryAfterValue::Seconds(86_400)), 1));
    let started = Instant::now();
    webex.http().send(me()).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_millis(10_100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn attempts_are_bounded_and_the_error_carries_retry_after() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.retry.max_retries = 2)
        .build()
        .await
        .unwrap();
    setup
        .emulator
        .add_fault(rate_limit(Some(RetryAfterValue::Seconds(2)), 10));
    let err = webex.http().send(me()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyRequests);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert!(
        err.tracking_id()
            .is_some_and(|id| id.starts_with("webex-rs_"))
    );
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        3,
        "1 try + 2 retries"
    );
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_for_get_but_not_for_post() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    setup.emulator.add_fault(Fault {
        status: Some(500),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    webex.http().send(me()).await.unwrap();
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 2);

    setup.emulator.add_fault(Fault {
        status: Some(500),
        path_prefix: Some("/v1/people".into()),
        method: Some("POST".into()),
        ..Fault::default()
    });
    let before = setup.emulator.request_count("/v1/people");
    let err = webex
        .http()
        .send(Request::post(Target::service("hydra", "people")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(
        setup.emulator.request_count("/v1/people"),
        before + 1,
        "POST is not resent"
    );
}

#[tokio::test(start_paused = true)]
async fn a_404_is_not_retried_and_carries_message_and_tracking_id() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let unknown = "Y2lzY29zcGFyazovL3VzL1BFT1BMRS8wMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA";
    let err = webex
        .http()
        .send(Request::get(Target::service(
            "hydra",
            format!("people/{unknown}"),
        )))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(!err.message().is_empty());
    assert!(err.tracking_id().is_some());
    assert_eq!(
        setup
            .emulator
            .request_count(&format!("/v1/people/{unknown}")),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn the_errors_retry_after_is_capped_like_the_sdks_own_wait() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.retry.max_retries = 0;
            c.retry.max_retry_after = Duration::from_secs(20);
        })
        .build()
        .await
        .unwrap();
    // A server asking for a day (or a garbage-large number) is not passed on as is.
    setup
        .emulator
        .add_fault(rate_limit(Some(RetryAfterValue::Seconds(86_400)), 1));
    let err = webex.http().send(me()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyRequests);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(20)));
    assert_eq!(
        webex_core::Error::new(ErrorKind::TooManyRequests, "x")
            .with_retry_after(Some(Duration::MAX))
            .retry_after(),
        Some(webex_core::http::retry_after::MAX_RETRY_AFTER),
        "without a policy at hand, the default cap"
    );
}
