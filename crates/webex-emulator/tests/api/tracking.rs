//! Tracking ids, unknown routes and shutdown (CORS is in `cors.rs`).

use hyper::Method;

use crate::client::{Http, start};

#[tokio::test]
async fn tracking_ids_are_echoed_or_generated() {
    let (_emulator, http) = start().await;
    let reply = http
        .send(
            Method::GET,
            "/_emulator/health",
            &[("trackingid", "webex-js-sdk_abc_1")],
            None,
        )
        .await
        .unwrap();
    assert_eq!(reply.header("trackingid"), Some("webex-js-sdk_abc_1"));

    let generated = http.get("/_emulator/health").await;
    let id = generated.header("trackingid").unwrap();
    assert!(id.starts_with("EMULATOR_"), "{id}");
    assert_ne!(
        http.get("/_emulator/health").await.header("trackingid"),
        Some(id)
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_are_webex_errors() {
    let (_emulator, http) = start().await;
    let reply = http
        .send(
            Method::GET,
            "/v1/nothing/here",
            &[("TRACKINGID", "mine")],
            None,
        )
        .await
        .unwrap();
    reply.assert_webex_error(404);
    assert_eq!(reply.json()["trackingId"], "mine");

    // A known path with the wrong method.
    http.delete("/_emulator/health")
        .await
        .assert_webex_error(405);
    http.post("/v1/people/me", "{}")
        .await
        .assert_webex_error(405);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let (emulator, http) = start().await;
    assert_eq!(http.get("/_emulator/health").await.status, 200);
    let base = emulator.base_url();
    emulator.shutdown().await;
    let fresh = Http::for_base(base);
    let result = fresh
        .send(Method::GET, "/_emulator/health", &[], None)
        .await;
    assert!(result.is_err(), "{result:?}");
}
