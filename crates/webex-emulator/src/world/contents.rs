//! Uploaded message files.

use std::collections::HashMap;

use bytes::Bytes;
use uuid::Uuid;

/// One uploaded file.
#[derive(Clone, Debug)]
pub(crate) struct Content {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Bytes,
}

/// Files per (message, index).
#[derive(Default)]
pub(crate) struct ContentStore {
    files: HashMap<(Uuid, usize), Content>,
}

impl ContentStore {
    /// Stores the `index`th file of a message.
    pub(crate) fn insert(&mut self, message: Uuid, index: usize, content: Content) {
        self.files.insert((message, index), content);
    }

    /// Drops the files of a message.
    pub(crate) fn remove_message(&mut self, message: Uuid) {
        self.files.retain(|(owner, _), _| *owner != message);
    }

    /// The `index`th file of a message.
    pub(crate) fn get(&self, message: Uuid, index: usize) -> Option<&Content> {
        self.files.get(&(message, index))
    }
}
