//! Injected faults, through the admin HTTP API and the library API.

use std::time::{Duration, Instant};

use hyper::Method;
use webex_emulator::{Fault, RetryAfterValue};

use crate::client::{alice, start};

#[tokio::test]
async fn status_fault_hits_once_then_requests_succeed() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let reply = http
        .post(
            "/_emulator/faults",
            r#"{"status":429,"retryAfter":1,"count":1}"#,
        )
        .await;
    assert_eq!(reply.status, 201);
    assert!(reply.json()["id"].is_string());

    let auth = format!("Bearer {}", alice.access_token);
    let faulted = http
        .send(
            Method::GET,
            "/v1/people/me",
            &[("authorization", &auth), ("trackingid", "retry_1")],
            None,
        )
        .await
        .unwrap();
    faulted.assert_webex_error(429);
    assert_eq!(faulted.header("retry-after"), Some("1"));
    assert_eq!(faulted.json()["trackingId"], "retry_1");

    let retried = http.get_auth("/v1/people/me", &alice.access_token).await;
    assert_eq!(retried.status, 200);
    assert_eq!(retried.header("retry-after"), None);
    assert_eq!(emulator.request_count("/v1/people/me"), 2);
}

#[tokio::test]
async fn raw_body_and_raw_retry_after_are_sent_verbatim() {
    let (emulator, http) = start().await;
    emulator.add_fault(Fault {
        status: Some(503),
        retry_after: Some(RetryAfterValue::Raw("soon".into())),
        body: Some("this is {not json".into()),
        ..Fault::default()
    });
    let reply = http.get("/u2c/api/v1/limited/catalog?orgId=x").await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("retry-after"), Some("soon"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(&reply.body[..], b"this is {not json");
    assert!(reply.header("trackingid").is_some());
}

#[tokio::test]
async fn faults_filter_by_path_prefix_and_method() {
    let (_emulator, http) = start().await;
    let catalog = "/u2c/api/v1/limited/catalog?orgId=x";
    http.post(
        "/_emulator/faults",
        r#"{"status":500,"pathPrefix":"/metrics/","method":"post","count":2}"#,
    )
    .await;

    // Neither another path, nor the admin API, nor the right path with
    // another method uses up the fault.
    assert_eq!(http.get(catalog).await.status, 200);
    assert_eq!(http.get("/_emulator/health").await.status, 200);
    http.get("/metrics/api/v1/clientmetrics")
        .await
        .assert_webex_error(405);

    let metrics = "/metrics/api/v1/clientmetrics";
    http.post(metrics, "{}").await.assert_webex_error(500);
    http.post(metrics, "{}").await.assert_webex_error(500);
    assert_eq!(http.post(metrics, "{}").await.status, 204);
}

#[tokio::test]
async fn faults_apply_in_fifo_order_and_can_be_cleared() {
    let (emulator, http) = start().await;
    let catalog = "/u2c/api/v1/limited/catalog?orgId=x";
    emulator.add_fault(Fault {
        status: Some(502),
        ..Fault::default()
    });
    emulator.add_fault(Fault {
        status: Some(504),
        ..Fault::default()
    });
    http.get(catalog).await.assert_webex_error(502);
    http.get(catalog).await.assert_webex_error(504);
    assert_eq!(http.get(catalog).await.status, 200);

    emulator.add_fault(Fault {
        status: Some(500),
        count: 10,
        ..Fault::default()
    });
    emulator.clear_faults();
    assert_eq!(http.get(catalog).await.status, 200);

    http.post("/_emulator/faults", r#"{"status":500,"count":10}"#)
        .await;
    assert_eq!(http.delete("/_emulator/faults").await.status, 204);
    assert_eq!(http.get(catalog).await.status, 200);
}

#[tokio::test]
async fn delay_fault_delays_then_handles_normally() {
    let (emulator, http) = start().await;
    emulator.add_fault(Fault {
        delay_ms: Some(300),
        path_prefix: Some("/u2c/".into()),
        ..Fault::default()
    });
    let started = Instant::now();
    let reply = http.get("/u2c/api/v1/limited/catalog?orgId=x").await;
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Handled, and counted, exactly once. (No upper bound on the time: a
    // loaded CI machine could break it.)
    assert_eq!(emulator.request_count("/u2c/"), 1);
}

#[tokio::test]
async fn bad_faults_are_rejected() {
    let (_emulator, http) = start().await;
    for body in [
        "{",
        r#"{"status":"429"}"#,
        r#"{"status":99}"#,
        r#"{"status":429,"count":0}"#,
        r#"{"body":"needs a status"}"#,
        r#"{"retry_after":1}"#,
    ] {
        http.post("/_emulator/faults", body)
            .await
            .assert_webex_error(400);
    }
}
