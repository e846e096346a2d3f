//! The `permissionToken` of meeting info: an unsigned JWT (`alg: none`)
//! whose `iat` and `exp` are in milliseconds, as the JS SDK subtracts them
//! from `Date.getTime()`, and whose `permission.userPolicies` say what the
//! caller may do.

use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use uuid::Uuid;

use crate::kit::clock;

/// How long a token lives: one hour.
pub(crate) const LIFETIME_MS: u64 = 60 * 60 * 1000;

/// A token for `person`, issued at `now`.
pub(crate) fn permission_token(person: Uuid, now: SystemTime) -> String {
    let iat = clock::unix_millis(now);
    let header = json!({"alg": "none", "typ": "JWT"});
    let payload = json!({
        "sub": person.to_string(),
        "iat": iat,
        "exp": iat.saturating_add(LIFETIME_MS),
        "permission": {
            "userPolicies": {
                "supportVoIP": true,
                "supportVideo": true,
                "supportHDV": true,
                "supportHQV": true,
                "supportNetworkBasedRecord": true,
                "supportDesktopShare": true,
                "supportApplicationShare": true,
                "supportCameraShare": true,
                "supportFileShare": true,
                "supportFileTransfer": true,
                "supportChat": true,
                "supportPollingAndQA": true,
                "supportBroadcastMessage": true,
                "enforceVirtualBackground": false,
            },
        },
    });
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn decodes_with_millisecond_times() {
        let now = UNIX_EPOCH + Duration::from_millis(1_800_000_000_123);
        let token = permission_token(Uuid::nil(), now);
        let payload = token.split('.').nth(1).unwrap();
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(payload["iat"], 1_800_000_000_123_u64);
        assert_eq!(payload["exp"], 1_800_000_000_123_u64 + LIFETIME_MS);
        assert_eq!(payload["permission"]["userPolicies"]["supportVoIP"], true);
    }
}
