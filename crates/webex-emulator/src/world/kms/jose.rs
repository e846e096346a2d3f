//! The emulator's own compact JWE (`dir` / `A256GCM`) reading and writing, on aws-lc-rs
//! (the SDK uses RustCrypto: the two cannot share a bug).

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::json;

/// Why a JWE or JWS could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JoseError(pub(crate) String);

impl std::fmt::Display for JoseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(part: &str, what: &str) -> Result<Vec<u8>, JoseError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JoseError(format!("the {what} is not base64url")))
}

/// The header fields KMS messages use.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Header {
    #[serde(default)]
    pub(crate) alg: String,
    #[serde(default)]
    pub(crate) enc: String,
    #[serde(default)]
    pub(crate) kid: Option<String>,
}

/// A compact JWE, split and its header read.
pub(crate) struct Compact<'a> {
    pub(crate) header: Header,
    parts: [&'a str; 5],
}

impl<'a> Compact<'a> {
    /// Splits `text` into the five parts of a compact JWE and reads the header.
    pub(crate) fn parse(text: &'a str) -> Result<Self, JoseError> {
        let parts: Vec<&str> = text.split('.').collect();
        let parts: [&str; 5] = parts
            .try_into()
            .map_err(|_| JoseError("a compact JWE has five parts".into()))?;
        let header = serde_json::from_slice(&decode(parts[0], "header")?)
            .map_err(|_| JoseError("the JWE header is not a JSON object".into()))?;
        Ok(Self { header, parts })
    }

    pub(crate) fn encrypted_key(&self) -> Result<Vec<u8>, JoseError> {
        decode(self.parts[1], "encrypted key")
    }
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    // The system generator fails only on a broken system; zeros then would only weaken keys
    // in a test double.
    let _ = SystemRandom::new().fill(&mut bytes);
    bytes
}

/// A fresh 256-bit key.
pub(crate) fn new_key() -> [u8; 32] {
    random()
}

/// Decrypts `jwe` (`enc: A256GCM`) with the content key `cek`.
pub(crate) fn decrypt(cek: &[u8], jwe: &Compact<'_>) -> Result<Vec<u8>, JoseError> {
    if jwe.header.enc != "A256GCM" {
        return Err(JoseError(format!("unexpected enc {}", jwe.header.enc)));
    }
    let key = UnboundKey::new(&AES_256_GCM, cek)
        .map_err(|_| JoseError("the content key is not 256 bits".into()))?;
    let iv: [u8; 12] = decode(jwe.parts[2], "iv")?
        .try_into()
        .map_err(|_| JoseError("the iv is not 96 bits".into()))?;
    let mut sealed = decode(jwe.parts[3], "ciphertext")?;
    sealed.extend(decode(jwe.parts[4], "tag")?);
    let plaintext = LessSafeKey::new(key)
        .open_in_place(
            Nonce::assume_unique_for_key(iv),
            Aad::from(jwe.parts[0].as_bytes()),
            &mut sealed,
        )
        .map_err(|_| JoseError("the JWE does not decrypt".into()))?;
    Ok(plaintext.to_vec())
}

/// Decrypts a `dir` JWE with `key`.
pub(crate) fn decrypt_dir(key: &[u8], jwe: &Compact<'_>) -> Result<Vec<u8>, JoseError> {
    if jwe.header.alg != "dir" {
        return Err(JoseError(format!("unexpected alg {}", jwe.header.alg)));
    }
    decrypt(key, jwe)
}

/// A compact JWE `{"enc": "A256GCM", "alg": "dir"[, "kid"]}` of `plaintext` under `key`.
pub(crate) fn encrypt_dir(key: &[u8; 32], kid: Option<&str>, plaintext: &[u8]) -> String {
    let header = match kid {
        Some(kid) => json!({"enc": "A256GCM", "alg": "dir", "kid": kid}),
        None => json!({"enc": "A256GCM", "alg": "dir"}),
    };
    let header = encode(header.to_string().as_bytes());
    let iv = random::<12>();
    let mut buffer = plaintext.to_vec();
    let sealing = UnboundKey::new(&AES_256_GCM, key).map(LessSafeKey::new);
    let tag = sealing.and_then(|key| {
        key.seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(iv),
            Aad::from(header.as_bytes()),
            &mut buffer,
        )
    });
    // A 32-byte key and any plaintext under 64 GB always seal.
    let tag = tag.map(|tag| tag.as_ref().to_vec()).unwrap_or_default();
    format!(
        "{header}..{}.{}.{}",
        encode(&iv),
        encode(&buffer),
        encode(&tag)
    )
}
