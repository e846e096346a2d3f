//! How the device registers, and where it is kept.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::store::{DeviceStore, MemoryDeviceStore};

/// The JS SDK's `ephemeralDeviceTTL`, in seconds.
pub const DEFAULT_TTL_SECS: u64 = 1800;

/// How the device registers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DevicesConfig {
    /// Register when the client starts, instead of on first use (default false).
    pub register_on_start: bool,
    /// Unregister when the client shuts down (default true). Set it to false to reuse the
    /// stored device after a clean restart; after a crash it is reused either way.
    pub unregister_on_stop: bool,
    /// Send `ttl` (seconds) so the server forgets the device unless refreshed; `None` for a
    /// persistent device. Default [`DEFAULT_TTL_SECS`], as the `webex` JS package does. With a
    /// `ttl`, the plugin refreshes the device before it runs out ([`refresh_delay`]).
    pub ttl: Option<u64>,
    /// The `name` field (the JS SDK sends `process.title`). With `device_type` and `model` it
    /// is how this client recognises its own devices among the user's: give each concurrently
    /// running instance for one user its own name.
    pub name: String,
    /// The `deviceType` field.
    pub device_type: String,
    /// The `model` field.
    pub model: String,
    /// The `localizedModel` field.
    pub localized_model: String,
    /// The `systemName` field.
    pub system_name: String,
    /// The `systemVersion` field.
    pub system_version: String,
    /// Where the registered device is kept between runs (default: in memory, for this
    /// process only).
    pub store: Arc<dyn DeviceStore>,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        Self {
            register_on_start: false,
            unregister_on_stop: true,
            ttl: Some(DEFAULT_TTL_SECS),
            name: "webex-rs".to_owned(),
            device_type: "WEB".to_owned(),
            model: "webex-rs".to_owned(),
            localized_model: "webex-rs".to_owned(),
            system_name: "WEBEX_RS_SDK".to_owned(),
            system_version: env!("CARGO_PKG_VERSION").to_owned(),
            store: Arc::new(MemoryDeviceStore::default()),
        }
    }
}

/// Equal when every setting is, and both use the same store (one `Arc`: clones of a
/// configuration compare equal; two stores over one file do not).
impl PartialEq for DevicesConfig {
    fn eq(&self, other: &Self) -> bool {
        self.register_on_start == other.register_on_start
            && self.unregister_on_stop == other.unregister_on_stop
            && self.ttl == other.ttl
            && self.name == other.name
            && self.device_type == other.device_type
            && self.model == other.model
            && self.localized_model == other.localized_model
            && self.system_name == other.system_name
            && self.system_version == other.system_version
            && Arc::ptr_eq(&self.store, &other.store)
    }
}

impl Eq for DevicesConfig {}

impl DevicesConfig {
    /// Sets [`register_on_start`](Self::register_on_start).
    #[must_use]
    pub fn with_register_on_start(mut self, yes: bool) -> Self {
        self.register_on_start = yes;
        self
    }

    /// Sets [`unregister_on_stop`](Self::unregister_on_stop).
    #[must_use]
    pub fn with_unregister_on_stop(mut self, yes: bool) -> Self {
        self.unregister_on_stop = yes;
        self
    }

    /// Sets [`ttl`](Self::ttl).
    #[must_use]
    pub fn with_ttl(mut self, ttl: Option<u64>) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets [`name`](Self::name).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets [`store`](Self::store).
    #[must_use]
    pub fn with_store(mut self, store: impl DeviceStore + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// The registration body: `config.device.defaults.body` in the JS SDK's shape.
    pub(crate) fn body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("name".into(), self.name.clone().into());
        body.insert("deviceType".into(), self.device_type.clone().into());
        body.insert("model".into(), self.model.clone().into());
        body.insert("localizedModel".into(), self.localized_model.clone().into());
        body.insert("systemName".into(), self.system_name.clone().into());
        body.insert("systemVersion".into(), self.system_version.clone().into());
        if let Some(ttl) = self.ttl {
            body.insert("ttl".into(), ttl.into());
        }
        body
    }

    /// Whether a device WDM listed was registered by a client with this configuration: the
    /// same `name`, `deviceType` and `model`.
    pub(crate) fn is_ours(&self, device: &Map<String, Value>) -> bool {
        let field = |key: &str| device.get(key).and_then(Value::as_str);
        field("name") == Some(self.name.as_str())
            && field("deviceType") == Some(self.device_type.as_str())
            && field("model") == Some(self.model.as_str())
    }
}

/// How long after a register or refresh the device is refreshed again: the JS SDK's
/// `ttl / 2 + 60` seconds (960 s for 1800), but never later than three quarters of the `ttl`,
/// so a short `ttl` is refreshed in time too.
#[must_use]
pub fn refresh_delay(ttl_secs: u64) -> Duration {
    let js_sdk = Duration::from_secs(ttl_secs / 2 + 60);
    let latest = Duration::from_millis(ttl_secs.saturating_mul(750));
    js_sdk.min(latest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_body_has_the_js_sdk_shape() {
        let body = DevicesConfig::default().body();
        assert_eq!(body["deviceType"], "WEB");
        assert_eq!(body["ttl"], json!(1800));
        for key in [
            "name",
            "model",
            "localizedModel",
            "systemName",
            "systemVersion",
        ] {
            assert!(body[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
        }
        let persistent = DevicesConfig::default().with_ttl(None);
        assert!(!persistent.body().contains_key("ttl"));
    }

    #[test]
    fn refreshes_come_before_the_ttl_ends() {
        assert_eq!(refresh_delay(1800), Duration::from_secs(960));
        assert_eq!(refresh_delay(100), Duration::from_secs(75));
        for ttl in [1, 2, 60, 120, 121, 1800, 86_400, u64::MAX] {
            let delay = refresh_delay(ttl);
            assert!(delay > Duration::ZERO, "{ttl}");
            assert!(delay < Duration::from_secs(ttl), "{ttl}");
        }
    }

    #[test]
    fn our_devices_are_recognised_by_name_type_and_model() {
        let config = DevicesConfig::default().with_name("bot-a");
        let ours = config.body();
        assert!(config.is_ours(&ours));
        let mut other = ours.clone();
        other.insert("name".into(), "Webex Desktop".into());
        assert!(!config.is_ours(&other));
        let mut other = ours;
        other.insert("model".into(), "web-js-sdk".into());
        assert!(!config.is_ours(&other));
    }
}
