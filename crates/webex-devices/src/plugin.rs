//! The `devices` plugin: the current WDM registration, kept in the plugin, in the
//! configured [`DeviceStore`](crate::DeviceStore), and alive through the refresh timer.

use std::sync::{Mutex, PoisonError};

use http::{HeaderValue, StatusCode, header};
use serde_json::{Map, Value};
use tokio::sync::watch;
use tokio::time::Instant;
use webex_core::http::{Request, Target};
use webex_core::{Plugin, Result, Webex};

use crate::cleanup;
use crate::config::{DevicesConfig, refresh_delay};
use crate::store::StoredDevice;
use crate::timer::{self, Due};
use crate::{Device, WDM};

/// Fields the JS SDK removes from the stored device before sending it back on refresh.
const NOT_SENT_ON_REFRESH: [&str; 5] = [
    "features",
    "mediaCluster",
    "etag",
    "services",
    "serviceHostMap",
];

/// The registered device and its `etag`.
#[derive(Debug, Default)]
struct Registration {
    device: Option<Device>,
    etag: Option<String>,
}

/// The `devices` plugin: holds the current WDM registration.
#[derive(Debug)]
pub struct DevicesPlugin {
    config: DevicesConfig,
    state: Mutex<Registration>,
    /// Serialises register / refresh / unregister, so concurrent first uses register once.
    busy: tokio::sync::Mutex<()>,
    /// When the refresh timer fires next.
    due: Due,
}

impl Default for DevicesPlugin {
    fn default() -> Self {
        Self::new(DevicesConfig::default())
    }
}

/// A clone starts unregistered (it may be added to a client with another token), and shares
/// the configured store.
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
            due: watch::Sender::new(None),
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

    pub(crate) fn current(&self) -> Option<Device> {
        self.state().device.clone()
    }

    /// Sets when the refresh timer fires next (`None`: not at all).
    pub(crate) fn schedule(&self, at: Option<Instant>) {
        self.due.send_replace(at);
    }

    /// Keeps `device` (in the plugin and the store) and schedules its refresh.
    fn keep(&self, webex: &Webex, device: Device, etag: Option<String>) {
        let stored = StoredDevice::new(device.clone(), etag.clone());
        {
            let mut state = self.state();
            state.device = Some(device);
            state.etag = etag;
        }
        if let Err(err) = self.config.store.save(&stored) {
            webex_core::log_warn!(webex.logger(), "device store: cannot save: {err}");
        }
        self.schedule(
            self.config
                .ttl
                .map(|ttl| Instant::now() + refresh_delay(ttl)),
        );
    }

    /// Forgets the device (in the plugin and the store) and stops the timer.
    fn forget(&self, webex: &Webex) {
        *self.state() = Registration::default();
        if let Err(err) = self.config.store.clear() {
            webex_core::log_warn!(webex.logger(), "device store: cannot clear: {err}");
        }
        self.schedule(None);
    }

    /// Takes the stored device when the plugin holds none (a restarted process); whether
    /// there is one now.
    fn adopt_stored(&self, webex: &Webex) -> bool {
        if self.current().is_some() {
            return true;
        }
        match self.config.store.load() {
            Ok(Some(stored)) => {
                webex_core::log_info!(
                    webex.logger(),
                    "reusing the stored device {}",
                    stored.device.url
                );
                let mut state = self.state();
                state.device = Some(stored.device);
                state.etag = stored.etag;
                true
            }
            Ok(None) => false,
            Err(err) => {
                webex_core::log_warn!(
                    webex.logger(),
                    "device store: cannot load, registering a new device: {err}"
                );
                false
            }
        }
    }

    pub(crate) async fn register(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        if self.adopt_stored(webex) {
            // Registering again would orphan the device we hold: refresh it instead.
            return self.refresh_locked(webex).await;
        }
        self.register_locked(webex).await
    }

    pub(crate) async fn ensure(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        if let Some(device) = self.current() {
            return Ok(device);
        }
        if self.adopt_stored(webex) {
            return self.refresh_locked(webex).await;
        }
        self.register_locked(webex).await
    }

    pub(crate) async fn refresh(&self, webex: &Webex) -> Result<Device> {
        let _busy = self.busy.lock().await;
        self.adopt_stored(webex);
        self.refresh_locked(webex).await
    }

    /// `POST`s a new device; on "excessive device registrations", deletes this client's
    /// stale devices and tries once more.
    async fn register_locked(&self, webex: &Webex) -> Result<Device> {
        let err = match self.post(webex).await {
            Err(err) if cleanup::is_excessive_registrations(&err) => err,
            other => return other,
        };
        webex_core::log_warn!(
            webex.logger(),
            "device registration refused ({err}); deleting this client's stale devices"
        );
        let deleted = cleanup::delete_our_stale_devices(webex, &self.config, None).await?;
        if deleted == 0 {
            // The user's devices are all someone else's: leave them, and say so.
            webex_core::log_warn!(
                webex.logger(),
                "none of the user's devices are this client's; not deleting any"
            );
            return Err(err);
        }
        self.post(webex).await
    }

    async fn post(&self, webex: &Webex) -> Result<Device> {
        let req = Request::post(Target::service(WDM, "devices"))
            .query("includeUpstreamServices", "all")
            .json(&Value::Object(self.config.body()))?;
        let device = self.exchange(webex, req).await?;
        webex_core::log_info!(webex.logger(), "device registered: {}", device.url);
        Ok(device)
    }

    async fn refresh_locked(&self, webex: &Webex) -> Result<Device> {
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
                self.forget(webex);
                self.register_locked(webex).await
            }
            other => other,
        }
    }

    pub(crate) async fn unregister(&self, webex: &Webex) -> Result<()> {
        let _busy = self.busy.lock().await;
        self.adopt_stored(webex);
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
                self.forget(webex);
                webex_core::log_info!(webex.logger(), "device unregistered: {}", device.url);
                Ok(())
            }
        }
    }

    /// Sends a register or refresh request and keeps the device it returns.
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
        self.keep(webex, device.clone(), etag);
        Ok(device)
    }
}

#[webex_core::async_trait]
impl Plugin for DevicesPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    async fn start(&self, webex: &Webex) -> Result<()> {
        timer::spawn(webex.downgrade(), self.due.subscribe());
        if self.config.register_on_start {
            self.register(webex).await?;
        }
        Ok(())
    }

    async fn stop(&self, webex: &Webex) -> Result<()> {
        // Kept or not (or failing to unregister), a stopped client refreshes nothing.
        self.schedule(None);
        if self.config.unregister_on_stop {
            self.unregister(webex).await?;
        }
        Ok(())
    }
}
