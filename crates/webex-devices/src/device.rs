//! The WDM device model.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// A registered device, as WDM returned it. Fields this version does not model are kept in
/// `extra` and sent back on refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Device {
    /// The device's identity: refreshed with `PUT`, removed with `DELETE`.
    pub url: Url,
    /// Where the Mercury websocket of this device is served (no query string).
    pub web_socket_url: Url,
    /// The caller's user uuid.
    pub user_id: String,
    /// `WEB`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    /// When the server last changed the registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modification_time: Option<String>,
    /// `{"developer": [...], "entitlement": [...], "user": [...]}`.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub features: Value,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Device {
    /// Parses a WDM answer.
    pub(crate) fn from_fields(fields: Map<String, Value>) -> Result<Self, String> {
        serde_json::from_value(Value::Object(fields)).map_err(|e| {
            format!("invalid WDM device (url, webSocketUrl and userId are required): {e}")
        })
    }

    /// All fields, as stored.
    pub(crate) fn to_fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(fields)) => fields,
            _ => Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn devices_parse_and_keep_unknown_fields() {
        let fields = json!({
            "url": "https://wdm.example/wdm/api/v1/devices/1",
            "webSocketUrl": "wss://mercury.example/v1/apps/wx2/registrations/1/messages",
            "userId": "u1",
            "deviceType": "WEB",
            "features": {"developer": []},
            "searchEncryptionKeyUrl": "kms://x"
        });
        let device = Device::from_fields(fields.as_object().cloned().unwrap()).unwrap();
        assert_eq!(device.user_id, "u1");
        assert_eq!(device.extra["searchEncryptionKeyUrl"], "kms://x");
        assert_eq!(device.to_fields()["searchEncryptionKeyUrl"], "kms://x");
        assert!(Device::from_fields(Map::new()).is_err());
    }
}
