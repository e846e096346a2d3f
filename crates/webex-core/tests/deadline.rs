//! One overall deadline per call, whatever the retries, refreshes and redirects inside it;
//! the error names the stage that ran out. Paused clock: virtual time only.

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

#[tokio::test(start_paused = true)]
async fn retries_stop_at_the_call_deadline_and_the_error_names_the_stage() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.call_deadline = Duration::from_secs(10);
            c.retry.max_retries = 5;
        })
        .build()
        .await
        .unwrap();
    // Every attempt is rate limited for 4 s: 5 retries would take 20 s.
    setup.emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(4)),
        count: 10,
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    let started = Instant::now();
    let err = webex.http().send(me()).await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_secs(11),
        "{waited:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        err.message().contains("within 10s") && err.message().contains("waiting to retry (3)"),
        "{err}"
    );
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 3);
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_beats_the_configured_one() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    setup.emulator.add_fault(Fault {
        delay_ms: Some(20_000),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    let started = Instant::now();
    let err = webex
        .http()
        .send(me().deadline(Duration::from_secs(2)))
        .await
        .unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.message().contains("attempt 1"), "{err}");
}
