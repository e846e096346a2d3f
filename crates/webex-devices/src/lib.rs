//! # webex-devices
//!
//! WDM device registration (`docs/protocol/wdm.md`): [`register`](Devices::register)
//! (`POST {wdm}/devices` with the JS SDK's body), [`refresh`](Devices::refresh) (`PUT` the
//! device URL, with `If-None-Match`; a 404 registers anew), [`unregister`](Devices::unregister)
//! (`DELETE` the device URL, also run when the client shuts down). The current [`Device`]
//! (`url`, `webSocketUrl`, `userId`, features, ...) is kept in the plugin, where the Mercury
//! plugin finds its websocket URL.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex_devices::{DevicesExt, DevicesPlugin};
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//!
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .plugin(DevicesPlugin::default())
//!     .build()
//!     .await?;
//!
//! let device = webex.devices().register().await?;
//! assert_eq!(device.web_socket_url.scheme(), "ws");
//! assert_eq!(webex.devices().current().map(|d| d.url), Some(device.url.clone()));
//! webex.devices().unregister().await?;
//! assert!(webex.devices().current().is_none());
//! # Ok(()) }
//! ```

mod device;

use std::sync::{Mutex, PoisonError};

use http::{HeaderValue, StatusCode, header};
use serde_json::{Map, Value};
use webex_core::http::{Request, Target};
use webex_core::{Error, ErrorKind, Plugin, Result, Webex};

pub use device::Device;

/// The catalog service of device registration.
const WDM: &str = "wdm";

/// The JS SDK's `ephemeralDeviceTTL`, in seconds.
pub const DEFAULT_TTL_SECS: u64 = 1800;

/// Fields the JS SDK removes from the stored device before sending it back on refresh.
const NOT_SENT_ON_REFRESH: [&str; 5] = [
    "features",
    "mediaCluster",
    "etag",
    "services",
    "serviceHostMap",
];

/// How the device registers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DevicesConfig {
    /// Register when the client starts, instead of on first use (default false).
    pub register_on_start: bool,
    /// Unregister when the client shuts down (default true).
    pub unregister_on_stop: bool,
    /// Send `ttl` (seconds) so the server forgets the device unless refreshed; `None` for a
    /// persistent device. Default [`DEFAULT_TTL_SECS`], as the `webex` JS package does.
    pub ttl: Option<u64>,
    /// The `name` field (the JS SDK sends `process.title`).
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
        }
    }
}

impl DevicesConfig {
    /// Sets [`register_on_start`](Self::register_on_start).
    #[must_use]
    pub fn with_register_on_start(mut self, yes: bool) -> Self {
        self.register_on_start = yes;
        self
    }

    /// Sets [`ttl`](Self::ttl).
    #[must_use]
    pub fn with_ttl(mut self, ttl: Option<u64>) -> Self {
        self.ttl = ttl;
        self
    }

    /// The registration body: `config.device.defaults.body` in the JS SDK's shape.
    fn body(&self) -> Map<String, Value> {
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
}

/// The registered device and its `etag`.
#[derive(Debug, Default)]
struct Registration {
    device: Option<Device>,
    etag: Option<String>,
}

/// The `devices` plugin: holds the current WDM registration.
#[derive(Debug, Default)]
pub struct DevicesPlugin {
    config: DevicesConfig,
    state: Mutex<Registration>,
    /// Serialises register / refresh / unregister, so concurrent first uses register once.
    busy: tokio::sync::Mutex<()>,
}

/// A clone starts unregistered: it may be added to a client with another token.
impl Clone for DevicesPlugin {
    fn clone(&self) -> Self {
        Self::new(self.config.clone())
    }
}

impl DevicesPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "devices";

    /// A plugin with `config`.
    #[must_use]
    pub fn new(config: DevicesConfig) -> Self {
        Self {
            config,
            state: Mutex::default(),
            busy: tokio::sync::Mutex::default(),
        }
    }

