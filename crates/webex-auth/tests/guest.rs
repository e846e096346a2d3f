//! Guest JWT login at the emulator's Hydra, and a new login with a fresh JWT when the guest
//! token runs out.

mod common;
mod guest_issuer;

use std::sync::atomic::Ordering;

use guest_issuer::{Issuer, guest_at, refused_login};
use webex_core::credentials::ProvideToken;
use webex_emulator::Emulator;

#[tokio::test]
async fn a_guest_logs_in_and_logs_in_again_after_expiry() {
    let emulator = Emulator::start_default().await.unwrap();
    let (issuer, signed) = Issuer::registered(&emulator);
    let provider = guest_at(&emulator, issuer);
    let first = provider.token().await.unwrap();
    let webex = common::webex_on(&emulator, provider.clone()).await;
    let me: serde_json::Value = common::people_me(&webex).await.unwrap().json().unwrap();
    assert_eq!(me["displayName"], "Grace Guest");
    assert!(!format!("{provider:?}").contains(first.secret()));

    assert!(emulator.expire_token(first.secret()));
    let again: serde_json::Value = common::people_me(&webex).await.unwrap().json().unwrap();
    assert_eq!(again["id"], me["id"], "the same guest");
    // The first login (held by the provider, which the client reused), then one after the 401.
    assert_eq!(signed.load(Ordering::SeqCst), 2, "one JWT per login");
}

#[tokio::test]
async fn a_refused_jwt_is_an_error() {
    let emulator = Emulator::start_default().await.unwrap();
    let provider = guest_at(&emulator, Issuer::forged(&emulator).0);
    let error = provider.token().await.expect_err("bad signature");
    assert!(refused_login(&error), "{error}");
}
