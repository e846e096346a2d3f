//! Content keys: retrieved from KMS once (`{"method": "retrieve", "uri": <key uri>}`) and
//! kept for the life of the client, as the JS SDK keeps them in its unbounded storage.

use std::sync::{Arc, PoisonError};
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use webex_core::Webex;

use crate::error::KmsError;
use crate::plugin::EncryptionPlugin;

/// The 256-bit key at `uri`.
pub(crate) async fn get(
    webex: &Webex,
    plugin: &EncryptionPlugin,
    uri: &str,
) -> Result<Arc<[u8; 32]>, KmsError> {
    let cached = plugin
        .shared
        .keys
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(uri)
        .cloned();
    if let Some(key) = cached {
        return Ok(key);
    }
    let answer =
        crate::client::request(webex, plugin, json!({"method": "retrieve", "uri": uri})).await?;
    let key = Arc::new(content_key(&answer)?);
    plugin
        .shared
        .keys
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(uri.to_owned(), Arc::clone(&key));
    Ok(key)
}

/// The `oct` key of a retrieve answer (`{"key": {"uri", "jwk": {"kty": "oct", "k"}}}`).
fn content_key(answer: &Value) -> Result<[u8; 32], KmsError> {
    let jwk = &answer["key"]["jwk"];
    if jwk["kty"] != "oct" {
        return Err(KmsError::Malformed("the key is not an `oct` JWK".into()));
    }
    let k = jwk["k"]
        .as_str()
        .ok_or_else(|| KmsError::Malformed("the key has no `k`".into()))?;
    URL_SAFE_NO_PAD
        .decode(k)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| KmsError::Malformed("the key is not 256 bits of base64url".into()))
}

/// How long until an ISO-8601 `date` (as KMS writes `expirationDate`); `None` when it cannot
/// be read, `Some(ZERO)` when it has passed.
pub(crate) fn until(date: &str) -> Option<Duration> {
    let at = humantime::parse_rfc3339_weak(date).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}
