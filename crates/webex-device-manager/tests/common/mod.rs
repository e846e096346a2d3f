//! Shared setup of the device manager tests: people, room devices and clients against the
//! emulator.

#![allow(dead_code, unreachable_pub)]

use webex_core::Webex;
use webex_device_manager::{DeviceManager, DeviceManagerExt, DeviceManagerPlugin};
use webex_devices::DevicesPlugin;
use webex_emulator::{
    CreatedPerson, EmulatedPairedDevice, Emulator, NewPairedDevice, NewPerson, PersonType,
};
use webex_encryption::EncryptionPlugin;
use webex_mercury::MercuryPlugin;

/// A person named `name`.
pub fn person(emulator: &Emulator, name: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        kind: PersonType::Person,
    })
}

/// A simulated room device named `name`, of the default model.
pub fn room(emulator: &Emulator, name: &str) -> EmulatedPairedDevice {
    emulator
        .create_paired_device(&NewPairedDevice::named(name))
        .expect("device created")
}

/// A client of `me` with the device manager (and the plugins it needs).
pub async fn client(emulator: &Emulator, me: &CreatedPerson) -> Webex {
    Webex::builder()
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::default())
        .plugin(MercuryPlugin::default())
        .plugin(EncryptionPlugin::default())
        .plugin(DeviceManagerPlugin::default())
        .build()
        .await
        .expect("client builds")
}

/// Pairs `manager` with `device` by the PIN the device shows.
pub async fn pair(emulator: &Emulator, manager: &DeviceManager, device: &EmulatedPairedDevice) {
    manager
        .request_pin(&device.id, None)
        .await
        .expect("PIN requested");
    let pin = emulator.paired_device_pin(&device.id).expect("PIN shown");
    manager.pair(&pin).await.expect("paired");
}

/// An emulator with Ada, a room device named `name`, and Ada's client paired with it.
pub struct Paired {
    pub emulator: Emulator,
    pub ada: CreatedPerson,
    pub device: EmulatedPairedDevice,
    pub webex: Webex,
    pub manager: DeviceManager,
}

impl Paired {
    /// Sets it up, with a device of `model` (the default one with `None`).
    pub async fn new(name: &str, model: Option<&str>) -> Self {
        let emulator = Emulator::start_default().await.unwrap();
        let ada = person(&emulator, "Ada");
        let mut request = NewPairedDevice::named(name);
        if let Some(model) = model {
            request = request.model(model);
        }
        let device = emulator.create_paired_device(&request).unwrap();
        let webex = client(&emulator, &ada).await;
        let manager = webex.device_manager();
        pair(&emulator, &manager, &device).await;
        Self {
            emulator,
            ada,
            device,
            webex,
            manager,
        }
    }
}
