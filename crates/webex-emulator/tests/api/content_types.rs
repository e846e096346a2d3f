//! JSON endpoints take JSON only: a body sent as `text/plain` or without a
//! `Content-Type` gets Webex's 415 Unsupported Media Type, as real clients'
//! `application/json` (with or without a charset) keeps working.

use bytes::Bytes;
use hyper::Method;
use serde_json::json;
use webex_emulator::PersonType;

use crate::client::{Http, Reply, person, start};

/// `method path` as `token` with `body` and, if given, `content_type`.
async fn send(
    http: &Http,
    method: Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    body: &str,
) -> Reply {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("authorization", auth.as_str())];
    headers.extend(content_type.map(|value| ("content-type", value)));
    http.send_bytes(method, path, &headers, Bytes::from(body.to_owned()))
        .await
        .expect("request")
}

#[tokio::test]
async fn text_plain_and_missing_content_types_get_webex_415() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    let room = r#"{"title":"typed"}"#;
    let device = r#"{"name":"n","deviceType":"WEB"}"#;
    for (method, path, body) in [
        (Method::POST, "/v1/rooms", room),
        (Method::POST, "/v1/teams", room),
        (
            Method::POST,
            "/v1/messages",
            r#"{"toPersonEmail":"bob@example.com","text":"x"}"#,
        ),
        (Method::POST, "/wdm/api/v1/devices", device),
        (
            Method::POST,
            "/v1/webhooks",
            r#"{"name":"h","targetUrl":"http://127.0.0.1:9/","resource":"messages","event":"created"}"#,
        ),
    ] {
        for content_type in [Some("text/plain"), Some("text/plain;charset=UTF-8"), None] {
            let reply = send(&http, method.clone(), path, a, content_type, body).await;
            let message = reply.assert_webex_error(415);
            assert!(
                message.contains("Content type"),
                "{path} {content_type:?}: {message}"
            );
        }
    }
    // Nothing was created by the refused requests.
    let rooms = http.call(Method::GET, "/v1/rooms", a, None).await.ok();
    assert_eq!(rooms["items"], json!([]));
}

#[tokio::test]
async fn json_with_or_without_a_charset_is_accepted() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let a = &alice.access_token;
    for content_type in [
        "application/json",
        "application/json;charset=utf-8",
        "Application/JSON; charset=UTF-8",
    ] {
        let reply = send(
            &http,
            Method::POST,
            "/v1/rooms",
            a,
            Some(content_type),
            r#"{"title":"typed"}"#,
        )
        .await;
        assert_eq!(
            reply.status.as_u16(),
            200,
            "{content_type}: {:?}",
            reply.body
        );
    }
    // An empty body needs no type: it gets the 400 naming what is missing.
    let reply = send(&http, Method::POST, "/v1/rooms", a, None, "").await;
    reply.assert_webex_error(400);
}
