//! Dropping redelivered events: the ids of the last few events, oldest forgotten first.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use foldhash::fast::RandomState;

/// The last `capacity` event ids seen.
#[derive(Debug)]
pub(super) struct RecentIds {
    capacity: usize,
    // Both hold the same shared copy of each id: one allocation per event. Hashed with
    // foldhash: three lookups per event, of ids the server chose.
    order: VecDeque<Arc<str>>,
    seen: HashSet<Arc<str>, RandomState>,
}

impl RecentIds {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            seen: HashSet::default(),
        }
    }

    /// Remembers `id`; false when it was already among the remembered ones.
    pub(super) fn insert(&mut self, id: &str) -> bool {
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

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.order.len()
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
}
