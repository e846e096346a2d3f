//! A bounded window of recently seen ids, oldest forgotten first: what keeps a
//! redelivered event (Mercury after a reconnect, `listen()`'s backfill) from
//! surfacing twice.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use foldhash::fast::RandomState;

/// The last `capacity` distinct ids seen.
#[derive(Debug)]
pub struct RecentIds {
    capacity: usize,
    // Both hold the same shared copy of each id: one allocation per event. Hashed with
    // foldhash: three lookups per event, of ids the server chose.
    order: VecDeque<Arc<str>>,
    seen: HashSet<Arc<str>, RandomState>,
}

impl RecentIds {
    /// A window of the last `capacity` ids (0 remembers nothing: every id is new).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            seen: HashSet::default(),
        }
    }

    /// Remembers `id`; false when it was already among the remembered ones.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.capacity == 0 {
            return true;
        }
        if self.seen.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.seen.remove(&oldest);
        }
        let id: Arc<str> = Arc::from(id);
        self.order.push_back(id.clone());
        self.seen.insert(id);
        true
    }

    /// How many ids the window holds now.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the window holds no id.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::RecentIds;

    #[test]
    fn remembers_a_bounded_window() {
        let mut ids = RecentIds::new(2);
        assert!(ids.insert("a"));
        assert!(!ids.insert("a"));
        assert!(ids.insert("b"));
        assert!(ids.insert("c"));
        assert_eq!(ids.len(), 2);
        // `a` fell out of the window.
        assert!(ids.insert("a"));
        assert!(!ids.insert("c"));
        let mut off = RecentIds::new(0);
        assert!(off.insert("a") && off.insert("a"));
    }

    #[test]
    fn an_id_is_new_once_within_the_window() {
        let mut ids = RecentIds::new(2);
        assert!(ids.insert("a"));
        assert!(!ids.insert("a"));
        assert!(ids.insert("b"));
        assert!(!ids.insert("a"));
        // "c" pushes "a" out of the window.
        assert!(ids.insert("c"));
        assert!(ids.insert("a"));
        assert!(!ids.insert("c"));
    }

    #[test]
    fn a_zero_window_remembers_nothing() {
        let mut ids = RecentIds::new(0);
        assert!(ids.insert("a"));
        assert!(ids.insert("a"));
    }
}
