//! The client-log upload flow: an upload URL, the upload without a token,
//! the metadata, and the admin read.

use bytes::Bytes;
use hyper::Method;
use serde_json::json;

use crate::client::{alice, start};

#[tokio::test]
async fn a_log_is_uploaded_described_and_listed() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let file = "locus-1_2026-11-29T18:58:06.249Z.txt";
    let urls = http
        .call(
            Method::POST,
            "/clientlogs/api/v1/logs/urls",
            &alice.access_token,
            Some(json!({"file": file, "uploadProtocol": "content-length"})),
        )
        .await
        .ok();
    assert_eq!(urls["logFilename"], file);
    let temp = urls["tempURL"].as_str().unwrap();
    assert!(temp.starts_with(&emulator.base_url()));

    let put = http
        .send_bytes(
            Method::PUT,
            temp,
            &[],
            Bytes::from_static(b"line 1\nline 2\n"),
        )
        .await
        .unwrap();
    assert_eq!(put.status, 200, "the upload takes no token");

    let meta = json!({"filename": file, "data": [
        {"key": "feedbackId", "value": "fb-1"}, {"key": "autoupload", "value": true}],
        "userId": urls["userId"]});
    http.call(
        Method::POST,
        "/clientlogs/api/v1/logs/meta",
        &alice.access_token,
        Some(meta),
    )
    .await
    .ok();

    let listed = http.get("/_emulator/client-logs").await.ok();
    assert_eq!(listed["items"][0]["text"], "line 1\nline 2\n");
    assert_eq!(listed["items"][0]["personId"], alice.id.as_str());
    let logs = emulator.client_logs();
    assert_eq!(logs.len(), 1);
    assert!(logs[0].uploaded);
    assert_eq!(logs[0].meta["feedbackId"], "fb-1");
    assert_eq!(logs[0].meta["autoupload"], true);
}

#[tokio::test]
async fn bad_uploads_are_refused() {
    let (emulator, http) = start().await;
    let token = alice(&emulator).access_token;
    http.send_bytes(
        Method::PUT,
        "/clientlogs/upload/00000000-0000-4000-8000-000000000000",
        &[],
        Bytes::from_static(b"x"),
    )
    .await
    .unwrap()
    .assert_webex_error(404);
    http.call(
        Method::POST,
        "/clientlogs/api/v1/logs/urls",
        &token,
        Some(json!({})),
    )
    .await
    .assert_webex_error(400);
    http.call(
        Method::POST,
        "/clientlogs/api/v1/logs/meta",
        &token,
        Some(json!({"filename": "never.txt", "data": []})),
    )
    .await
    .assert_webex_error(404);
    http.get("/clientlogs/api/v1/logs/urls")
        .await
        .assert_webex_error(405);
}
