//! Bounded reads: response bodies, error messages and log-history records have a size cap.

mod common;

use common::Setup;
use webex_core::ErrorKind;
use webex_core::config::LogLevel;
use webex_core::http::{Request, Target};
use webex_emulator::Fault;

fn me() -> Request {
    Request::get(Target::service("hydra", "people/me"))
}

fn answer(status: u16, body: String) -> Fault {
    Fault {
        status: Some(status),
        body: Some(body),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    }
}

#[tokio::test]
async fn a_body_over_the_cap_is_a_typed_error() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.max_response_body = 4096)
        .build()
        .await
        .unwrap();
    let big = format!("{{\"displayName\": \"{}\"}}", "x".repeat(10_000));
    setup.emulator.add_fault(answer(200, big.clone()));
    let err = webex.http().send(me()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{err}");
    assert!(err.message().contains("4096 bytes"), "{err}");

    // A request may allow more.
    setup.emulator.add_fault(answer(200, big));
    let res = webex
        .http()
        .send(me().max_response_body(20_000))
        .await
        .unwrap();
    assert!(res.body().len() > 10_000);
    // Within the cap nothing changes.
    assert_eq!(webex.http().send(me()).await.unwrap().status(), 200);
}
