//! Where the registered device is kept, so a restarted process refreshes its device instead
//! of registering another one (devices that pile up end in WDM's "excessive device
//! registrations").

use std::fmt::Debug;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::Device;

/// A registered device and its `ETag`, as kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredDevice {
    /// The device, as WDM last returned it.
    pub device: Device,
    /// Its `ETag`, sent back as `If-None-Match` on refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl StoredDevice {
    /// A device and its `ETag`.
    #[must_use]
    pub fn new(device: Device, etag: Option<String>) -> Self {
        Self { device, etag }
    }
}

/// Keeps the one device of a client. Calls are short and synchronous (a small file at most);
/// the plugin logs their errors and goes on, registering anew when nothing can be loaded.
pub trait DeviceStore: Debug + Send + Sync {
    /// The stored device, if any.
    ///
    /// # Errors
    /// The store could not be read, or holds something that is not a device.
    fn load(&self) -> io::Result<Option<StoredDevice>>;

    /// Replaces the stored device.
    ///
    /// # Errors
    /// The store could not be written.
    fn save(&self, device: &StoredDevice) -> io::Result<()>;

    /// Forgets the stored device.
    ///
    /// # Errors
    /// The store could not be written.
    fn clear(&self) -> io::Result<()>;
}

/// Keeps the device in memory. Clones share it, so tests can hand one store to two clients,
/// as a restarted process finds its file again.
#[derive(Debug, Clone, Default)]
pub struct MemoryDeviceStore {
    device: Arc<Mutex<Option<StoredDevice>>>,
}

impl MemoryDeviceStore {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<StoredDevice>> {
        self.device.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DeviceStore for MemoryDeviceStore {
    fn load(&self) -> io::Result<Option<StoredDevice>> {
        Ok(self.slot().clone())
    }

    fn save(&self, device: &StoredDevice) -> io::Result<()> {
        *self.slot() = Some(device.clone());
        Ok(())
    }

    fn clear(&self) -> io::Result<()> {
        *self.slot() = None;
        Ok(())
    }
}

/// Keeps the device in a JSON file. A save writes a sibling temporary file and renames it
/// over the old one, so a crash mid-write leaves the previous device, not half a file.
#[derive(Debug, Clone)]
pub struct FileDeviceStore {
    path: PathBuf,
}

impl FileDeviceStore {
    /// A store in the file at `path` (created on first save; its directory must exist).
    #[must_use]
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn temporary(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        self.path.with_file_name(name)
    }
}

impl DeviceStore for FileDeviceStore {
    fn load(&self) -> io::Result<Option<StoredDevice>> {
        let text = match std::fs::read(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err),
        };
        serde_json::from_slice(&text).map(Some).map_err(|err| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} holds no device: {err}", self.path.display()),
            )
        })
    }

    fn save(&self, device: &StoredDevice) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(device).map_err(io::Error::other)?;
        let temporary = self.temporary();
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, &self.path)
    }

    fn clear(&self) -> io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored() -> StoredDevice {
        let device: Device = serde_json::from_value(json!({
            "url": "https://wdm.example/wdm/api/v1/devices/1",
            "webSocketUrl": "wss://mercury.example/v1/apps/wx2/registrations/1/messages",
            "userId": "u1",
            "searchEncryptionKeyUrl": "kms://x"
        }))
        .unwrap();
        StoredDevice::new(device, Some("\"3\"".into()))
    }

    fn round_trip(store: &dyn DeviceStore) {
        assert_eq!(store.load().unwrap(), None);
        store.save(&stored()).unwrap();
        assert_eq!(store.load().unwrap(), Some(stored()));
        store.clear().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.clear().unwrap();
    }

    #[test]
    fn memory_store_round_trips_and_clones_share() {
        let store = MemoryDeviceStore::default();
        round_trip(&store);
        store.clone().save(&stored()).unwrap();
        assert!(store.load().unwrap().is_some());
    }

    #[test]
    fn file_store_round_trips_and_reports_garbage() {
        let dir = std::env::temp_dir().join(format!("webex-devices-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = FileDeviceStore::new(dir.join("device.json"));
        round_trip(&store);
        std::fs::write(store.path(), b"{not json").unwrap();
        let err = store.load().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
