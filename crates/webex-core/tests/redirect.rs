//! `cisco-location` redirects: the SDK asks for them (`cisco-no-http-redirect: true`) and
//! repeats the request at the new location.

mod common;

use common::{Setup, redirect_once};
use webex_core::http::{Request, Target};

/// A client with the person's token that trusts `127.0.0.1`: the redirecting host must be
/// trusted for the first request to carry the token.
async fn trusting_loopback(setup: &Setup) -> webex_core::Webex {
    setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.services.allowed_domains.push("127.0.0.1".into()))
        .build()
        .await
        .unwrap()
}

#[tokio::test]
async fn cisco_location_is_followed_with_the_same_tracking_id() {
    let setup = Setup::new().await;
    let webex = trusting_loopback(&setup).await;
    let target = format!("{}/v1/people/me", setup.emulator.base_url());
    let (first, head) = redirect_once(target.clone()).await;

    let res = webex
        .http()
        .send(Request::get(Target::Url(first)))
        .await
        .unwrap();
    let me: serde_json::Value = res.json().unwrap();
    assert_eq!(
        me["displayName"], "Ada Lovelace",
        "answered by the redirect target"
    );
    assert_eq!(res.url().unwrap().as_str(), target);

    let head = head.await.unwrap().to_ascii_lowercase();
    assert!(head.contains("cisco-no-http-redirect: true"), "{head}");
    let sent_id = head
        .lines()
        .find_map(|l| l.strip_prefix("trackingid: "))
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(
        res.tracking_id().map(str::to_ascii_lowercase),
        Some(sent_id)
    );
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 1);
}

#[tokio::test]
async fn the_token_does_not_follow_a_redirect_to_an_unknown_host() {
    let setup = Setup::new().await;
    let webex = trusting_loopback(&setup).await;
    // A trusted host redirects to one nobody vouched for (`localhost` on another port).
    let (unknown, unknown_head) = common::capture_one_request().await;
    let unknown = format!("http://localhost:{}/v1/people/me", unknown.port().unwrap());
    let (first, first_head) = redirect_once(unknown).await;

    let res = webex
        .http()
        .send(Request::get(Target::Url(first)))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let first_head = first_head.await.unwrap().to_ascii_lowercase();
    assert!(
        first_head.contains("authorization: bearer "),
        "trusted hop: {first_head}"
    );
    let unknown_head = unknown_head.await.unwrap().to_ascii_lowercase();
    assert!(
        unknown_head.starts_with("get /v1/people/me"),
        "{unknown_head}"
    );
    assert!(
        !unknown_head.contains("authorization"),
        "token leaked: {unknown_head}"
    );
}

#[tokio::test]
async fn every_secret_header_is_dropped_on_a_redirect_to_an_unknown_host() {
    let setup = Setup::new().await;
    let webex = trusting_loopback(&setup).await;
    let (unknown, unknown_head) = common::capture_one_request().await;
    let unknown = format!("http://localhost:{}/v1/people/me", unknown.port().unwrap());
    let (first, first_head) = redirect_once(unknown).await;
    let mut plugin_secret = http::HeaderValue::from_static("plugin-s3cret");
    plugin_secret.set_sensitive(true);

    webex
        .http()
        .send(
            Request::get(Target::Url(first))
                .header(
                    http::header::COOKIE,
                    http::HeaderValue::from_static("sid=s3cret"),
                )
                .header(
                    http::HeaderName::from_static("x-plugin-credential"),
                    plugin_secret,
                )
                .header(
                    http::HeaderName::from_static("x-harmless"),
                    http::HeaderValue::from_static("kept"),
                ),
        )
        .await
        .unwrap();
    let first_head = first_head.await.unwrap().to_ascii_lowercase();
    assert!(first_head.contains("cookie: sid=s3cret"), "{first_head}");
    assert!(first_head.contains("x-plugin-credential"), "{first_head}");
    let unknown_head = unknown_head.await.unwrap().to_ascii_lowercase();
    assert!(unknown_head.contains("x-harmless: kept"), "{unknown_head}");
    for secret in ["authorization", "cookie", "x-plugin-credential", "s3cret"] {
        assert!(
            !unknown_head.contains(secret),
            "{secret} leaked: {unknown_head}"
        );
    }
}

#[tokio::test]
async fn a_redirected_request_still_asks_for_cisco_location_redirects() {
    let setup = Setup::new().await;
    let webex = trusting_loopback(&setup).await;
    let target = format!("{}/v1/people/me", setup.emulator.base_url());
    let (second, second_head) = redirect_once(target.clone()).await;
    let (first, _) = redirect_once(second.to_string()).await;

    let res = webex
        .http()
        .send(Request::get(Target::Url(first)))
        .await
        .unwrap();
    assert_eq!(res.url().unwrap().as_str(), target);
    let head = second_head.await.unwrap().to_ascii_lowercase();
    assert!(head.contains("cisco-no-http-redirect: true"), "{head}");
}
