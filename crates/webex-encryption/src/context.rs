//! The ECDHE context: the client's ephemeral P-256 key, and the AES-256 key it shares with
//! KMS once KMS answered with its own (`HKDF-SHA256` of the ECDH secret, as node-jose's
//! `ECDH-HKDF`: 32 zero bytes of salt, no info, 32 bytes out).

use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::{PublicKey, SecretKey};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::time::Instant;

use crate::error::KmsError;
use crate::jose::{self, encode};

/// The client's half of a handshake.
pub(crate) struct EphemeralKey {
    secret: SecretKey,
}

impl EphemeralKey {
    /// A fresh P-256 key.
    pub(crate) fn generate() -> Result<Self, KmsError> {
        // A random 256-bit string is a valid scalar but for a negligible few; draw again then.
        for _ in 0..8 {
            if let Ok(secret) = SecretKey::from_slice(&jose::random::<32>()?) {
                return Ok(Self { secret });
            }
        }
        Err(KmsError::Setup("could not draw a P-256 key".into()))
    }

    /// The public key as the JWK the ECDHE request carries.
    pub(crate) fn public_jwk(&self) -> Value {
        let point = self.secret.public_key().to_sec1_point(false);
        let x = point.x().map(|x| encode(x)).unwrap_or_default();
        let y = point.y().map(|y| encode(y)).unwrap_or_default();
        json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": uuid::Uuid::new_v4().to_string()})
    }

    /// The key shared with the holder of `server` (KMS's EC public JWK).
    pub(crate) fn derive(&self, server: &Value) -> Result<[u8; 32], KmsError> {
        #[derive(Deserialize)]
        struct EcJwk {
            kty: String,
            crv: String,
            x: String,
            y: String,
        }
        let bad = |what: &str| KmsError::Malformed(format!("the KMS ECDHE key: {what}"));
        let jwk: EcJwk =
            serde_json::from_value(server.clone()).map_err(|_| bad("not an EC JWK"))?;
        if jwk.kty != "EC" || jwk.crv != "P-256" {
            return Err(bad("not a P-256 key"));
        }
        let coordinate = |c: &str| -> Result<Vec<u8>, KmsError> {
            let bytes =
                base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, c)
                    .map_err(|_| bad("a coordinate is not base64url"))?;
            (bytes.len() == 32)
                .then_some(bytes)
                .ok_or_else(|| bad("a coordinate is not 32 bytes"))
        };
        let mut sec1 = vec![4u8];
        sec1.extend(coordinate(&jwk.x)?);
        sec1.extend(coordinate(&jwk.y)?);
        let server = PublicKey::from_sec1_bytes(&sec1).map_err(|_| bad("not on the curve"))?;
        let shared =
            p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), server.as_affine());
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&[0u8; 32]), shared.raw_secret_bytes())
            .expand(&[], &mut key)
            .map_err(|_| bad("HKDF failed"))?;
        Ok(key)
    }
}

/// A negotiated context: the ECDHE key's URI (the `kid` of every JWE under it) and the key.
pub(crate) struct Context {
    pub(crate) uri: String,
    pub(crate) key: [u8; 32],
    /// When to stop using it (the key's `expirationDate` less the margin); `None`: no date.
    pub(crate) renew_at: Option<Instant>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("uri", &self.uri)
            .field("renew_at", &self.renew_at)
            .finish_non_exhaustive()
    }
}

impl Context {
    /// Whether it is still to be used at `now`.
    pub(crate) fn usable(&self, now: Instant) -> bool {
        self.renew_at.is_none_or(|at| now < at)
    }
}
