//! The Redis token store against a `redis-server` the test starts: tokens round-trip, the
//! refresh lock is exclusive, expires, and is released only by its holder; two clients with
//! separate caches sharing the store refresh an expired token once, across the emulator's
//! rotating refresh tokens.

#![cfg(feature = "redis")]

mod common;
mod redis_server;

use std::sync::Arc;
use std::time::Duration;

use common::{Setup, people_me};
use redis_server::RedisServer;
use webex_auth::{AuthError, AuthEvent, OAuthProvider, RedisTokenStore, TokenStore};
use webex_emulator::NewOAuthClient;

const KEY: &str = "webex:tokens:test";

async fn store(server: &RedisServer) -> RedisTokenStore {
    RedisTokenStore::connect(&server.url(), KEY)
        .await
        .expect("connects to the test's redis-server")
}

#[tokio::test]
async fn tokens_round_trip_and_clear() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let setup = Setup::new(NewOAuthClient::default()).await;
    let tokens = setup.sign_in().await;
    let store = store(&server).await;
    assert_eq!(store.load().await.unwrap(), None);

    store.save(&tokens).await.unwrap();
    let loaded = store.load().await.unwrap().expect("saved tokens");
    assert_eq!(loaded.access_token, tokens.access_token);
    assert_eq!(loaded.refresh_token, tokens.refresh_token);
    let (a, b) = (loaded.expires_at.unwrap(), tokens.expires_at.unwrap());
    assert!((a.max(b) - a.min(b)).as_secs() <= 1);

    // A second connection (another process) sees the same tokens.
    let other = RedisTokenStore::connect(&server.url(), KEY).await.unwrap();
    assert_eq!(
        other.load().await.unwrap().unwrap().access_token,
        tokens.access_token
    );
    let shown = format!("{store:?}");
    assert!(!shown.contains(tokens.access_token.secret()), "{shown}");
    assert!(!shown.contains(&server.url()), "{shown}");

    store.clear().await.unwrap();
    assert_eq!(other.load().await.unwrap(), None);
}

#[tokio::test]
async fn unreadable_tokens_and_unreachable_redis_are_store_errors() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let url = server.url();
    let store = store(&server).await;
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut raw = client.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("SET")
        .arg(KEY)
        .arg("not json")
        .query_async::<()>(&mut raw)
        .await
        .unwrap();
    let unreadable = store.load().await.expect_err("garbage under the key");
    assert!(
        matches!(&unreadable, AuthError::Store(m) if m.contains(KEY)),
        "{unreadable}"
    );

    drop(server);
    let error = RedisTokenStore::connect(&url, KEY)
        .await
        .expect_err("no server");
    assert!(matches!(error, AuthError::Store(_)), "{error}");
    let with_password = url.replace("redis://", "redis://someone:pa55word@");
    let error = RedisTokenStore::connect(&with_password, KEY)
        .await
        .expect_err("no server");
    assert!(
        !format!("{error} {error:?}").contains("pa55word"),
        "{error:?}"
    );
}

#[tokio::test]
async fn tls_to_redis_with_a_private_certificate_authority() {
    let Some(server) = RedisServer::start_tls() else {
        return;
    };
    let setup = Setup::new(NewOAuthClient::default()).await;
    let tokens = setup.sign_in().await;
    let store = RedisTokenStore::connect_with_root_certificates(
        &server.url(),
        KEY,
        &server.authority_pem(),
    )
    .await
    .expect("TLS with the server's certificate trusted");
    store.save(&tokens).await.unwrap();
    assert_eq!(
        store.load().await.unwrap().unwrap().access_token,
        tokens.access_token
    );

    // The system's root certificates do not include the test's authority.
    let error = RedisTokenStore::connect(&server.url(), KEY)
        .await
        .expect_err("untrusted certificate");
    assert!(matches!(error, AuthError::Store(_)), "{error}");
}

#[tokio::test]
async fn the_refresh_lock_is_exclusive_expires_and_is_released_only_by_its_holder() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let (one, two) = (store(&server).await, store(&server).await);

    let held = one
        .lock_refresh(Duration::from_secs(30))
        .await
        .unwrap()
        .expect("Redis has a lock");
    let busy = two
        .lock_refresh(Duration::from_millis(200))
        .await
        .expect_err("taken");
    assert!(matches!(busy, AuthError::Store(_)), "{busy}");
    held.release().await.unwrap();
    let again = two
        .lock_refresh(Duration::from_secs(30))
        .await
        .unwrap()
        .expect("free again");
    again.release().await.unwrap();

    // A holder that never releases (a dead process): the lock expires, another takes it,
    // and the first holder's late release leaves the new holder's lock alone.
    let stale = one
        .lock_refresh(Duration::from_millis(300))
        .await
        .unwrap()
        .unwrap();
    let taken = two
        .lock_refresh(Duration::from_secs(30))
        .await
        .unwrap()
        .expect("taken after expiry");
    stale.release().await.unwrap();
    assert!(
        one.lock_refresh(Duration::from_millis(200)).await.is_err(),
        "the stale holder's release did not free the new holder's lock"
    );
    taken.release().await.unwrap();
}

