//! The fault matrix: 429, 500, 502, 503 (with `Retry-After`), a stall beyond the attempt
//! timeout and a refused connection, each against GET, POST, PUT and DELETE. For each cell:
//! the wire attempts that reached the emulator (its request log), the outcome, and that a
//! POST never created a second message. Paused clock: the waits are virtual.

mod common;

use std::time::Duration;

use common::Setup;
use http::Method;
use serde_json::{Value, json};
use webex_core::http::{Request, Target};
use webex_core::{ErrorKind, Webex};
use webex_emulator::{CatalogHost, Fault, RetryAfterValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    Status(u16),
    Stall,
    Refused,
}

const TROUBLES: [Trouble; 6] = [
    Trouble::Status(429),
    Trouble::Status(500),
    Trouble::Status(502),
    Trouble::Status(503),
    Trouble::Stall,
    Trouble::Refused,
];

/// What each cell must give: attempts at the emulator, and the error kind (none: success).
fn expected(trouble: Trouble, method: &Method) -> (usize, Option<ErrorKind>) {
    let idempotent = method != Method::POST;
    match trouble {
        // The server says it did not act: anything is sent again.
        Trouble::Status(429) => (2, None),
        // Nothing reached the server; the next host gets it.
        Trouble::Refused => (1, None),
        _ if idempotent => (2, None),
        Trouble::Stall => (1, Some(ErrorKind::Timeout)),
        Trouble::Status(_) => (1, Some(ErrorKind::ServerError)),
    }
}

async fn client(setup: &Setup) -> Webex {
    setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| {
            c.request_timeout = Duration::from_secs(2);
            c.retry.max_retries = 2;
        })
        .build()
        .await
        .unwrap()
}

async fn json(webex: &Webex, req: Request) -> Value {
    webex.http().json(req).await.unwrap()
}

fn hydra(path: String) -> Target {
    Target::service("hydra", path)
}

/// One cell: a fresh room (and message) made by `webex`, the fault, the call by `caller`;
/// checks the expectations.
async fn cell(setup: &Setup, webex: &Webex, caller: &Webex, trouble: Trouble, method: &Method) {
    let room = json(
        webex,
        Request::post(hydra("rooms".into()))
            .json(&json!({"title": "matrix"}))
            .unwrap(),
    )
    .await;
    let room_id = room["id"].as_str().unwrap().to_owned();
    let message = json(
        webex,
        Request::post(hydra("messages".into()))
            .json(&json!({"roomId": room_id, "text": "first"}))
            .unwrap(),
    )
    .await;
    let (path, req) = match *method {
        Method::GET => (
            format!("/v1/rooms/{room_id}"),
            Request::get(hydra(format!("rooms/{room_id}"))),
        ),
        Method::PUT => (
            format!("/v1/rooms/{room_id}"),
            Request::put(hydra(format!("rooms/{room_id}")))
                .json(&json!({"title": "renamed"}))
                .unwrap(),
        ),
        Method::DELETE => {
            let id = message["id"].as_str().unwrap();
            (
                format!("/v1/messages/{id}"),
                Request::delete(hydra(format!("messages/{id}"))),
            )
        }
        _ => (
            "/v1/messages".to_owned(),
            Request::post(hydra("messages".into()))
                .json(&json!({"roomId": room_id, "text": "second"}))
                .unwrap(),
        ),
    };
    let fault = Fault {
        path_prefix: Some(path.clone()),
        method: Some(method.to_string()),
        ..Fault::default()
    };
    match trouble {
        Trouble::Status(status) => setup.emulator.add_fault(Fault {
            status: Some(status),
            retry_after: matches!(status, 429 | 503).then_some(RetryAfterValue::Seconds(1)),
            ..fault
        }),
        Trouble::Stall => setup.emulator.add_fault(Fault {
            delay_ms: Some(10_000),
            ..fault
        }),
        Trouble::Refused => {}
    }

    let before = setup.emulator.request_count(&path);
    let outcome = caller.http().send(req).await;
    let attempts = setup.emulator.request_count(&path) - before;
    let (want_attempts, want_error) = expected(trouble, method);
    let cell = format!("{trouble:?} × {method}");
    assert_eq!(attempts, want_attempts, "{cell}: wire attempts");
    match (outcome, want_error) {
        (Ok(res), None) => assert!(res.status().is_success(), "{cell}: {}", res.status()),
        (Err(e), Some(kind)) => assert_eq!(e.kind(), kind, "{cell}: {e}"),
        (outcome, want) => panic!("{cell}: got {outcome:?}, wanted error {want:?}"),
    }
    if *method == Method::POST {
        // Let a stalled POST finish at the emulator, then count what it created.
        tokio::time::sleep(Duration::from_secs(11)).await;
        let list = json(
            webex,
            Request::get(hydra("messages".into())).query("roomId", &room_id),
        )
        .await;
        let created = list["items"].as_array().unwrap().len() - 1;
        assert!(created <= 1, "{cell}: the POST created {created} messages");
        let want_created = usize::from(want_error.is_none());
        assert!(created >= want_created, "{cell}: the POST created nothing");
    }
    setup.emulator.clear_faults();
}

#[tokio::test(start_paused = true)]
async fn every_fault_against_every_method() {
    let methods = [Method::GET, Method::POST, Method::PUT, Method::DELETE];
    let setup = Setup::new().await;
    let webex = client(&setup).await;
    for trouble in TROUBLES.into_iter().filter(|t| *t != Trouble::Refused) {
        for method in &methods {
            cell(&setup, &webex, &webex, trouble, method).await;
        }
    }
    // A refused connection: the catalog's priority host (127.0.0.2, nothing listens there)
    // refuses, the request moves to the next host. A fresh client per method, so the first
    // request of each meets the refusing host.
    let setup = Setup::new().await;
    setup.emulator.add_catalog_host(CatalogHost {
        host: "127.0.0.2".into(),
        priority: 1,
    });
    let webex = client(&setup).await;
    for method in &methods {
        let caller = client(&setup).await;
        let first = caller.services().url("hydra").unwrap();
        assert_eq!(first.host_str(), Some("127.0.0.2"));
        cell(&setup, &webex, &caller, Trouble::Refused, method).await;
        let then = caller.services().url("hydra").unwrap();
        assert_eq!(
            then.host_str(),
            Some("127.0.0.1"),
            "the refusing host was met"
        );
    }
}
