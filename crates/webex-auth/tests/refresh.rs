//! The OAuth provider against the emulator's identity broker: single-flight refresh on 401,
//! refresh before expiry, a dead refresh token, failure memory and the refresh timeout.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Setup, people_me};
use webex_auth::{AuthError, AuthEvent, OAuthProvider, RefreshPolicy};
use webex_emulator::{Fault, NewOAuthClient, RefreshTokenError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_requests_with_an_expired_token_cause_one_refresh() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let provider = setup.provider().await;
    let old = provider.tokens().await.unwrap().unwrap().access_token;
    let webex = Arc::new(setup.webex(provider.clone()).await);
    assert!(setup.emulator.expire_token(old.secret()));

    let calls = (0..50).map(|_| {
        let webex = webex.clone();
        tokio::spawn(async move { people_me(&webex).await })
    });
    for outcome in futures::future::join_all(calls).await {
        assert_eq!(outcome.unwrap().expect("request succeeds").status(), 200);
    }
    assert_eq!(setup.refreshes(), 1, "exactly one refresh at the broker");
    let new = provider.tokens().await.unwrap().unwrap().access_token;
    assert_ne!(new, old);
}

// The paused clock also moves on its own while the runtime waits for the emulator's sockets
// (to the next timer, such as a request timeout), so the steps leave wide gaps around the
// due time rather than counting seconds.
#[tokio::test(start_paused = true)]
async fn refreshes_shortly_before_expiry_without_a_401() {
    let setup = Setup::new(NewOAuthClient {
        access_token_lifetime_secs: Some(36_000),
        ..NewOAuthClient::default()
    })
    .await;
    let provider = setup.provider().await.with_policy(RefreshPolicy {
        margin: Duration::from_secs(6_000),
        ..RefreshPolicy::default()
    });
    let webex = setup.webex(provider).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 0);

    tokio::time::advance(Duration::from_secs(25_000)).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 0, "not due yet");

    tokio::time::advance(Duration::from_secs(7_000)).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 1, "due 6,000 s before expiry");
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        3,
        "no request was rejected"
    );

    // The new token lives 36,000 s again: past the old expiry, no refresh and no 401.
    tokio::time::advance(Duration::from_secs(10_000)).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 1);
    assert_eq!(setup.emulator.request_count("/v1/people/me"), 4);
}

async fn dead_refresh_token_is_final(answer: RefreshTokenError) {
    let setup = Setup::new(NewOAuthClient {
        refresh_token_error: answer,
        ..NewOAuthClient::default()
    })
    .await;
    let provider = setup.provider().await;
    let mut events = provider.events();
    let tokens = provider.tokens().await.unwrap().unwrap();
    let webex = setup.webex(provider).await;
    assert!(setup.emulator.expire_token(tokens.access_token.secret()));
    assert!(
        setup
            .emulator
            .expire_token(tokens.refresh_token.as_ref().unwrap().expose())
    );

    for _ in 0..3 {
        let error = people_me(&webex).await.expect_err("no valid token");
        assert!(AuthError::is_reauthorization_required(&error), "{error}");
    }
    assert_eq!(setup.refreshes(), 1, "no retry after the broker refused");
    assert_eq!(
        events.recv().await.unwrap(),
        AuthEvent::ReauthorizationRequired
    );
    assert!(events.try_recv().is_err(), "the event is sent once");
}

#[tokio::test]
async fn invalid_grant_requires_reauthorization_once() {
    dead_refresh_token_is_final(RefreshTokenError::InvalidGrant).await;
}

#[tokio::test]
async fn invalid_request_requires_reauthorization_once() {
    dead_refresh_token_is_final(RefreshTokenError::InvalidRequest).await;
}

fn token_endpoint_fault(status: u16, delay_ms: Option<u64>) -> Fault {
    Fault {
        status: Some(status),
        count: 1,
        path_prefix: Some("/idb/oauth2/v1/access_token".into()),
        delay_ms,
        ..Fault::default()
    }
}

#[tokio::test(start_paused = true)]
async fn a_failed_refresh_is_remembered_briefly() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let provider = setup.provider().await.with_policy(RefreshPolicy {
        failure_memory: Duration::from_secs(30),
        ..RefreshPolicy::default()
    });
    let tokens = provider.tokens().await.unwrap().unwrap();
    let webex = setup.webex(provider).await;
    assert!(setup.emulator.expire_token(tokens.access_token.secret()));
    setup.emulator.add_fault(token_endpoint_fault(503, None));

    for _ in 0..3 {
        let error = people_me(&webex).await.expect_err("refresh failed");
        assert!(!AuthError::is_reauthorization_required(&error), "{error}");
        assert!(matches!(
            AuthError::find(&error),
            Some(AuthError::TokenEndpoint { status: 503, .. })
        ));
    }
    assert_eq!(
        setup.emulator.request_count("/idb/oauth2/v1/access_token"),
        2,
        "the sign-in, then one failed refresh for three requests"
    );

    tokio::time::advance(Duration::from_secs(31)).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_refresh_call_times_out() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let client = setup.client.clone().with_timeout(Duration::from_secs(5));
    let tokens = setup.sign_in().await;
    let provider = OAuthProvider::new(client);
    provider.set_tokens(tokens.clone()).await.unwrap();
    let webex = setup.webex(provider).await;
    assert!(setup.emulator.expire_token(tokens.access_token.secret()));
    setup
        .emulator
        .add_fault(token_endpoint_fault(200, Some(3_600_000)));

    let error = people_me(&webex).await.expect_err("refresh timed out");
    assert_eq!(
        AuthError::find(&error),
        Some(&AuthError::Timeout(Duration::from_secs(5)))
    );
}
