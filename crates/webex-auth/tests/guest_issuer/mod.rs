//! A guest issuer for tests: signs guest JWTs with the emulator's issuer secret.

#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{KeyInit, Mac};
use webex_auth::{AuthError, GuestJwt, GuestProvider, Secret};
use webex_emulator::{Emulator, GuestIssuerCredentials};

/// Signs a guest JWT the way the JS SDK's `createJwt` does; counts how often it was asked.
#[derive(Debug)]
pub struct Issuer {
    pub credentials: GuestIssuerCredentials,
    pub signed: Arc<AtomicUsize>,
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

impl Issuer {
    /// An issuer registered at `emulator`, and its count of signed JWTs.
    pub fn registered(emulator: &Emulator) -> (Self, Arc<AtomicUsize>) {
        Self::counted(
            emulator
                .create_guest_issuer(webex_emulator::NewGuestIssuer::default())
                .expect("guest issuer registered"),
        )
    }

    /// An issuer of `emulator` signing with the wrong secret, and its count.
    pub fn forged(emulator: &Emulator) -> (Self, Arc<AtomicUsize>) {
        let (mut issuer, signed) = Self::registered(emulator);
        issuer.credentials.secret = STANDARD.encode(b"not the issuer's secret");
        (issuer, signed)
    }

    /// An issuer with `credentials`, and its count of signed JWTs.
    pub fn counted(credentials: GuestIssuerCredentials) -> (Self, Arc<AtomicUsize>) {
        let signed = Arc::new(AtomicUsize::new(0));
        let issuer = Self {
            credentials,
            signed: signed.clone(),
        };
        (issuer, signed)
    }
}

/// A guest provider logging in at `emulator`'s Hydra with JWTs from `source`.
pub fn guest_at(emulator: &Emulator, source: impl GuestJwt) -> GuestProvider {
    GuestProvider::new(&format!("{}/v1", emulator.base_url()), source).expect("loopback hydra")
}

/// Whether `error` is Hydra refusing a guest login (a 401).
pub fn refused_login(error: &webex_core::Error) -> bool {
    matches!(
        AuthError::find(error),
        Some(AuthError::TokenEndpoint { status: 401, .. })
    )
}
