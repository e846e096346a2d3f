//! The KMS side of the ECDHE handshake: a P-256 key per request, the key shared with the
//! client (`HKDF-SHA256` of the ECDH secret, 32 zero bytes of salt, no info, 32 bytes).

use aws_lc_rs::agreement::{ECDH_P256, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use aws_lc_rs::hkdf::{HKDF_SHA256, KeyType, Salt};
use aws_lc_rs::rand::SystemRandom;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::jose::{JoseError, encode};

struct Len32;

impl KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// Agrees on a key with the client's EC JWK; returns KMS's public JWK and the shared key.
pub(crate) fn agree(client: &Value) -> Result<(Value, [u8; 32]), JoseError> {
    let bad = |what: &str| JoseError(format!("the ECDHE jwk: {what}"));
    if client["kty"] != "EC" || client["crv"] != "P-256" {
        return Err(bad("not an EC P-256 key"));
    }
    let coordinate = |name: &str| {
        client[name]
            .as_str()
            .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
            .filter(|c| c.len() == 32)
            .ok_or_else(|| bad("a coordinate is not 32 bytes of base64url"))
    };
    let mut point = vec![4u8];
    point.extend(coordinate("x")?);
    point.extend(coordinate("y")?);
    let rng = SystemRandom::new();
    let ours = EphemeralPrivateKey::generate(&ECDH_P256, &rng).map_err(|_| bad("keygen"))?;
    let public = ours.compute_public_key().map_err(|_| bad("public key"))?;
    let public = public.as_ref();
    let jwk = json!({
        "kty": "EC",
        "crv": "P-256",
        "x": encode(&public[1..33]),
        "y": encode(&public[33..65]),
    });
    let key = agree_ephemeral(
        ours,
        UnparsedPublicKey::new(&ECDH_P256, point),
        JoseError("the client's point is not on the curve".into()),
        |secret| {
            let mut key = [0u8; 32];
            Salt::new(HKDF_SHA256, &[0; 32])
                .extract(secret)
                .expand(&[], Len32)
                .and_then(|okm| okm.fill(&mut key))
                .map_err(|_| JoseError("HKDF failed".into()))?;
            Ok(key)
        },
    )?;
    Ok((jwk, key))
}
