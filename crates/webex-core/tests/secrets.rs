//! Tokens never reach `Debug` output or logs; tracking ids have the real format.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::Setup;
use webex_core::config::LogLevel;
use webex_core::http::{Request, Target};
use webex_emulator::{Fault, RetryAfterValue};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    /// Captures every `tracing` record of this thread until the guard drops.
    fn install() -> (Self, tracing::subscriber::DefaultGuard) {
        let capture = Self::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        (capture, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The client's log history, one message a line.
fn history(webex: &webex_core::Webex) -> String {
    let messages: Vec<String> = webex
        .logger()
        .history()
        .records()
        .into_iter()
        .map(|r| r.message)
        .collect();
    messages.join("\n")
}

#[tokio::test(start_paused = true)]
async fn no_token_in_debug_output_or_logs() {
    let (capture, _guard) = Capture::install();

    let setup = Setup::new().await;
    let token = setup.person.access_token.clone();
    let builder = setup
        .builder()
        .access_token(&token)
        .configure(|c| c.logger.level = LogLevel::Trace);
    let builder_debug = format!("{builder:?}");
    let webex = builder.build().await.unwrap();
    setup.emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(1)),
        path_prefix: Some("/v1/people/me".into()),
        ..Fault::default()
    });
    webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    let err = webex
        .http()
        .send(Request::get(Target::service("hydra", "people/bogus")))
        .await
        .unwrap_err();

    let logs = capture.text();
    let history = history(&webex);
    assert!(logs.contains("people/me"), "requests are logged: {logs}");
    assert!(history.contains("429"), "{history}");
    let secret_part = token.split('_').next().unwrap();
    for (what, text) in [
        ("builder Debug", builder_debug),
        ("client Debug", format!("{webex:?}")),
        ("services Debug", format!("{:?}", webex.services())),
        ("error Debug", format!("{err:?}")),
        ("error Display", err.to_string()),
        ("tracing output", logs),
        ("log history", history),
    ] {
        assert!(
            !text.contains(secret_part),
            "{what} leaks the token: {text}"
        );
    }
}

#[tokio::test]
async fn tracking_ids_have_the_real_format_and_count_up() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    let session = webex.session_id().to_owned();
    let (prefix, uuid) = session.split_once('_').unwrap();
    assert_eq!(prefix, "webex-rs");
    assert_eq!(uuid.len(), 36);
    let a = webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    let b = webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    // Two catalog requests came first.
    assert_eq!(a.tracking_id(), Some(format!("{session}_3").as_str()));
    assert_eq!(b.tracking_id(), Some(format!("{session}_4").as_str()));
}

#[tokio::test]
async fn the_token_never_travels_over_plain_http_to_another_host() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            // A (misconfigured) catalog entry on plain http at a host that is not loopback.
            c.services
                .overrides
                .insert("plain".into(), "http://plain.example.com/v1".into());
        })
        .build()
        .await
        .unwrap();
    let err = webex
        .http()
        .send(Request::get(Target::service("plain", "people/me")))
        .await
        .expect_err("refused before sending");
    assert_eq!(err.kind(), webex_core::ErrorKind::Credentials, "{err}");
    assert!(err.message().contains("plain http"), "{err}");
    // The same service over loopback http carries the token (the emulator answers).
    let me: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");
}

#[tokio::test(start_paused = true)]
async fn secret_query_values_are_redacted_in_retry_logs_and_errors() {
    let (capture, _guard) = Capture::install();
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.logger.level = LogLevel::Trace;
            c.retry.max_retries = 1;
        })
        .build()
        .await
        .unwrap();
    setup.emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(1)),
        count: 2,
        path_prefix: Some("/v1/people".into()),
        ..Fault::default()
    });
    let err = webex
        .http()
        .send(
            Request::get(Target::service("hydra", "people"))
                .query("Access_Token", "s3cret-access")
                .query("CODE", "s3cret-code")
                .query("max", "2"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    // An unreachable host: the error message names the URL.
    let refused = webex
        .http()
        .send(Request::get(Target::Url(
            "http://127.0.0.1:9/x?refresh_token=s3cret-refresh"
                .parse()
                .unwrap(),
        )))
        .await
        .unwrap_err();
    assert!(refused.message().contains("127.0.0.1:9"), "{refused}");

    let logs = capture.text();
    let history = history(&webex);
    assert!(history.contains("retry 1 of 1"), "{history}");
    assert!(history.contains("Access_Token=<redacted>"), "{history}");
    for (what, text) in [
        ("tracing output", logs),
        ("log history", history),
        ("error", format!("{err} {err:?} {refused} {refused:?}")),
    ] {
        assert!(!text.contains("s3cret"), "{what} leaks a secret: {text}");
        assert!(text.contains("max=2") || what == "error", "{what}: {text}");
    }
}
