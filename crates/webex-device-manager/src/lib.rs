//! # webex-device-manager
//!
//! The device manager (`webex.devicemanager` in the JS SDK): find a Webex room device
//! (search by name, recent devices, ultrasound token), pair with it by the PIN it shows,
//! bind a space to it and control its audio. The wire is the JS SDK's
//! (`docs/protocol/devices.md`): WDM's auxiliary devices, argonaut's directory search,
//! proximity's advertisements and Lyra's spaces. While a device is paired, its audio state
//! is reported every 10 minutes ([`AUDIO_REPORT_PERIOD`]) and after every change; the
//! devices the manager knows follow Mercury's `lyra.space_updated` ([`DeviceManager::events`]).
//!
//! It is its own crate (like the JS SDK's `plugin-device-manager`) because it needs both
//! `webex-devices` and `webex-mercury`, and Mercury already depends on `webex-devices`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex_device_manager::{DeviceManagerExt, DeviceManagerPlugin};
//! use webex_emulator::{Emulator, NewPairedDevice, NewPerson, PersonType};
//!
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//! let room = emulator.create_paired_device(&NewPairedDevice::named("Boardroom"))?;
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(webex_mercury::MercuryPlugin::default())
//!     .plugin(webex_encryption::EncryptionPlugin::default())
//!     .plugin(DeviceManagerPlugin::default())
//!     .build()
//!     .await?;
//!
//! let manager = webex.device_manager();
//! let found = manager.find_by_name("Boardroom").await?;
//! manager.request_pin(&found.id, None).await?;
//! let pin = emulator.paired_device_pin(&room.id).expect("the device shows a PIN");
//! manager.pair(&pin).await?;
//! let audio = manager.set_volume(30).await?;
//! assert_eq!(audio.volume.level, 30);
//! manager.unpair(false).await?;
//! # Ok(()) }
//! ```

mod audio;
mod bind;
mod error;
mod event;
mod listener;
mod manager;
mod model;
mod names;
mod plugin;
mod reporter;
mod state;

use webex_core::Webex;

pub use error::{DeviceManagerError, Result};
pub use event::{DeviceEvent, SPACE_UPDATED};
pub use manager::DeviceManager;
pub use model::{
    Advertisement, Advertiser, AudioState, AuxiliaryDevice, DEFAULT_PRODUCT_NAME, DeviceInfo,
    DeviceMetadata, LYRA_SPACE, Microphones, Occupants, SearchHit, SearchResults, SelfOccupant,
    Space, SpaceDevice, SpaceIdentity, UC_CLOUD, Volume,
};
pub use plugin::DeviceManagerPlugin;
pub use reporter::AUDIO_REPORT_PERIOD;
pub use state::BoundSpace;

/// `webex.device_manager()`.
pub trait DeviceManagerExt {
    /// The device manager of this client.
    fn device_manager(&self) -> DeviceManager;
}

impl DeviceManagerExt for Webex {
    fn device_manager(&self) -> DeviceManager {
        DeviceManager {
            webex: self.clone(),
        }
    }
}
