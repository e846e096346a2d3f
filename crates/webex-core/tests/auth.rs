//! 401 handling: one refresh, one replay; single-flight across concurrent requests.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Setup, capture_one_request};
use webex_core::credentials::{AccessToken, ProvideToken};
use webex_core::http::{Request, Target};
use webex_core::{ErrorKind, Result, async_trait};
use webex_emulator::Emulator;

/// Starts with a token the emulator does not know; `refresh` hands out the real one.
#[derive(Debug)]
struct Rotating {
    stale: String,
    fresh: String,
    refreshes: Arc<AtomicUsize>,
    /// Hold the refresh until the emulator has seen this many `people/me` requests, so that
    /// every concurrent request provably got its 401 before the token changed.
    hold_until: Option<(Arc<Emulator>, usize)>,
}

#[async_trait]
impl ProvideToken for Rotating {
    async fn token(&self) -> Result<AccessToken> {
        Ok(AccessToken::new(&self.stale))
    }

    async fn refresh(&self) -> Result<Option<AccessToken>> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        if let Some((emulator, wanted)) = &self.hold_until {
            for _ in 0..1000 {
                if emulator.request_count("/v1/people/me") >= *wanted {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        Ok(Some(AccessToken::new(&self.fresh)))
    }
}

fn stale_token(real: &str) -> String {
    // Same shape and org as the real token, unknown to the emulator.
    let (_, rest) = real.split_once('_').unwrap();
    format!("expired0000_{rest}")
}

#[tokio::test]
async fn unauthorized_refreshes_once_and_replays() {
    let setup = Setup::new().await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let webex = setup
        .builder()
        .token_provider(Rotating {
            stale: stale_token(&setup.person.access_token),
            fresh: setup.person.access_token.clone(),
            refreshes: refreshes.clone(),
            hold_until: None,
        })
        .without_catalog()
        .build()
        .await
        .unwrap();
    let me: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        2,
        "401 then the replay"
    );

    // The refreshed token is kept: no more 401s, no more refreshes.
    webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap();
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_401s_cause_exactly_one_refresh() {
    let setup = Setup::new().await;
    let emulator = Arc::new(setup.emulator);
    let refreshes = Arc::new(AtomicUsize::new(0));
    let webex = webex_core::Webex::builder()
        .discovery_base(emulator.base_url())
        .token_provider(Rotating {
            stale: stale_token(&setup.person.access_token),
            fresh: setup.person.access_token.clone(),
            refreshes: refreshes.clone(),
            hold_until: Some((emulator.clone(), 20)),
        })
        .without_catalog()
        .build()
        .await
        .unwrap();
    let calls = (0..20).map(|_| {
        let webex = webex.clone();
        tokio::spawn(async move {
            webex
                .http()
                .send(Request::get(Target::service("hydra", "people/me")))
                .await
        })
    });
    for outcome in futures::future::join_all(calls).await {
        assert_eq!(outcome.unwrap().unwrap().status(), 200);
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(
        emulator.request_count("/v1/people/me"),
        40,
        "20 rejected + 20 replays"
    );
}

#[tokio::test]
async fn a_static_token_that_is_rejected_gives_unauthorized() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(stale_token(&setup.person.access_token))
        .without_catalog()
        .build()
        .await
        .unwrap();
    let err = webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.tracking_id().is_some());
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        1,
        "no replay without refresh"
    );
}

#[tokio::test]
async fn the_token_is_not_sent_to_unknown_hosts() {
    let setup = Setup::new().await;
    let webex = setup.client().await;
    // A host outside the catalog and Webex's domains: like the JS SDK, no token for it.
    let (url, head) = capture_one_request().await;
    let res = webex
        .http()
        .send(Request::get(Target::Url(url)))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let head = head.await.unwrap().to_ascii_lowercase();
    assert!(head.starts_with("get /v1/people/me"), "{head}");
    assert!(head.contains("trackingid: webex-rs_"), "{head}");
    assert!(
        !head.contains("authorization"),
        "token leaked to an unknown host: {head}"
    );

    // A catalog host does get it.
    let url = url::Url::parse(&format!("{}/v1/people/me", setup.emulator.base_url())).unwrap();
    let res = webex
        .http()
        .send(Request::get(Target::Url(url)))
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "catalog hosts get the token");
}

#[tokio::test]
async fn allowed_domains_get_the_token() {
    let setup = Setup::new().await;
    let webex = setup
        .builder()
        .access_token(&setup.person.access_token)
        .configure(|c| c.services.allowed_domains.push("127.0.0.1".into()))
        .build()
        .await
        .unwrap();
    let (url, head) = capture_one_request().await;
    webex
        .http()
        .send(Request::get(Target::Url(url)))
        .await
        .unwrap();
    let head = head.await.unwrap().to_ascii_lowercase();
    assert!(head.contains("authorization: bearer "), "{head}");
}
