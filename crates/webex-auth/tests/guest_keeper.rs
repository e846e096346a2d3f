//! The guest provider shares the OAuth provider's machinery: its token survives a restart
//! in a store, a refused login is remembered briefly, and the login has a timeout.

mod common;
mod guest_issuer;

use std::sync::atomic::Ordering;
use std::time::Duration;

use guest_issuer::{Issuer, guest_at, refused_login};
use webex_auth::{AuthError, FileTokenStore, GuestJwt, RefreshPolicy, Secret};
use webex_core::credentials::ProvideToken;
use webex_emulator::{Emulator, NewGuestIssuer};

#[tokio::test]
async fn a_restarted_guest_provider_reuses_the_stored_token() {
    let emulator = Emulator::start_default().await.unwrap();
    let credentials = emulator
        .create_guest_issuer(NewGuestIssuer::default())
        .unwrap();
    let dir = std::env::temp_dir().join(format!(
        "webex-auth-guest-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("guest.json");

    let (issuer, signed) = Issuer::counted(credentials.clone());
    let first = guest_at(&emulator, issuer).with_store(FileTokenStore::new(&path));
    let token = first.token().await.unwrap();
    assert_eq!(signed.load(Ordering::SeqCst), 1);

    let (issuer, signed_again) = Issuer::counted(credentials);
    let restarted = guest_at(&emulator, issuer).with_store(FileTokenStore::new(&path));
    assert_eq!(restarted.token().await.unwrap(), token, "the stored token");
    assert_eq!(signed_again.load(Ordering::SeqCst), 0, "no new login");
    let webex = common::webex_on(&emulator, restarted).await;
    assert_eq!(common::people_me(&webex).await.unwrap().status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_refused_login_is_remembered_briefly() {
    let emulator = Emulator::start_default().await.unwrap();
    let (issuer, signed) = Issuer::forged(&emulator);
    let provider = guest_at(&emulator, issuer).with_policy(RefreshPolicy {
        failure_memory: Duration::from_secs(30),
        ..RefreshPolicy::default()
    });

    for _ in 0..3 {
        let error = provider.token().await.expect_err("bad signature");
        assert!(refused_login(&error), "{error}");
    }
    assert_eq!(
        signed.load(Ordering::SeqCst),
        1,
        "one login for three calls"
    );
    assert_eq!(emulator.request_count("/v1/jwt/login"), 1);

    tokio::time::advance(Duration::from_secs(31)).await;
    assert!(provider.token().await.is_err());
    assert_eq!(
        signed.load(Ordering::SeqCst),
        2,
        "tried again once forgotten"
    );
}

/// A JWT source that never answers (a backend that hangs).
#[derive(Debug)]
struct Hanging;

#[webex_core::async_trait]
impl GuestJwt for Hanging {
    async fn jwt(&self) -> Result<Secret, AuthError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn the_guest_login_times_out() {
    let emulator = Emulator::start_default().await.unwrap();
    let provider = guest_at(&emulator, Hanging).with_timeout(Duration::from_secs(5));
    let error = provider.token().await.expect_err("no JWT in time");
    assert_eq!(
        AuthError::find(&error),
        Some(&AuthError::Timeout(Duration::from_secs(5)))
    );
}
