//! Registered devices (WDM): a device belongs to the person whose token
//! registered it. A device registered with `ttl` (seconds; the JS SDK's
//! ephemeral devices send 1800) expires when it is not refreshed in time;
//! without `ttl` it stays until deleted. A person may hold at most
//! [`DeviceStore::limit`] live devices, as WDM refuses registrations past
//! its per-user limit.
//!
//! Expiry runs on Tokio's clock, so tests with a paused clock can let a
//! device expire without waiting.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::Notify;
use tokio::time::Instant;
use uuid::Uuid;

use crate::kit::clock::Stamp;

/// The default per-user device limit. Real WDM does not publish its limit;
/// this one is high enough for any test that does not mean to reach it, and
/// tests that do lower it (`POST /_emulator/devices/limit`).
pub(crate) const DEFAULT_DEVICE_LIMIT: usize = 100;

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
    /// When an unrefreshed device with a `ttl` expires.
    pub(crate) expires: Option<Instant>,
}

impl Device {
    /// Whether the device still exists at `now`.
    pub(crate) fn live(&self, now: Instant) -> bool {
        self.expires.is_none_or(|expires| now < expires)
    }
}

/// All devices, the per-user limit, and the wake-up call of whoever closes
/// the sockets of expired devices.
pub(crate) struct DeviceStore {
    devices: HashMap<Uuid, Device>,
    /// How many live devices one person may hold.
    pub(crate) limit: usize,
    /// Notified whenever an expiry time is set, so a sweeper sleeping until
    /// a later expiry looks again.
    expiry_changed: Arc<Notify>,
}

impl Default for DeviceStore {
    fn default() -> Self {
        Self {
            devices: HashMap::new(),
            limit: DEFAULT_DEVICE_LIMIT,
            expiry_changed: Arc::new(Notify::new()),
        }
    }
}

impl DeviceStore {
    /// A device that exists (is not expired) and belongs to `owner`.
    pub(crate) fn owned(&self, uuid: Uuid, owner: Uuid) -> Option<&Device> {
        let now = Instant::now();
        self.devices
            .get(&uuid)
            .filter(|device| device.owner == owner && device.live(now))
    }

    /// The owner of device `uuid`, if it exists (expired or not).
    pub(crate) fn owner_of(&self, uuid: Uuid) -> Option<Uuid> {
        self.devices.get(&uuid).map(|device| device.owner)
    }

    /// Every live device of `owner`, oldest first.
    pub(crate) fn of_owner(&self, owner: Uuid) -> Vec<&Device> {
        let now = Instant::now();
        let mut devices: Vec<&Device> = self
            .devices
            .values()
            .filter(|device| device.owner == owner && device.live(now))
            .collect();
        devices.sort_by_key(|device| device.created.seq);
        devices
    }

    /// Whether `owner` holds as many live devices as the limit allows.
    pub(crate) fn at_limit(&self, owner: Uuid) -> bool {
        self.of_owner(owner).len() >= self.limit
    }

    /// Restarts the `ttl` of a device of `owner` at `stamp`, taking the
    /// client fields it sent; `None` if it does not exist (any more).
    pub(crate) fn refresh(
        &mut self,
        uuid: Uuid,
        owner: Uuid,
        fields: Map<String, Value>,
        ttl: Option<u64>,
        stamp: Stamp,
    ) -> Option<Device> {
        let now = Instant::now();
        let device = self
            .devices
            .get_mut(&uuid)
            .filter(|device| device.owner == owner && device.live(now))?;
        device.fields.extend(fields);
        device.ttl = ttl.or(device.ttl);
        device.modified = stamp;
        device.expires = expiry(now, device.ttl);
        let device = device.clone();
        self.expiry_changed.notify_one();
        Some(device)
    }

    /// Removes a device.
    pub(crate) fn remove(&mut self, uuid: Uuid) -> Option<Device> {
        self.devices.remove(&uuid)
    }

    /// Adds a device.
    pub(crate) fn insert(&mut self, device: Device) {
        self.devices.insert(device.uuid, device);
        self.expiry_changed.notify_one();
    }

    /// Forgets every device, keeping the limit and the sweeper's wake-up
    /// call; returns the ids of those it held, whose sockets are to close.
    pub(crate) fn clear(&mut self) -> Vec<Uuid> {
        let removed = self.devices.drain().map(|(uuid, _)| uuid).collect();
        self.expiry_changed.notify_one();
        removed
    }

    /// Removes every device expired at `now`; returns their ids.
    pub(crate) fn remove_expired(&mut self, now: Instant) -> Vec<Uuid> {
        let expired: Vec<Uuid> = self
            .devices
            .values()
            .filter(|device| !device.live(now))
            .map(|device| device.uuid)
            .collect();
        for uuid in &expired {
            self.devices.remove(uuid);
        }
        expired
    }

