//! Simulated room devices (RoomOS codecs, desk devices) that people pair
//! with: each one is a Lyra space with a name, a model, the PIN it shows
//! while a pairing is pending, its occupants (the people paired with it,
//! each through one of their WDM devices), the conversations bound to it
//! and its audio state ([`audio`]).
//!
//! Every change publishes [`Event::PairedDevice`], which Lyra renders as
//! `lyra.space_updated` for the paired people, whoever made the change (a
//! paired app, or the device itself through the admin API).

pub(crate) mod audio;
pub(crate) mod pairing;

use std::collections::HashMap;

use uuid::Uuid;

use self::audio::{AudioState, VolumeRange};
use self::pairing::{Binding, Occupant, PendingPin};
use crate::bus::Event;
use crate::world::Data;

/// The model a device gets when none is asked for.
pub(crate) const DEFAULT_MODEL: &str = "Cisco Room Kit";

/// One simulated room device.
#[derive(Clone, Debug)]
pub(crate) struct PairedDevice {
    pub(crate) uuid: Uuid,
    /// The name people search for (the device's user-assigned name).
    pub(crate) name: String,
    /// The product name, e.g. `Cisco Room Kit`.
    pub(crate) model: String,
    /// The token the device sends over ultrasound (proximity pairing).
    pub(crate) ultrasound_token: String,
    pub(crate) audio: AudioState,
    /// PINs shown on the device, one per person who asked.
    pub(crate) pins: Vec<PendingPin>,
    pub(crate) occupants: Vec<Occupant>,
    pub(crate) bindings: Vec<Binding>,
    /// The name encrypted for each person who listed it: (key URI, JWE).
    pub(crate) encrypted_names: HashMap<Uuid, (String, String)>,
}

impl PairedDevice {
    /// The people paired with it (verified occupants), once each.
    pub(crate) fn paired_people(&self) -> Vec<Uuid> {
        let mut people: Vec<Uuid> = self.occupants.iter().map(|o| o.person).collect();
        people.sort_unstable();
        people.dedup();
        people
    }

    /// Whether `person` is paired with it.
    pub(crate) fn is_paired(&self, person: Uuid) -> bool {
        self.occupants.iter().any(|o| o.person == person)
    }

    /// Whether `person` is paired with it through `device_url`.
    pub(crate) fn is_paired_from(&self, person: Uuid, device_url: &str) -> bool {
        self.occupants
            .iter()
            .any(|o| o.person == person && o.device_url == device_url)
    }
}

/// Why a request about a device cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PairedDeviceError {
    /// No such device.
    Unknown,
    /// The caller is not paired with it.
    NotPaired,
    /// The caller's device is paired with it already.
    AlreadyPaired,
    /// The PIN does not match the one shown (or none was shown).
    WrongPin,
    /// A volume outside the device's range.
    VolumeOutOfRange { level: i64, range: VolumeRange },
    /// A bad value in the request.
    Invalid(String),
}

impl std::fmt::Display for PairedDeviceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown => f.write_str("Space not found."),
            Self::NotPaired => f.write_str("The user is not an occupant of this space."),
            Self::AlreadyPaired => f.write_str("The user is already an occupant of this space."),
            Self::WrongPin => f.write_str("Invalid PIN."),
            Self::VolumeOutOfRange { level, range } => write!(
                f,
                "Volume level {level} is out of range [{}, {}].",
                range.min, range.max
            ),
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

/// The devices, and each person's recent devices (WDM's auxiliary list).
#[derive(Default)]
pub(crate) struct PairedDeviceStore {
    devices: HashMap<Uuid, PairedDevice>,
    /// Creation order, for listings.
    order: Vec<Uuid>,
    /// Each person's recent devices, oldest first.
    recents: HashMap<Uuid, Vec<Uuid>>,
}