/// A Redis server and an emulator whose integration rotates refresh tokens.
async fn rotating() -> Option<(RedisServer, Setup)> {
    let server = RedisServer::start()?;
    let setup = Setup::new(NewOAuthClient {
        rotate_refresh_tokens: true,
        ..NewOAuthClient::default()
    })
    .await;
    Some((server, setup))
}

/// Two providers with their own caches on one Redis store, each behind its own client.
async fn two_instances(
    setup: &Setup,
    server: &RedisServer,
) -> [(OAuthProvider, Arc<webex_core::Webex>); 2] {
    let first = OAuthProvider::with_store(setup.client.clone(), store(server).await);
    first.set_tokens(setup.sign_in().await).await.unwrap();
    let second = OAuthProvider::with_store(setup.client.clone(), store(server).await);
    assert_eq!(
        second.tokens().await.unwrap().unwrap().access_token,
        first.tokens().await.unwrap().unwrap().access_token,
        "the second instance reads the first one's sign-in from Redis"
    );
    let mut instances = Vec::new();
    for provider in [first, second] {
        let webex = Arc::new(setup.webex(provider.clone()).await);
        instances.push((provider, webex));
    }
    instances.try_into().expect("two")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_sharing_redis_refresh_an_expired_token_once() {
    let Some((server, setup)) = rotating().await else {
        return;
    };
    let instances = two_instances(&setup, &server).await;
    let old = instances[0].0.tokens().await.unwrap().unwrap();
    let mut events: Vec<_> = instances.iter().map(|(p, _)| p.events()).collect();
    assert!(setup.emulator.expire_token(old.access_token.secret()));

    let calls = (0..20).map(|i| {
        let webex = instances[i % 2].1.clone();
        tokio::spawn(async move { people_me(&webex).await })
    });
    for outcome in futures::future::join_all(calls).await {
        assert_eq!(outcome.unwrap().expect("request succeeds").status(), 200);
    }
    assert_eq!(setup.refreshes(), 1, "exactly one refresh at the emulator");
    let fresh = store(&server).await.load().await.unwrap().unwrap();
    assert_ne!(fresh.refresh_token, old.refresh_token, "rotated");
    for (provider, _) in &instances {
        let held = provider.tokens().await.unwrap().unwrap();
        assert_eq!(
            held.access_token, fresh.access_token,
            "both use Redis's token"
        );
        assert_eq!(held.refresh_token, fresh.refresh_token);
    }

    // The instance that did not refresh refreshes next, with the rotated refresh token.
    let loser = events
        .iter_mut()
        .position(|events| events.try_recv().is_err())
        .expect("one instance did not refresh");
    assert!(setup.emulator.expire_token(fresh.access_token.secret()));
    let (provider, webex) = &instances[loser];
    assert_eq!(people_me(webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 2);
    assert_eq!(events[loser].try_recv().unwrap(), AuthEvent::Refreshed);
    assert!(
        setup
            .emulator
            .oauth_token_requests()
            .iter()
            .all(|request| request.error.is_none()),
        "no stale refresh token reached the broker"
    );
    let newest = provider.tokens().await.unwrap().unwrap();
    assert_ne!(newest.access_token, fresh.access_token);
}

#[tokio::test]
async fn a_lock_left_by_a_dead_process_expires_and_the_waiter_refreshes_itself() {
    let Some((server, setup)) = rotating().await else {
        return;
    };
    let provider = OAuthProvider::with_store(setup.client.clone(), store(&server).await);
    let tokens = setup.sign_in().await;
    provider.set_tokens(tokens.clone()).await.unwrap();
    let webex = setup.webex(provider.clone()).await;
    assert!(setup.emulator.expire_token(tokens.access_token.secret()));

    // A process took the lock and died before refreshing.
    let dead = store(&server).await;
    std::mem::forget(dead.lock_refresh(Duration::from_millis(500)).await.unwrap());

    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(setup.refreshes(), 1);
    assert_ne!(
        provider.tokens().await.unwrap().unwrap().access_token,
        tokens.access_token
    );
}