    /// Makes every live device of `owner` (of everyone with `None`) expire
    /// at `now`, as if its `ttl` had run out, whether it has one or not;
    /// returns how many.
    pub(crate) fn expire_now(&mut self, owner: Option<Uuid>, now: Instant) -> usize {
        let mut count = 0;
        for device in self.devices.values_mut() {
            if owner.is_none_or(|owner| owner == device.owner) && device.live(now) {
                device.expires = Some(now);
                count += 1;
            }
        }
        self.expiry_changed.notify_one();
        count
    }

    /// The earliest expiry of any device.
    pub(crate) fn next_expiry(&self) -> Option<Instant> {
        self.devices
            .values()
            .filter_map(|device| device.expires)
            .min()
    }

    /// What a sweeper waits on besides the next expiry.
    pub(crate) fn expiry_changed(&self) -> Arc<Notify> {
        Arc::clone(&self.expiry_changed)
    }
}

/// The longest `ttl` a device may ask for: ten years, far beyond the JS
/// SDK's 1800 s, and far enough from the clock's end that no expiry time
/// computed from it can overflow.
pub(crate) const MAX_TTL_SECS: u64 = 10 * 365 * 24 * 60 * 60;

/// A client's `ttl`, checked: a whole number of seconds from 1 to
/// [`MAX_TTL_SECS`]; otherwise the message of the 400 it gets.
pub(crate) fn ttl(value: &Value) -> Result<u64, String> {
    value
        .as_u64()
        .filter(|ttl| (1..=MAX_TTL_SECS).contains(ttl))
        .ok_or_else(|| {
            format!("ttl must be a whole number of seconds from 1 to {MAX_TTL_SECS}, not {value}.")
        })
}

/// When a device with `ttl` expires if registered or refreshed at `at`.
/// `ttl` is capped at [`MAX_TTL_SECS`] and the sum checked, so no stored
/// value can make it panic (a time past the clock's end is "never").
pub(crate) fn expiry(at: Instant, ttl: Option<u64>) -> Option<Instant> {
    ttl.and_then(|ttl| at.checked_add(Duration::from_secs(ttl.min(MAX_TTL_SECS))))
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn device(owner: Uuid, ttl: Option<u64>, now: Instant) -> Device {
        let stamp = Stamp {
            seq: 1,
            time: SystemTime::now(),
        };
        Device {
            uuid: Uuid::new_v4(),
            owner,
            fields: Map::new(),
            ttl,
            created: stamp,
            modified: stamp,
            expires: expiry(now, ttl),
        }
    }

    #[test]
    fn devices_expire_only_with_a_ttl() {
        let now = Instant::now();
        let mut device = device(Uuid::new_v4(), None, now);
        assert!(device.live(now + Duration::from_secs(1_000_000)));
        device.expires = expiry(now, Some(10));
        assert!(device.live(now + Duration::from_secs(9)));
        assert!(!device.live(now + Duration::from_secs(10)));
    }

    #[test]
    fn any_ttl_number_is_checked_and_none_overflows() {
        let now = Instant::now();
        assert_eq!(ttl(&Value::from(1800)), Ok(1800));
        for bad in [
            Value::from(0),
            Value::from(-1),
            Value::from(u64::MAX),
            Value::from(i64::MIN),
            Value::from(1e300),
            Value::from(MAX_TTL_SECS + 1),
        ] {
            assert!(ttl(&bad).unwrap_err().contains("ttl must be"), "{bad}");
        }
        let far = expiry(now, Some(u64::MAX)).expect("capped, not never");
        assert_eq!(far, now + Duration::from_secs(MAX_TTL_SECS));
    }

    #[test]
    fn expired_devices_are_removed_and_the_limit_counts_live_ones() {
        let now = Instant::now();
        let owner = Uuid::new_v4();
        let mut store = DeviceStore {
            limit: 2,
            ..DeviceStore::default()
        };
        let short = device(owner, Some(10), now);
        let short_id = short.uuid;
        store.insert(short);
        store.insert(device(owner, None, now));
        assert!(store.at_limit(owner));
        assert!(!store.at_limit(Uuid::new_v4()));
        assert_eq!(store.next_expiry(), expiry(now, Some(10)));
        assert!(store.remove_expired(now).is_empty());
        assert_eq!(
            store.remove_expired(now + Duration::from_secs(10)),
            [short_id]
        );
        assert_eq!(store.next_expiry(), None);
        assert_eq!(store.expire_now(Some(Uuid::new_v4()), now), 0);
        assert_eq!(store.expire_now(Some(owner), now), 1);
        assert_eq!(store.remove_expired(now).len(), 1);
    }
}
