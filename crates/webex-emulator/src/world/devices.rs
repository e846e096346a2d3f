//! Registered devices (WDM): a device belongs to the person whose token
//! registered it. A device registered with `ttl` (seconds; the JS SDK's
//! ephemeral devices send 1800) is forgotten when it is not refreshed in
//! time; without `ttl` it stays until deleted.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kit::clock::Stamp;

/// A registered device.
#[derive(Clone, Debug)]
pub(crate) struct Device {
    pub(crate) uuid: Uuid,
    pub(crate) owner: Uuid,
    /// The string fields the client set (`name`, `deviceType`, ...), and
    /// `capabilities`.
    pub(crate) fields: Map<String, Value>,
    pub(crate) ttl: Option<u64>,
    pub(crate) created: Stamp,
    pub(crate) modified: Stamp,
    /// When an unrefreshed device with a `ttl` is forgotten.
    pub(crate) expires: Option<SystemTime>,
}

impl Device {
    /// Whether the device still exists at `now`.
    pub(crate) fn live(&self, now: SystemTime) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }
}

/// All devices.
#[derive(Default)]
pub(crate) struct DeviceStore {
    devices: HashMap<Uuid, Device>,
}

impl DeviceStore {
    /// A device that exists (is not expired) and belongs to `owner`.
    pub(crate) fn owned(&self, uuid: Uuid, owner: Uuid) -> Option<&Device> {
        let now = SystemTime::now();
        self.devices
            .get(&uuid)
            .filter(|device| device.owner == owner && device.live(now))
    }

    /// Every live device of `owner`, oldest first.
    pub(crate) fn of_owner(&self, owner: Uuid) -> Vec<&Device> {
        let now = SystemTime::now();
        let mut devices: Vec<&Device> = self
            .devices
            .values()
            .filter(|device| device.owner == owner && device.live(now))
            .collect();
        devices.sort_by_key(|device| device.created.seq);
        devices
    }

    /// A device of `owner`, to change it.
    pub(crate) fn owned_mut(&mut self, uuid: Uuid, owner: Uuid) -> Option<&mut Device> {
        let now = SystemTime::now();
        self.devices
            .get_mut(&uuid)
            .filter(|device| device.owner == owner && device.live(now))
    }

    /// Removes a device.
    pub(crate) fn remove(&mut self, uuid: Uuid) -> Option<Device> {
        self.devices.remove(&uuid)
    }

    /// Adds a device, forgetting expired ones.
    pub(crate) fn insert(&mut self, device: Device) {
        let now = SystemTime::now();
        self.devices.retain(|_, device| device.live(now));
        self.devices.insert(device.uuid, device);
    }
}

/// When a device with `ttl` expires if registered or refreshed at `at`.
pub(crate) fn expiry(at: SystemTime, ttl: Option<u64>) -> Option<SystemTime> {
    ttl.map(|ttl| at + Duration::from_secs(ttl))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_expire_only_with_a_ttl() {
        let now = SystemTime::now();
        let stamp = Stamp { seq: 1, time: now };
        let mut device = Device {
            uuid: Uuid::new_v4(),
            owner: Uuid::new_v4(),
            fields: Map::new(),
            ttl: None,
            created: stamp,
            modified: stamp,
            expires: expiry(now, None),
        };
        assert!(device.live(now + Duration::from_secs(1_000_000)));
        device.expires = expiry(now, Some(10));
        assert!(device.live(now + Duration::from_secs(9)));
        assert!(!device.live(now + Duration::from_secs(10)));
    }
}
