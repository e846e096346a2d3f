//! The permission token of meeting info: a JWT whose claims the SDK reads (no signature
//! check, as the JS SDK; the token is only forwarded to Locus, which checks it).

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::error::{MeetingError, Result};

/// The claims of a permission token the SDK uses. `iat`/`exp` are milliseconds since the
/// epoch (the JS SDK subtracts them from `Date.getTime()`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PermissionClaims {
    /// Issued at, epoch milliseconds.
    #[serde(default)]
    pub iat: Option<u64>,
    /// Expires at, epoch milliseconds.
    #[serde(default)]
    pub exp: Option<u64>,
    /// `permission.userPolicies`: policy name → allowed.
    #[serde(default)]
    pub user_policies: BTreeMap<String, bool>,
    /// `permission.enforceVBGImagesURL`.
    #[serde(default)]
    pub enforce_vbg_images_url: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    iat: Option<u64>,
    #[serde(default)]
    exp: Option<u64>,
    #[serde(default)]
    permission: Option<Permission>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Permission {
    #[serde(default)]
    user_policies: BTreeMap<String, bool>,
    #[serde(default, rename = "enforceVBGImagesURL")]
    enforce_vbg_images_url: Option<String>,
}

/// Decodes the claims of `token` (`header.payload.signature`, base64url).
///
/// # Errors
/// [`MeetingError::InvalidResponse`] when it is not a JWT with a JSON payload.
pub fn decode_permission_token(token: &str) -> Result<PermissionClaims> {
    let invalid = |why: &str| MeetingError::InvalidResponse(format!("permission token: {why}"));
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| invalid("not a JWT"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| invalid("payload is not base64url"))?;
    let raw: Raw = serde_json::from_slice(&bytes).map_err(|e| invalid(&format!("payload: {e}")))?;
    let permission = raw.permission;
    Ok(PermissionClaims {
        iat: raw.iat,
        exp: raw.exp,
        enforce_vbg_images_url: permission
            .as_ref()
            .and_then(|p| p.enforce_vbg_images_url.clone()),
        user_policies: permission.map(|p| p.user_policies).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_and_garbage_is_a_typed_error() {
        let payload = URL_SAFE_NO_PAD
            .encode(r#"{"iat":1,"exp":2,"permission":{"userPolicies":{"supportVoIP":true}}}"#);
        let claims = decode_permission_token(&format!("e30.{payload}.sig")).unwrap();
        assert_eq!((claims.iat, claims.exp), (Some(1), Some(2)));
        assert_eq!(claims.user_policies.get("supportVoIP"), Some(&true));
        assert!(decode_permission_token("nope").is_err());
        assert!(decode_permission_token("a.!!!.c").is_err());
    }
}