impl PairedDeviceStore {
    /// The device `uuid`.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&PairedDevice> {
        self.devices.get(&uuid)
    }

    /// The device `uuid`, or [`PairedDeviceError::Unknown`].
    pub(crate) fn find(&self, uuid: Uuid) -> Result<&PairedDevice, PairedDeviceError> {
        self.devices.get(&uuid).ok_or(PairedDeviceError::Unknown)
    }

    /// The device `uuid`, which `person` must be paired with.
    pub(crate) fn paired_with(
        &self,
        uuid: Uuid,
        person: Uuid,
    ) -> Result<&PairedDevice, PairedDeviceError> {
        let device = self.find(uuid)?;
        if device.is_paired(person) {
            Ok(device)
        } else {
            Err(PairedDeviceError::NotPaired)
        }
    }

    /// The device `uuid`, to change it.
    pub(crate) fn get_mut(&mut self, uuid: Uuid) -> Result<&mut PairedDevice, PairedDeviceError> {
        self.devices
            .get_mut(&uuid)
            .ok_or(PairedDeviceError::Unknown)
    }

    /// Every device, oldest first.
    pub(crate) fn all(&self) -> impl Iterator<Item = &PairedDevice> {
        self.order.iter().filter_map(|uuid| self.devices.get(uuid))
    }

    /// The device whose ultrasound token is `token`.
    pub(crate) fn by_token(&self, token: &str) -> Option<&PairedDevice> {
        self.all().find(|device| device.ultrasound_token == token)
    }

    /// `person`'s recent devices, oldest first.
    pub(crate) fn recents(&self, person: Uuid) -> Vec<&PairedDevice> {
        self.recents
            .get(&person)
            .into_iter()
            .flatten()
            .filter_map(|uuid| self.devices.get(uuid))
            .collect()
    }

    /// Adds `uuid` to `person`'s recent devices (once).
    pub(crate) fn add_recent(&mut self, person: Uuid, uuid: Uuid) -> Result<(), PairedDeviceError> {
        if !self.devices.contains_key(&uuid) {
            return Err(PairedDeviceError::Unknown);
        }
        let recents = self.recents.entry(person).or_default();
        if !recents.contains(&uuid) {
            recents.push(uuid);
        }
        Ok(())
    }

    /// Removes `uuid` from `person`'s recent devices.
    pub(crate) fn remove_recent(
        &mut self,
        person: Uuid,
        uuid: Uuid,
    ) -> Result<(), PairedDeviceError> {
        let recents = self.recents.entry(person).or_default();
        let before = recents.len();
        recents.retain(|recent| *recent != uuid);
        if recents.len() == before {
            return Err(PairedDeviceError::Unknown);
        }
        Ok(())
    }
}

impl Data {
    /// Creates a simulated device named `name` (not blank) of `model`.
    pub(crate) fn create_paired_device(
        &mut self,
        name: &str,
        model: Option<&str>,
    ) -> Result<Uuid, PairedDeviceError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(PairedDeviceError::Invalid("name must not be blank.".into()));
        }
        let model = model.map_or(DEFAULT_MODEL, str::trim);
        if model.is_empty() {
            return Err(PairedDeviceError::Invalid(
                "model must not be blank.".into(),
            ));
        }
        let uuid = Uuid::new_v4();
        let store = &mut self.paired_devices;
        store.devices.insert(
            uuid,
            PairedDevice {
                uuid,
                name: name.to_owned(),
                model: model.to_owned(),
                ultrasound_token: Uuid::new_v4().simple().to_string(),
                audio: AudioState::new(VolumeRange::of_model(model)),
                pins: Vec::new(),
                occupants: Vec::new(),
                bindings: Vec::new(),
                encrypted_names: HashMap::new(),
            },
        );
        store.order.push(uuid);
        Ok(uuid)
    }

    /// `device`'s name encrypted for `person` as WDM sends it (the JWE and its
    /// key's URI), with a KMS key `person` may retrieve, made on first use.
    pub(crate) fn encrypted_device_name(
        &mut self,
        device: Uuid,
        person: Uuid,
    ) -> Result<(String, String), PairedDeviceError> {
        let found = self.paired_devices.find(device)?;
        if let Some(encrypted) = found.encrypted_names.get(&person) {
            return Ok(encrypted.clone());
        }
        let name = found.name.clone();
        let encrypted = self.kms.encrypt_with_new_key(person, &name);
        self.paired_devices
            .get_mut(device)?
            .encrypted_names
            .insert(person, encrypted.clone());
        Ok(encrypted)
    }

    /// Tells the people paired with `device`, and `also`, that it changed.
    pub(crate) fn publish_paired_device(&mut self, device: Uuid, also: Vec<Uuid>) {
        self.publish(Event::PairedDevice { device, also });
    }
}
