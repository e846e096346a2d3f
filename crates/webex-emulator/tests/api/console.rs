//! The chat page's side of the admin API: the page and its assets, the
//! people list, and the request log (recent list and live stream).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use webex_emulator::{Fault, PersonType, RetryAfterValue};

use crate::client::{Http, alice, person, start};

/// The page, its style sheet and every script module it loads (`app.js`
/// and what it imports, followed transitively), with the type each must be
/// served with.
async fn assets(http: &Http) -> Vec<(String, &'static str)> {
    let mut files = vec![
        ("/_emulator/".to_owned(), "text/html; charset=utf-8"),
        (
            "/_emulator/console/app.css".to_owned(),
            "text/css; charset=utf-8",
        ),
    ];
    let mut scripts = vec!["app.js".to_owned()];
    let mut at = 0;
    while let Some(name) = scripts.get(at).cloned() {
        at += 1;
        let path = format!("/_emulator/console/{name}");
        for imported in imports(&text(http, &path).await) {
            if !scripts.contains(&imported) {
                scripts.push(imported);
            }
        }
        files.push((path, "text/javascript; charset=utf-8"));
    }
    files
}

/// The modules a script imports (`from './x.js'`).
fn imports(script: &str) -> Vec<String> {
    script
        .split("from './")
        .skip(1)
        .filter_map(|rest| rest.split_once('\'').map(|(name, _)| name.to_owned()))
        .collect()
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_their_types_and_not_logged() {
    let (emulator, http) = start().await;
    let assets = assets(&http).await;
    assert!(assets.len() > 10, "{assets:?}");
    for (path, content_type) in assets
        .iter()
        .chain(&[("/_emulator".to_owned(), assets[0].1)])
    {
        let reply = http.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(*content_type), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(!reply.body.is_empty());
    }
    let page = text(&http, "/_emulator").await;
    assert_eq!(page, text(&http, "/_emulator/").await);
    assert!(page.contains(r#"<script type="module" src="/_emulator/console/app.js">"#));
    assert!(page.contains(r#"href="/_emulator/console/app.css""#));
    let missing = http.get("/_emulator/console/nothing.js").await;
    assert!(missing.assert_webex_error(404).contains("nothing.js"));
    // Admin paths: the page loads without touching what tests measure.
    assert_eq!(emulator.request_count(""), 0);
    assert!(emulator.recent_requests().is_empty());
}

#[tokio::test]
async fn the_page_references_no_external_url() {
    let (_emulator, http) = start().await;
    for (path, _) in assets(&http).await {
        let body = text(&http, &path).await;
        // The only scheme written anywhere is the one inside Hydra ids,
        // which is decoded, never fetched.
        for (at, _) in body.match_indices("://") {
            assert!(
                body[..at].ends_with("ciscospark"),
                "{path} names a URL: {}",
                &body[at.saturating_sub(30)..(at + 30).min(body.len())]
            );
        }
        for attribute in ["src=\"", "href=\"", "url("] {
            for (at, _) in body.match_indices(attribute) {
                let value = &body[at + attribute.len()..];
                assert!(
                    value.starts_with("/_emulator/") || value.starts_with("data:"),
                    "{path}: {attribute}{}",
                    &value[..value.len().min(40)]
                );
            }
        }
        // Modules import only their siblings.
        for (at, _) in body.match_indices(" from '") {
            assert!(
                body[at..].starts_with(" from './"),
                "{path}: {}",
                &body[at..at + 30]
            );
        }
        assert!(
            !body.contains("@import") && !body.contains("import("),
            "{path}"
        );
    }
}

#[tokio::test]
async fn every_element_the_scripts_look_up_is_on_the_page() {
    let (_emulator, http) = start().await;
    let page = text(&http, "/_emulator/").await;
    let mut ids = Vec::new();
    for (path, content_type) in assets(&http).await {
        if content_type.starts_with("text/javascript") {
            let script = text(&http, &path).await;
            ids.extend(
                script
                    .split("$('")
                    .skip(1)
                    .filter_map(|rest| rest.split_once("')").map(|(id, _)| id.to_owned())),
            );
        }
    }
    assert!(ids.len() > 20, "the scripts look up {ids:?}");
    for id in ids {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "no #{id} on the page"
        );
    }
}

#[tokio::test]
async fn the_people_list_has_everyone_with_a_token_acting_for_them() {
    let (emulator, http) = start().await;
    let ada = alice(&emulator);
    let bot = person(&emulator, "helper@webex.bot", PersonType::Bot);

    let listed = http.get("/_emulator/people").await.ok();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0],
        json!({
            "id": ada.id,
            "displayName": "Alice Example",
            "emails": ["alice@example.com"],
            "type": "person",
            "orgId": ada.org_id,
            "accessToken": ada.access_token,
        })
    );
    assert_eq!(items[1]["id"], bot.id.as_str());
    assert_eq!(items[1]["type"], "bot");
    // The listed token acts for its person.
    let token = items[1]["accessToken"].as_str().unwrap();
    let me = http.get_auth("/v1/people/me", token).await.ok();
    assert_eq!(me["id"], bot.id.as_str());
    // The Rust door answers the same.
    assert_eq!(
        serde_json::to_value(emulator.people()).unwrap(),
        listed["items"]
    );
}

#[tokio::test]
async fn recent_requests_have_method_path_status_tracking_id_and_duration() {
    let (emulator, http) = start().await;
    let ada = alice(&emulator);
    let auth = format!("Bearer {}", ada.access_token);
    http.send(
        Method::GET,
        "/v1/people/me",
        &[("authorization", &auth), ("trackingid", "CHAT_1")],
        None,
    )
    .await
    .unwrap();
    emulator.add_fault(Fault {
        status: Some(429),
        retry_after: Some(RetryAfterValue::Seconds(2)),
        path_prefix: Some("/v1/rooms".to_owned()),
        ..Fault::default()
    });
    let limited = http
        .get_auth(
            &format!("/v1/rooms?max=1&access_token={}", ada.access_token),
            &ada.access_token,
        )
        .await;
    assert_eq!(limited.status, 429);
    http.get("/_emulator/health").await;

    let recent = http.get("/_emulator/requests/recent").await.ok();
    let items = recent["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "admin requests are not logged: {items:?}");
    let first = &items[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/v1/people/me");
    assert_eq!(first["status"], 200);
    assert_eq!(first["trackingId"], "CHAT_1");
    assert_eq!(first["seq"], 1);
    assert!(first["durationMs"].as_f64().unwrap() >= 0.0);
    assert!(first["time"].as_str().unwrap().ends_with('Z'));
    // Newest last; faulted requests are there with the fault's status; the
    // query string (here with a token in it) is not.
    let second = &items[1];
    assert_eq!(second["path"], "/v1/rooms");
    assert_eq!(second["status"], 429);
    assert_eq!(second["seq"], 2);
    assert_eq!(second["trackingId"], limited.header("trackingid").unwrap());
    assert!(!recent.to_string().contains(&ada.access_token));
    assert_eq!(
        serde_json::to_value(emulator.recent_requests()).unwrap(),
        recent["items"]
    );
}

#[tokio::test]
async fn the_recent_list_keeps_the_last_500() {
    let (emulator, http) = start().await;
    for n in 0..505 {
        assert_eq!(http.get(&format!("/v1/unknown/{n}")).await.status, 404);
    }
    let recent = emulator.recent_requests();
    assert_eq!(recent.len(), 500);
    assert_eq!(recent[0].seq, 6);
    assert_eq!(recent[0].path, "/v1/unknown/5");
    assert_eq!(recent[499].path, "/v1/unknown/504");
    // The per-path counts are not bounded by the ring.
    assert_eq!(emulator.request_count("/v1/unknown/"), 505);
}

#[tokio::test]
async fn the_request_stream_pushes_each_answered_request_and_ends_with_the_emulator() {
    let (emulator, http) = start().await;
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let request = Request::get(format!("{}/_emulator/requests/stream", emulator.base_url()))
        .body(Empty::new())
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut body = response.into_body();

    http.get("/v1/people/me").await;
    let mut received = String::new();
    let event = loop {
        let frame = guard(body.frame()).await.expect("an event").unwrap();
        if let Ok(data) = frame.into_data() {
            received.push_str(std::str::from_utf8(&data).unwrap());
        }
        if let Some(event) = sse_event(&received, "request") {
            break event;
        }
    };
    assert_eq!(event["path"], "/v1/people/me");
    assert_eq!(event["status"], 401);
    assert_eq!(event["seq"], 1);

    emulator.shutdown().await;
    while let Some(frame) = guard(body.frame()).await {
        assert!(frame.is_ok(), "the stream ends cleanly: {frame:?}");
    }
}

/// The data of the first complete server-sent event named `name`.
fn sse_event(stream: &str, name: &str) -> Option<Value> {
    stream.split("\n\n").find_map(|block| {
        if !block.lines().any(|line| line == format!("event: {name}")) {
            return None;
        }
        let data = block.lines().find_map(|line| line.strip_prefix("data: "))?;
        serde_json::from_str(data).ok()
    })
}

/// Fails a test that would otherwise hang (no timing is asserted).
async fn guard<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("no answer within 30 s")
}

/// A GET's body as text, checking it succeeded.
async fn text(http: &Http, path: &str) -> String {
    let reply = http.get(path).await;
    assert_eq!(reply.status, 200, "{path}");
    String::from_utf8(reply.body.to_vec()).unwrap()
}
