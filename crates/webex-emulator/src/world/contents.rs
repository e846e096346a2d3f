//! Uploaded message files, within a quota: small files stay in memory, a
//! file above the spill threshold lives in a temporary directory of the
//! emulator (removed with it), so large uploads do not stay in RAM.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use axum::http::StatusCode;
use bytes::Bytes;
use tempfile::{TempDir, TempPath};
use uuid::Uuid;

use crate::kit::error::ApiError;

/// How much uploaded file data the emulator keeps, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadLimits {
    /// The most bytes all stored files together may hold; an upload that
    /// would pass it gets a 413 (default 1 GiB).
    pub quota_bytes: u64,
    /// Files larger than this are written to a temporary directory instead
    /// of being kept in memory (default 1 MiB).
    pub spill_threshold_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            quota_bytes: 1 << 30,
            spill_threshold_bytes: 1 << 20,
        }
    }
}

/// The bytes of a file, in memory or in a temporary file that is deleted
/// when this is dropped.
#[derive(Debug)]
pub(crate) enum Stored {
    /// Kept in memory.
    Memory(Bytes),
    /// Written to the spill directory.
    Spilled {
        /// The file, deleted on drop.
        path: TempPath,
        /// Its length in bytes.
        len: u64,
    },
}

impl Stored {
    /// The file's length in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Self::Memory(bytes) => bytes.len() as u64,
            Self::Spilled { len, .. } => *len,
        }
    }
}

/// One uploaded file.
#[derive(Debug)]
pub(crate) struct Content {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) body: Stored,
}

/// Where an upload in progress goes: its limits, the room left in the
/// quota when it started, and the spill directory.
#[derive(Clone, Debug)]
pub(crate) struct SpillTarget {
    pub(crate) threshold: u64,
    pub(crate) quota: u64,
    pub(crate) room: u64,
    pub(crate) dir: PathBuf,
}

/// Files per (message, index), the limits and the bytes they hold.
#[derive(Default)]
pub(crate) struct ContentStore {
    files: HashMap<(Uuid, usize), Content>,
    limits: UploadLimits,
    used: u64,
    /// Created on the first spill; removed (with every file) on drop.
    spill_dir: Option<TempDir>,
}

impl ContentStore {
    /// Drops every file (deleting spilled ones), keeping the limits.
    pub(crate) fn clear(&mut self) {
        self.files.clear();
        self.used = 0;
    }

    /// Replaces the limits; files already stored stay.
    pub(crate) fn set_limits(&mut self, limits: UploadLimits) {
        self.limits = limits;
    }

    /// Where an upload starting now goes.
    ///
    /// # Errors
    /// The spill directory cannot be created.
    pub(crate) fn spill_target(&mut self) -> io::Result<SpillTarget> {
        let dir = match &self.spill_dir {
            Some(dir) => dir.path().to_path_buf(),
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("webex-emulator-contents-")
                    .tempdir()?;
                let path = dir.path().to_path_buf();
                self.spill_dir = Some(dir);
                path
            }
        };
        Ok(SpillTarget {
            threshold: self.limits.spill_threshold_bytes,
            quota: self.limits.quota_bytes,
            room: self.room(),
            dir,
        })
    }

    /// The bytes left in the quota.
    fn room(&self) -> u64 {
        self.limits.quota_bytes.saturating_sub(self.used)
    }

    /// A 413 unless `len` more bytes fit in the quota.
    pub(crate) fn check_room(&self, filename: &str, len: u64) -> Result<(), ApiError> {
        if len <= self.room() {
            Ok(())
        } else {
            Err(quota_exceeded(filename, self.limits.quota_bytes))
        }
    }

    /// Stores the `index`th file of a message (its room was checked).
    pub(crate) fn insert(&mut self, message: Uuid, index: usize, content: Content) {
        self.used += content.body.len();
        if let Some(old) = self.files.insert((message, index), content) {
            self.used = self.used.saturating_sub(old.body.len());
        }
    }

    /// Drops the files of a message (deleting spilled ones).
    pub(crate) fn remove_message(&mut self, message: Uuid) {
        let mut freed = 0;
        self.files.retain(|(owner, _), content| {
            let keep = *owner != message;
            if !keep {
                freed += content.body.len();
            }
            keep
        });
        self.used = self.used.saturating_sub(freed);
    }

    /// The `index`th file of a message.
    pub(crate) fn get(&self, message: Uuid, index: usize) -> Option<&Content> {
        self.files.get(&(message, index))
    }
}

/// The 413 of an upload past the quota (Webex's status for a file it will
/// not take; the wording is the emulator's).
pub(crate) fn quota_exceeded(filename: &str, quota: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("File '{filename}' does not fit in the upload quota of {quota} bytes."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(bytes: &'static [u8]) -> Content {
        Content {
            filename: "f".to_owned(),
            content_type: "text/plain".to_owned(),
            body: Stored::Memory(Bytes::from_static(bytes)),
        }
    }

    #[test]
    fn the_quota_counts_stored_bytes_and_frees_removed_ones() {
        let mut store = ContentStore::default();
        store.set_limits(UploadLimits {
            quota_bytes: 10,
            spill_threshold_bytes: 4,
        });
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        store.insert(a, 0, content(b"123456"));
        assert!(store.check_room("x", 4).is_ok());
        let error = store.check_room("x", 5).unwrap_err();
        assert_eq!(error.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(error.message.contains("'x'"), "{}", error.message);
        store.insert(b, 0, content(b"1234"));
        assert_eq!(store.spill_target().unwrap().room, 0);
        store.remove_message(a);
        assert_eq!(store.spill_target().unwrap().room, 6);
        assert!(store.get(b, 0).is_some() && store.get(a, 0).is_none());
    }

    #[test]
    fn the_spill_directory_goes_with_the_store() {
        let mut store = ContentStore::default();
        let dir = store.spill_target().unwrap().dir;
        assert!(dir.is_dir());
        assert_eq!(store.spill_target().unwrap().dir, dir, "one directory");
        drop(store);
        assert!(!dir.exists());
    }
}
