//! The compact JOSE serialisations KMS speaks (RFC 7516 / 7515), no more: JWE with
//! `dir` or `RSA-OAEP` key management and `A256GCM` content encryption, and JWS `RS256`.
//! Malformed input is an error, never a panic.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::PublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::traits::RandomizedEncryptor;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::KmsError;

/// The content encryption every KMS JWE uses.
const A256GCM: &str = "A256GCM";

/// A JOSE header: the fields KMS messages use (others are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Header {
    /// Key management (`dir`, `RSA-OAEP`) or signature (`RS256`) algorithm.
    #[serde(default)]
    pub(crate) alg: String,
    /// Content encryption (`A256GCM`), JWE only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) enc: Option<String>,
    /// Which key: the ECDHE key URI, or the KMS's RSA `kid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kid: Option<String>,
}

fn malformed(what: impl Into<String>) -> KmsError {
    KmsError::Malformed(what.into())
}

fn decode(part: &str, what: &str) -> Result<Vec<u8>, KmsError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed(format!("the {what} is not base64url")))
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The header of a compact JWE or JWS, read without verifying anything.
pub(crate) fn peek_header(compact: &str) -> Result<Header, KmsError> {
    let first = compact.split('.').next().unwrap_or_default();
    serde_json::from_slice(&decode(first, "protected header")?)
        .map_err(|_| malformed("the protected header is not a JSON object"))
}

/// How many parts a compact serialisation has: 3 for a JWS, 5 for a JWE.
pub(crate) fn parts(compact: &str) -> usize {
    compact.split('.').count()
}

/// Random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], KmsError> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes)
        .map_err(|err| KmsError::Setup(format!("no random numbers: {err}")))?;
    Ok(bytes)
}

/// Encrypts `plaintext` with AES-256-GCM under `header`, given the JWE's encrypted key part.
fn seal(
    cek: &[u8; 32],
    header: &Header,
    encrypted_key: &[u8],
    plaintext: &[u8],
) -> Result<String, KmsError> {
    let header =
        encode(&serde_json::to_vec(header).map_err(|err| malformed(format!("header: {err}")))?);
    let iv = random::<12>()?;
    let cipher = Aes256Gcm::new(cek.into());
    let mut buffer = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(
            &Nonce::from(iv),
            header.as_bytes(),
            buffer.as_mut_slice().into(),
        )
        .map_err(|_| malformed("AES-GCM refused to encrypt"))?;
    Ok(format!(
        "{header}.{}.{}.{}.{}",
        encode(encrypted_key),
        encode(&iv),
        encode(&buffer),
        encode(&tag)
    ))
}

/// A compact JWE `{"alg": "dir", "enc": "A256GCM"[, "kid"]}` of `plaintext` under `key`.
pub(crate) fn encrypt_dir(
    key: &[u8; 32],
    kid: Option<&str>,
    plaintext: &[u8],
) -> Result<String, KmsError> {
    let header = Header {
        alg: "dir".into(),
        enc: Some(A256GCM.into()),
        kid: kid.map(str::to_owned),
    };
    seal(key, &header, &[], plaintext)
}

/// A compact JWE `{"alg": "RSA-OAEP", "enc": "A256GCM", "kid"}` of `plaintext` to the RSA
/// key `public`: a random content key, wrapped with RSA-OAEP (SHA-1, as JOSE defines it).
pub(crate) fn encrypt_rsa_oaep(
    public: &PublicKey,
    kid: &str,
    plaintext: &[u8],
) -> Result<String, KmsError> {
    let cek = random::<32>()?;
    let wrapping = rsa::oaep::EncryptingKey::<sha1::Sha1>::new(public.clone());
    let encrypted_key = wrapping
        .encrypt_with_rng(&mut getrandom::SysRng, &cek)
        .map_err(|err| KmsError::InvalidKms(format!("RSA-OAEP failed: {err}")))?;
    let header = Header {
        alg: "RSA-OAEP".into(),
        enc: Some(A256GCM.into()),
        kid: Some(kid.to_owned()),
    };
    seal(&cek, &header, &encrypted_key, plaintext)
}

/// Decrypts a compact JWE made with `alg: dir`, `enc: A256GCM` under `key`.
pub(crate) fn decrypt_dir(key: &[u8], compact: &str) -> Result<Vec<u8>, KmsError> {
    let parts: Vec<&str> = compact.split('.').collect();
    let [header_part, encrypted_key, iv, ciphertext, tag] = parts[..] else {
        return Err(malformed(format!(
            "a compact JWE has 5 parts, not {}",
            parts.len()
        )));
    };
    let header = peek_header(header_part)?;
    if header.alg != "dir" || header.enc.as_deref() != Some(A256GCM) {
        return Err(malformed(format!(
            "unsupported JWE algorithms alg={} enc={}",
            header.alg,
            header.enc.as_deref().unwrap_or("")
        )));
    }
    if !encrypted_key.is_empty() {
        return Err(malformed("a `dir` JWE has an empty encrypted key"));
    }
    let iv: [u8; 12] = decode(iv, "initialization vector")?
        .try_into()
        .map_err(|_| malformed("the initialization vector is not 96 bits"))?;
    let tag: [u8; 16] = decode(tag, "authentication tag")?
        .try_into()
        .map_err(|_| malformed("the authentication tag is not 128 bits"))?;
    let mut buffer = decode(ciphertext, "ciphertext")?;
    let cipher =
        Aes256Gcm::new_from_slice(key).map_err(|_| malformed("the key is not 256 bits"))?;
    cipher
        .decrypt_inout_detached(
            &Nonce::from(iv),
            header_part.as_bytes(),
            buffer.as_mut_slice().into(),
            &Tag::from(tag),
        )
        .map_err(|_| malformed("the JWE does not decrypt with this key"))?;
    Ok(buffer)
}

/// Verifies a compact JWS `RS256` with `public` and returns its payload.
pub(crate) fn verify_rs256(public: &PublicKey, compact: &str) -> Result<Vec<u8>, KmsError> {
    let parts: Vec<&str> = compact.split('.').collect();
    let [header_part, payload, signature] = parts[..] else {
        return Err(malformed(format!(
            "a compact JWS has 3 parts, not {}",
            parts.len()
        )));
    };
    let header = peek_header(header_part)?;
    if header.alg != "RS256" {
        return Err(malformed(format!(
            "unsupported JWS algorithm {}",
            header.alg
        )));
    }
    let signature = Signature::try_from(decode(signature, "signature")?.as_slice())
        .map_err(|_| malformed("the JWS signature is not an RSA signature"))?;
    let signed = &compact[..header_part.len() + 1 + payload.len()];
    VerifyingKey::<Sha256>::new(public.clone())
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| malformed("the JWS signature does not verify with the KMS key"))?;
    decode(payload, "payload")
}
