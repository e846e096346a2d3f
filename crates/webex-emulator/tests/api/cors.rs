//! CORS: preflights for the JS SDK's headers from any origin, and the
//! response headers a page reads exposed by name (`docs/protocol/http.md`).

use hyper::Method;
use serde_json::json;
use webex_emulator::{Fault, RetryAfterValue};

use crate::client::{Http, Reply, alice, start};

/// A page's origin on another port than the emulator's.
const ORIGIN: &str = "http://localhost:9";

/// The request headers the JS SDK's browser build sets on its calls
/// (tracking id, user agent, token, redirect opt-out, device URL, the
/// catalog's pre-login user id, the upload's transaction id).
const SDK_HEADERS: [&str; 8] = [
    "authorization",
    "trackingid",
    "content-type",
    "spark-user-agent",
    "cisco-no-http-redirect",
    "cisco-device-url",
    "x-prelogin-userid",
    "x-trans-id",
];

/// The response headers a page must be able to read.
const READ_BY_PAGES: [&str; 3] = ["trackingid", "link", "retry-after"];

/// A preflight for `method` on `path` asking for `headers`.
async fn preflight(http: &Http, method: &str, path: &str, headers: &str) -> Reply {
    http.send(
        Method::OPTIONS,
        path,
        &[
            ("origin", ORIGIN),
            ("access-control-request-method", method),
            ("access-control-request-headers", headers),
        ],
        None,
    )
    .await
    .expect("preflight")
}

/// A `GET` as `token` from a page on [`ORIGIN`].
async fn get_from_page(http: &Http, path: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    http.send(
        Method::GET,
        path,
        &[("origin", ORIGIN), ("authorization", &auth)],
        None,
    )
    .await
    .expect("GET")
}

/// The comma-separated names of a header, lower-cased.
fn names(reply: &Reply, header: &str) -> Vec<String> {
    reply
        .header(header)
        .unwrap_or_default()
        .split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Asserts that a response to a request from [`ORIGIN`] lets the page read
/// it and the headers it needs, by name.
fn assert_readable(reply: &Reply) {
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some(ORIGIN),
        "{reply:?}"
    );
    assert_eq!(reply.header("access-control-allow-credentials"), None);
    let exposed = names(reply, "access-control-expose-headers");
    assert!(!exposed.contains(&"*".to_owned()), "{exposed:?}");
    for name in READ_BY_PAGES {
        assert!(exposed.contains(&name.to_owned()), "{name} in {exposed:?}");
    }
}

#[tokio::test]
async fn preflights_allow_the_sdk_headers_for_every_method_from_any_origin() {
    let (emulator, http) = start().await;
    let requested = SDK_HEADERS.join(",");
    for (method, path) in [
        ("GET", "/v1/rooms"),
        ("POST", "/v1/messages"),
        ("PUT", "/v1/rooms/some-id"),
        ("PATCH", "/locus/api/v1/loci/some-id/controls"),
        ("DELETE", "/wdm/api/v1/devices/some-id"),
    ] {
        let reply = preflight(&http, method, path, &requested).await;
        assert!(reply.status.is_success(), "{method} {path}: {reply:?}");
        assert_eq!(reply.header("access-control-allow-origin"), Some(ORIGIN));
        assert!(
            names(&reply, "access-control-allow-methods").contains(&method.to_ascii_lowercase()),
            "{method}: {reply:?}"
        );
        let allowed = names(&reply, "access-control-allow-headers");
        for header in SDK_HEADERS {
            assert!(
                allowed.contains(&header.to_owned()),
                "{header} in {allowed:?}"
            );
        }
        assert!(
            reply.header("access-control-max-age").is_some(),
            "{reply:?}"
        );
        assert_eq!(reply.header("access-control-allow-credentials"), None);
        let vary = names(&reply, "vary");
        assert!(vary.contains(&"origin".to_owned()), "{vary:?}");
    }
    // Answered before the request log and faults: not counted, never faulted.
    assert_eq!(emulator.request_count("/v1/rooms"), 0);
    emulator.add_fault(Fault {
        status: Some(500),
        ..Fault::default()
    });
    let reply = preflight(&http, "GET", "/v1/people/me", "authorization").await;
    assert!(reply.status.is_success(), "{reply:?}");
    assert_eq!(
        http.get("/u2c/api/v1/limited/catalog?orgId=x").await.status,
        500,
        "the fault was still there for the next real request"
    );
}

#[tokio::test]
async fn any_header_a_page_asks_for_is_allowed() {
    let (_emulator, http) = start().await;
    let reply = preflight(&http, "POST", "/v1/messages", "x-my-app,cisco-anything").await;
    assert!(reply.status.is_success(), "{reply:?}");
    let allowed = names(&reply, "access-control-allow-headers");
    assert_eq!(allowed, ["x-my-app", "cisco-anything"]);
}

#[tokio::test]
async fn responses_expose_tracking_id_link_and_retry_after_by_name() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    for title in ["one", "two"] {
        http.call(
            Method::POST,
            "/v1/rooms",
            &alice.access_token,
            Some(json!({"title": title})),
        )
        .await
        .ok();
    }
    let page = get_from_page(&http, "/v1/rooms?max=1", &alice.access_token).await;
    page.ok();
    assert_readable(&page);
    assert!(page.header("link").is_some(), "{page:?}");
    assert!(page.header("trackingid").is_some(), "{page:?}");

    // An error answered by a fault is readable too: a page sees the 429 and
    // its Retry-After, not a network error.
    emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(3)),
        ..Fault::default()
    });
    let limited = get_from_page(&http, "/v1/people/me", &alice.access_token).await;
    limited.assert_webex_error(429);
    assert_readable(&limited);
    assert_eq!(limited.header("retry-after"), Some("3"));
}

#[tokio::test]
async fn a_public_page_may_call_the_emulator_on_a_private_address() {
    let (_emulator, http) = start().await;
    let reply = http
        .send(
            Method::OPTIONS,
            "/v1/people/me",
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
                ("access-control-request-private-network", "true"),
            ],
            None,
        )
        .await
        .unwrap();
    assert!(reply.status.is_success(), "{reply:?}");
    assert_eq!(
        reply.header("access-control-allow-private-network"),
        Some("true")
    );
}

#[tokio::test]
async fn requests_without_an_origin_get_no_cors_headers() {
    let (_emulator, http) = start().await;
    let reply = http.get("/_emulator/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn browsers_may_call_from_any_origin() {
    let (_emulator, http) = start().await;
    let preflight = preflight(
        &http,
        "POST",
        "/wdm/api/v1/devices",
        "authorization,content-type,trackingid",
    )
    .await;
    assert!(preflight.status.is_success(), "{preflight:?}");
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(ORIGIN)
    );
    let headers = preflight.header("access-control-allow-headers").unwrap();
    assert!(headers.contains("authorization"), "{headers}");
    let get = http
        .send(
            Method::GET,
            "/_emulator/health",
            &[("origin", ORIGIN)],
            None,
        )
        .await
        .unwrap();
    assert_readable(&get);
}
