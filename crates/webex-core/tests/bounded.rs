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

#[tokio::test]
async fn an_error_body_becomes_a_message_of_bounded_length() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let huge = "y".repeat(100_000);
    for body in [
        format!("{{\"message\": \"{huge}\"}}"),
        format!("{{\"unknown\": \"{huge}\"}}"),
        huge.clone(),
    ] {
        setup.emulator.add_fault(answer(400, body));
        let err = webex.http().send(me()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadRequest);
        let chars = err.message().len();
        assert!(
            (100..=webex_core::http::MAX_ERROR_MESSAGE_LEN + 3).contains(&chars),
            "{chars} bytes"
        );
        assert!(err.message().ends_with('…'), "marked as cut");
    }
}

#[tokio::test]
async fn log_history_records_have_a_bounded_size() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.logger.level = LogLevel::Debug;
            c.logger.max_record_len = 256;
        })
        .build()
        .await
        .unwrap();
    let long_path = format!("people/{}", "z".repeat(10_000));
    let _ = webex
        .http()
        .send(Request::get(Target::service("hydra", long_path)))
        .await;
    let records = webex.logger().history().records();
    assert!(
        records.iter().any(|r| r.message.contains("zzzz")),
        "{records:?}"
    );
    for record in records {
        assert!(
            record.message.len() <= 256 + '…'.len_utf8(),
            "{}",
            record.message.len()
        );
    }
}
