//! Guest JWT login at the emulator's Hydra, and a new login with a fresh JWT when the guest
//! token runs out.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{KeyInit, Mac};
use webex_auth::{AuthError, GuestJwt, GuestProvider, Secret};
use webex_core::credentials::ProvideToken;
use webex_emulator::{Emulator, GuestIssuerCredentials, NewGuestIssuer};

/// Signs a guest JWT the way the JS SDK's `createJwt` does; counts how often it was asked.
#[derive(Debug)]
struct Issuer {
    credentials: GuestIssuerCredentials,
    signed: Arc<AtomicUsize>,
}

#[webex_core::async_trait]
impl GuestJwt for Issuer {
    async fn jwt(&self) -> Result<Secret, AuthError> {
        self.signed.fetch_add(1, Ordering::SeqCst);
        let exp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600;
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = serde_json::json!({
            "sub": "guest-1", "name": "Grace Guest", "iss": self.credentials.issuer_id, "exp": exp,
        });
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let key = STANDARD.decode(&self.credentials.secret).unwrap();
        let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key).unwrap();
        mac.update(format!("{header}.{payload}").as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        Ok(Secret::new(format!("{header}.{payload}.{signature}")))
    }
}

#[tokio::test]
async fn a_guest_logs_in_and_logs_in_again_after_expiry() {
    let emulator = Emulator::start_default().await.unwrap();
    let credentials = emulator
        .create_guest_issuer(NewGuestIssuer::default())
        .unwrap();
    let signed = Arc::new(AtomicUsize::new(0));
    let provider = GuestProvider::new(
        &format!("{}/v1", emulator.base_url()),
        Issuer {
            credentials,
            signed: signed.clone(),
        },
    )
    .unwrap();
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
    let mut credentials = emulator
        .create_guest_issuer(NewGuestIssuer::default())
        .unwrap();
    credentials.secret = STANDARD.encode(b"not the issuer's secret");
    let provider = GuestProvider::new(
        &format!("{}/v1", emulator.base_url()),
        Issuer {
            credentials,
            signed: Arc::default(),
        },
    )
    .unwrap();
    let error = provider.token().await.expect_err("bad signature");
    assert!(
        matches!(
            AuthError::find(&error),
            Some(AuthError::TokenEndpoint { status: 401, .. })
        ),
        "{error}"
    );
}