    /// Its configuration.
    #[must_use]
    pub fn config(&self) -> &DevicesConfig {
        &self.config
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Registration> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn current(&self) -> Option<Device> {
        self.state().device.clone()
    }

    fn store(&self, device: Option<Device>, etag: Option<String>) {
        let mut state = self.state();
        state.device = device;
        state.etag = etag;
    }

    async fn register(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        self.register_locked(webex).await
    }

    async fn register_locked(&self, webex: &Webex) -> Result<Device> {
        let req = Request::post(Target::service(WDM, "devices"))
            .query("includeUpstreamServices", "all")
            .json(&Value::Object(self.config.body()))?;
        let device = self.exchange(webex, req).await?;
        webex_core::log_info!(webex.logger(), "device registered: {}", device.url);
        Ok(device)
    }

    async fn ensure(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        match self.current() {
            Some(device) => Ok(device),
            None => self.register_locked(webex).await,
        }
    }

    async fn refresh(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        let (device, etag) = {
            let state = self.state();
            (state.device.clone(), state.etag.clone())
        };
        let Some(device) = device else {
            return self.register_locked(webex).await;
        };
        let mut body = device.to_fields();
        for field in NOT_SENT_ON_REFRESH {
            body.remove(field);
        }
        body.extend(self.config.body());
        let mut req = Request::put(Target::Url(device.url.clone()))
            .query("includeUpstreamServices", "all")
            .json(&Value::Object(body))?;
        if let Some(value) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
            req = req.header(header::IF_NONE_MATCH, value);
        }
        match self.exchange(webex, req).await {
            Err(err) if err.status() == Some(StatusCode::NOT_FOUND) => {
                webex_core::log_info!(
                    webex.logger(),
                    "device unknown on refresh (404); registering a new one"
                );
                self.store(None, None);
                self.register_locked(webex).await
            }
            other => other,
        }
    }

    async fn unregister(&self, webex: &Webex) -> Result<()> {
        let _busy = self.busy.lock().await;
        let Some(device) = self.current() else {
            return Ok(());
        };
        let result = webex
            .http()
            .send(Request::delete(Target::Url(device.url.clone())))
            .await;
        match result {
            // Already gone is as good as deleted.
            Err(err) if err.status() != Some(StatusCode::NOT_FOUND) => Err(err),
            _ => {
                self.store(None, None);
                webex_core::log_info!(webex.logger(), "device unregistered: {}", device.url);
                Ok(())
            }
        }
    }

    /// Sends a register or refresh request and stores the device it returns.
    async fn exchange(&self, webex: &Webex, req: Request) -> Result<Device> {
        let res = webex.http().send(req).await?;
        let etag = res
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut fields: Map<String, Value> = res.json()?;
        // The catalog comes from U2C; like the JS SDK, drop WDM's copy.
        fields.remove("services");
        fields.remove("serviceHostMap");
        let device = Device::from_fields(fields).map_err(|e| res.invalid(e))?;
        self.store(Some(device.clone()), etag);
        Ok(device)
    }
}

#[webex_core::async_trait]
impl Plugin for DevicesPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    async fn start(&self, webex: &Webex) -> Result<()> {
        if self.config.register_on_start {
            self.register(webex).await?;
        }
        Ok(())
    }

    async fn stop(&self, webex: &Webex) -> Result<()> {
        if self.config.unregister_on_stop {
            self.unregister(webex).await?;
        }
        Ok(())
    }
}

/// `webex.devices()`.
pub trait DevicesExt {
    /// The device registration of this client.
    fn devices(&self) -> Devices;
}

impl DevicesExt for Webex {
    fn devices(&self) -> Devices {
        Devices {
            webex: self.clone(),
        }
    }
}

/// The device registration API; cheap to clone.
#[derive(Debug, Clone)]
pub struct Devices {
    webex: Webex,
}

impl Devices {
    fn plugin(&self) -> Result<&DevicesPlugin> {
        self.webex.plugin::<DevicesPlugin>().ok_or_else(|| {
            Error::new(
                ErrorKind::MissingDependency,
                "the `devices` plugin is not added to this client (add webex_devices::DevicesPlugin)",
            )
        })
    }

    /// Registers a new device (`POST {wdm}/devices?includeUpstreamServices=all`) and keeps it.
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`] without the plugin; HTTP errors with the tracking id;
    /// [`ErrorKind::InvalidResponse`] for an answer without `url`, `webSocketUrl` or `userId`.
    pub async fn register(&self) -> Result<Device> {
        self.plugin()?.register(&self.webex).await
    }

    /// The current device, registering one first if there is none.
    ///
    /// # Errors
    /// As [`register`](Self::register).
    pub async fn ensure_registered(&self) -> Result<Device> {
        self.plugin()?.ensure(&self.webex).await
    }

    /// Refreshes the registration (`PUT <device url>`, `If-None-Match: <etag>`); registers a
    /// new device if there is none or the server no longer knows it (404).
    ///
    /// # Errors
    /// As [`register`](Self::register).
    pub async fn refresh(&self) -> Result<Device> {
        self.plugin()?.refresh(&self.webex).await
    }

    /// Deletes the device (`DELETE <device url>`) and forgets it; nothing to do without one.
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`] without the plugin; HTTP errors other than 404.
    pub async fn unregister(&self) -> Result<()> {
        self.plugin()?.unregister(&self.webex).await
    }

    /// The registered device, if any.
    #[must_use]
    pub fn current(&self) -> Option<Device> {
        self.plugin().ok().and_then(DevicesPlugin::current)
    }
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
}
