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

#[tokio::test(start_paused = true)]
async fn no_token_in_debug_output_or_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let history: Vec<String> = webex
        .logger()
        .history()
        .records()
        .into_iter()
        .map(|r| r.message)
        .collect();
    assert!(logs.contains("people/me"), "requests are logged: {logs}");
    assert!(history.iter().any(|m| m.contains("429")), "{history:?}");
    let secret_part = token.split('_').next().unwrap();
    for (what, text) in [
        ("builder Debug", builder_debug),
        ("client Debug", format!("{webex:?}")),
        ("services Debug", format!("{:?}", webex.services())),
        ("error Debug", format!("{err:?}")),
        ("error Display", err.to_string()),
        ("tracing output", logs),
        ("log history", history.join("\n")),
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
