//! Pairing with a room device by PIN (the device shows a PIN, the person
//! types it into their app), leaving, and binding conversations.

use uuid::Uuid;

use super::PairedDeviceError;
use crate::world::Data;

/// A PIN the device shows because `person` asked to pair from `device_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PendingPin {
    pub(crate) person: Uuid,
    pub(crate) device_url: String,
    pub(crate) pin: String,
}

/// A person paired with the device through one of their WDM devices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Occupant {
    pub(crate) person: Uuid,
    pub(crate) device_url: String,
}

/// A conversation shown on the device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Binding {
    pub(crate) id: Uuid,
    /// Who bound it.
    pub(crate) person: Uuid,
    pub(crate) conversation_url: String,
}

/// A fresh six-digit PIN.
fn new_pin() -> String {
    format!("{:06}", Uuid::new_v4().as_u128() % 1_000_000)
}

impl Data {
    /// `person` asks `device` to show a PIN for pairing `device_url`; the
    /// PIN replaces any earlier one of theirs.
    pub(crate) fn request_pin(
        &mut self,
        device: Uuid,
        person: Uuid,
        device_url: &str,
    ) -> Result<(), PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        if found.is_paired_from(person, device_url) {
            return Err(PairedDeviceError::AlreadyPaired);
        }
        found.pins.retain(|pending| pending.person != person);
        found.pins.push(PendingPin {
            person,
            device_url: device_url.to_owned(),
            pin: new_pin(),
        });
        Ok(())
    }

    /// `person` answers the PIN `device` showed them; the right one pairs
    /// `device_url` with it.
    pub(crate) fn answer_pin(
        &mut self,
        device: Uuid,
        person: Uuid,
        device_url: &str,
        pin: &str,
    ) -> Result<(), PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        if found.is_paired_from(person, device_url) {
            return Err(PairedDeviceError::AlreadyPaired);
        }
        let index = found
            .pins
            .iter()
            .position(|p| p.person == person && p.device_url == device_url && p.pin == pin)
            .ok_or(PairedDeviceError::WrongPin)?;
        found.pins.remove(index);
        found.occupants.push(Occupant {
            person,
            device_url: device_url.to_owned(),
        });
        self.publish_paired_device(device, Vec::new());
        Ok(())
    }

    /// `person` leaves `device`: from `device_url` only, or from all their
    /// devices with `None`. They hear of it too.
    pub(crate) fn leave_paired_device(
        &mut self,
        device: Uuid,
        person: Uuid,
        device_url: Option<&str>,
    ) -> Result<(), PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        let before = found.occupants.len();
        found
            .occupants
            .retain(|o| o.person != person || device_url.is_some_and(|url| url != o.device_url));
        if found.occupants.len() == before {
            return Err(PairedDeviceError::NotPaired);
        }
        if !found.is_paired(person) {
            found.bindings.retain(|binding| binding.person != person);
        }
        self.publish_paired_device(device, vec![person]);
        Ok(())
    }

    /// The PIN `device` shows now (the latest asked for), if any.
    pub(crate) fn shown_pin(&self, device: Uuid) -> Result<Option<String>, PairedDeviceError> {
        let found = self.paired_devices.find(device)?;
        Ok(found.pins.last().map(|pending| pending.pin.clone()))
    }

    /// `person` (paired) shows the conversation at `conversation_url` on
    /// `device`; binding one that is shown already changes nothing.
    pub(crate) fn bind_conversation(
        &mut self,
        device: Uuid,
        person: Uuid,
        conversation_url: &str,
    ) -> Result<Binding, PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        if !found.is_paired(person) {
            return Err(PairedDeviceError::NotPaired);
        }
        if let Some(binding) = found
            .bindings
            .iter()
            .find(|b| b.conversation_url == conversation_url)
        {
            return Ok(binding.clone());
        }
        let binding = Binding {
            id: Uuid::new_v4(),
            person,
            conversation_url: conversation_url.to_owned(),
        };
        found.bindings.push(binding.clone());
        self.publish_paired_device(device, Vec::new());
        Ok(binding)
    }

    /// `person` (paired) stops showing `conversation_url` on `device`.
    pub(crate) fn unbind_conversation(
        &mut self,
        device: Uuid,
        person: Uuid,
        conversation_url: &str,
    ) -> Result<(), PairedDeviceError> {
        let found = self.paired_devices.get_mut(device)?;
        if !found.is_paired(person) {
            return Err(PairedDeviceError::NotPaired);
        }
        let before = found.bindings.len();
        found
            .bindings
            .retain(|b| b.conversation_url != conversation_url);
        if found.bindings.len() == before {
            return Err(PairedDeviceError::Invalid(
                "No binding for this conversation.".into(),
            ));
        }
        self.publish_paired_device(device, Vec::new());
        Ok(())
    }
}
