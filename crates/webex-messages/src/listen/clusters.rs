//! The Hydra cluster of each conversation URL an activity names, remembered: a room's
//! activities all name the same URL, and finding its cluster (parsing the URL, searching the
//! catalog) would otherwise be paid on every event.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use foldhash::fast::RandomState;
use url::Url;
use webex_core::Result;

use super::convert::missing;
use crate::client::Hydra;

/// How many URLs are remembered; past it the cache starts over (a URL's cluster is cheap to
/// find again, the bound only keeps a long-lived stream's memory flat).
const CAPACITY: usize = 4096;

/// The clusters of the URLs seen so far, for one `listen()` stream.
#[derive(Debug)]
pub(crate) struct Clusters {
    hydra: Hydra,
    /// Hashed with foldhash: one lookup per event. Shared strings, so that handing a
    /// cluster out costs no copy.
    known: Mutex<HashMap<String, Arc<str>, RandomState>>,
}

impl Clusters {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self {
            hydra,
            known: Mutex::new(HashMap::default()),
        }
    }

    /// The Hydra cluster of the conversation-service URL `url`.
    ///
    /// # Errors
    /// No URL, an invalid one, or one whose host the catalog does not know (never
    /// remembered, so a catalog that learns the host later is asked again).
    pub(crate) fn of(&self, url: Option<&str>) -> Result<Arc<str>> {
        let url = url.ok_or_else(|| missing("a URL"))?;
        if let Some(cluster) = self.lock().get(url) {
            return Ok(cluster.clone());
        }
        let parsed = Url::parse(url).map_err(|_| missing("a valid URL"))?;
        let cluster: Arc<str> = crate::conversation::hydra_cluster(&self.hydra, &parsed)?.into();
        let mut known = self.lock();
        if known.len() >= CAPACITY {
            known.clear();
        }
        known.insert(url.to_owned(), cluster.clone());
        Ok(cluster)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<str>, RandomState>> {
        // The map is only ever whole (inserts and clears), so a poisoned lock is still usable.
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}
