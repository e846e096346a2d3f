//! Client log uploads: the upload slots people open, the log text they put
//! there, and the metadata they attach.
//!
//! Bounded: at most [`MAX_UPLOADS`] slots are kept (the oldest go first),
//! and the service caps each upload's size.

use std::collections::VecDeque;

use uuid::Uuid;

/// How many upload slots are kept.
pub(crate) const MAX_UPLOADS: usize = 64;

/// One upload slot and what was put there.
#[derive(Clone, Debug)]
pub(crate) struct ClientLog {
    /// The slot's id, the last segment of its upload URL.
    pub(crate) id: Uuid,
    /// Who opened it.
    pub(crate) owner: Uuid,
    /// The file name the client asked for (`<locusId>_<callStart>.txt`).
    pub(crate) file: String,
    /// The uploaded bytes; `None` until the upload arrives.
    pub(crate) content: Option<Vec<u8>>,
    /// The `{key, value}` pairs of the metadata, in the order sent; the
    /// values as the client sent them (strings or booleans).
    pub(crate) meta: Vec<(String, serde_json::Value)>,
}

/// Every upload slot, oldest first.
#[derive(Default)]
pub(crate) struct ClientLogStore {
    logs: VecDeque<ClientLog>,
}

impl ClientLogStore {
    /// Opens a slot for `owner` to upload `file` to; returns its id.
    pub(crate) fn open(&mut self, owner: Uuid, file: &str) -> Uuid {
        if self.logs.len() == MAX_UPLOADS {
            self.logs.pop_front();
        }
        let id = Uuid::new_v4();
        self.logs.push_back(ClientLog {
            id,
            owner,
            file: file.to_owned(),
            content: None,
            meta: Vec::new(),
        });
        id
    }

    /// Stores the upload to slot `id` (a repeated upload replaces the
    /// earlier one, as a `PUT` does); `false` for an unknown slot.
    pub(crate) fn upload(&mut self, id: Uuid, content: Vec<u8>) -> bool {
        match self.logs.iter_mut().find(|log| log.id == id) {
            Some(log) => {
                log.content = Some(content);
                true
            }
            None => false,
        }
    }

    /// Attaches `meta` to every upload `owner` made of `file`; how many
    /// uploads it attached to.
    pub(crate) fn describe(
        &mut self,
        owner: Uuid,
        file: &str,
        meta: &[(String, serde_json::Value)],
    ) -> usize {
        let mut count = 0;
        for log in self
            .logs
            .iter_mut()
            .filter(|log| log.owner == owner && log.file == file && log.content.is_some())
        {
            log.meta = meta.to_vec();
            count += 1;
        }
        count
    }

    /// Every slot, oldest first.
    pub(crate) fn all(&self) -> impl Iterator<Item = &ClientLog> {
        self.logs.iter()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn uploads_go_to_open_slots_and_meta_to_uploaded_files() {
        let mut store = ClientLogStore::default();
        let alice = Uuid::new_v4();
        let slot = store.open(alice, "a.txt");
        assert!(!store.upload(Uuid::new_v4(), b"x".to_vec()));
        let meta = vec![("feedbackId".to_owned(), json!("f1"))];
        assert_eq!(store.describe(alice, "a.txt", &meta), 0, "nothing uploaded");
        assert!(store.upload(slot, b"log".to_vec()));
        assert_eq!(store.describe(Uuid::new_v4(), "a.txt", &meta), 0);
        assert_eq!(store.describe(alice, "a.txt", &meta), 1);
        let log = store.all().next().unwrap();
        assert_eq!(log.content.as_deref(), Some(&b"log"[..]));
        assert_eq!(log.meta, meta);
    }

    #[test]
    fn the_oldest_slots_go_first() {
        let mut store = ClientLogStore::default();
        let owner = Uuid::new_v4();
        let first = store.open(owner, "0.txt");
        for i in 1..=MAX_UPLOADS {
            store.open(owner, &format!("{i}.txt"));
        }
        assert_eq!(store.all().count(), MAX_UPLOADS);
        assert!(!store.upload(first, Vec::new()));
    }
}
