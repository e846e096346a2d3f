//! # webex-devices
//!
//! WDM device registration (`docs/protocol/wdm.md`): [`register`](Devices::register)
//! (`POST {wdm}/devices` with the JS SDK's body), [`refresh`](Devices::refresh) (`PUT` the
//! device URL, with `If-None-Match`; a 404 registers anew), [`unregister`](Devices::unregister)
//! (`DELETE` the device URL, also run when the client shuts down). The current [`Device`]
//! (`url`, `webSocketUrl`, `userId`, features, ...) is kept in the plugin, where the Mercury
//! plugin finds its websocket URL, and in a [`DeviceStore`] ([`MemoryDeviceStore`] by default,
//! [`FileDeviceStore`] to reuse it after a restart).
//!
//! Lifecycle: a device with a `ttl` is refreshed by a timer task before the `ttl` ends
//! ([`refresh_delay`]); `register()` with a device held (or stored) refreshes it instead of
//! registering another; when WDM refuses a registration because the user holds too many
//! devices, the plugin deletes only devices this client registered (same `name`,
//! `deviceType`, `model`) and tries once more.
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

mod cleanup;
mod config;
mod device;
mod plugin;
mod store;
mod timer;

use webex_core::{Error, ErrorKind, Result, Webex};

pub use config::{DEFAULT_TTL_SECS, DevicesConfig, refresh_delay};
pub use device::Device;
pub use plugin::DevicesPlugin;
pub use store::{DeviceStore, FileDeviceStore, MemoryDeviceStore, StoredDevice};

/// The catalog service of device registration.
const WDM: &str = "wdm";

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

    /// Registers a device (`POST {wdm}/devices?includeUpstreamServices=all`) and keeps it.
    /// Idempotent: with a device held (or found in the store), it refreshes that one instead,
    /// so a second call never orphans the first device. When WDM answers "excessive device
    /// registrations", this client's own stale devices are deleted and the registration is
    /// tried once more; the user's other clients are never touched.
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`] without the plugin; HTTP errors with the tracking id;
    /// [`ErrorKind::InvalidResponse`] for an answer without `url`, `webSocketUrl` or `userId`.
    pub async fn register(&self) -> Result<Device> {
        self.plugin()?.register(&self.webex).await
    }

    /// The current device; without one, the stored device (refreshed, to check the server
    /// still knows it), else a newly registered one.
    ///
    /// # Errors
    /// As [`register`](Self::register).
    pub async fn ensure_registered(&self) -> Result<Device> {
        self.plugin()?.ensure(&self.webex).await
    }

    /// Refreshes the registration (`PUT <device url>`, `If-None-Match: <etag>`) and schedules
    /// the next refresh; registers a new device if there is none (held or stored) or the
    /// server no longer knows it (404).
    ///
    /// # Errors
    /// As [`register`](Self::register).
    pub async fn refresh(&self) -> Result<Device> {
        self.plugin()?.refresh(&self.webex).await
    }

    /// Deletes the device (`DELETE <device url>`) and forgets it, in the store too, and stops
    /// the refresh timer; nothing to do without one.
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
