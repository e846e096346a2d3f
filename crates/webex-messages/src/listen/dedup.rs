//! The window of recently delivered ids that keeps an event from surfacing twice when it
//! arrives both live and by backfill (or twice by backfill).

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use foldhash::fast::RandomState;

/// The last `capacity` distinct ids, oldest forgotten first.
#[derive(Debug)]
pub(crate) struct RecentIds {
    // Both hold the same shared copy of each id. Hashed with foldhash: three lookups per
    // event.
    order: VecDeque<Arc<str>>,
    seen: HashSet<Arc<str>, RandomState>,
    capacity: usize,
}

impl RecentIds {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            order: VecDeque::with_capacity(capacity),
            seen: HashSet::with_capacity_and_hasher(capacity, RandomState::default()),
            capacity,
        }
    }

    /// Records `id`; false when it is already in the window.
    pub(crate) fn insert(&mut self, id: &str) -> bool {
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
}

#[cfg(test)]
mod tests {
    use super::RecentIds;

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
