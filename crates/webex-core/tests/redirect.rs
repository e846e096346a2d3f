//! `cisco-location` redirects: the SDK asks for them (`cisco-no-http-redirect: true`) and
//! repeats the request at the new location.

mod common;

use common::{Setup, redirect_once};
use webex_core::http::{Request, Target};

#[tokio::test]
async fn cisco_location_is_followed_with_the_same_tracking_id() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        // The redirecting host must be trusted for the first request to carry the token.
        .configure(|c| c.services.allowed_domains.push("127.0.0.1".into()))
        .build()
        .await
        .unwrap();
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
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.services.allowed_domains.push("127.0.0.1".into()))
        .build()
        .await
        .unwrap();
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
