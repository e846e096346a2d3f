//! Every number a client sends is checked: the extremes of JSON and query
//! numbers get a Webex 400 (or are honoured), never a panicking handler
//! (which would drop the connection and fail the request here).

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, person, start};

/// Numbers at and beyond the edges of every integer type a handler may use.
const EXTREMES: [&str; 8] = [
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "-1",
    "0",
    "1e308",
    "4294967296",
];

#[tokio::test]
async fn a_device_ttl_of_u64_max_is_a_400_not_a_panic() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    for ttl in EXTREMES {
        let body: Value =
            serde_json::from_str(&format!(r#"{{"name":"n","deviceType":"WEB","ttl":{ttl}}}"#))
                .expect("JSON");
        let reply = http
            .call(Method::POST, "/wdm/api/v1/devices", a, Some(body))
            .await;
        let message = reply.assert_webex_error(400);
        assert!(message.contains("ttl must be"), "{ttl}: {message}");
    }
    // The longest ttl allowed registers and refreshes; an extreme refresh
    // is refused and leaves the device as it was.
    let device = http
        .call(
            Method::POST,
            "/wdm/api/v1/devices",
            a,
            Some(json!({"name": "n", "deviceType": "WEB", "ttl": 315_360_000u64})),
        )
        .await
        .ok();
    let url = device["url"].as_str().expect("url");
    let refresh = |ttl: Value| http.call(Method::PUT, url, a, Some(json!({ "ttl": ttl })));
    refresh(u64::MAX.into()).await.assert_webex_error(400);
    assert_eq!(refresh(1800.into()).await.ok()["ttl"], 1800);
    assert_eq!(http.call(Method::GET, url, a, None).await.ok()["ttl"], 1800);
}

/// `path?name=value` for every extreme, as `token`; none may fail the
/// connection or answer 5xx.
async fn query_extremes(http: &Http, token: &str, path: &str, name: &str) {
    for value in EXTREMES {
        let separator = if path.contains('?') { '&' } else { '?' };
        let reply = http
            .call(
                Method::GET,
                &format!("{path}{separator}{name}={value}"),
                token,
                None,
            )
            .await;
        assert!(
            reply.status.as_u16() < 500,
            "{path} {name}={value}: {} {:?}",
            reply.status,
            reply.body
        );
    }
}

#[tokio::test]
async fn extreme_query_numbers_never_fail_a_handler() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let room = http
        .call(
            Method::POST,
            "/v1/rooms",
            a,
            Some(json!({"title": "numbers"})),
        )
        .await
        .ok();
    let room_id = room["id"].as_str().expect("id");
    for (path, name) in [
        ("/v1/rooms".to_owned(), "max"),
        ("/v1/people".to_owned(), "max"),
        (format!("/v1/messages?roomId={room_id}"), "max"),
        (format!("/v1/memberships?roomId={room_id}"), "max"),
        ("/v1/teams".to_owned(), "max"),
        ("/v1/webhooks".to_owned(), "max"),
        ("/conversation/api/v1/conversations".to_owned(), "sinceDate"),
        (
            "/conversation/api/v1/conversations".to_owned(),
            "conversationsLimit",
        ),
        (
            "/conversation/api/v1/conversations".to_owned(),
            "participantsLimit",
        ),
        ("/locus/api/v1/loci".to_owned(), "since"),
    ] {
        query_extremes(&http, a, &path, name).await;
    }
}
