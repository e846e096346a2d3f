//! Dropping redelivered events: the ids of the last few events, oldest forgotten first.

use std::collections::{HashSet, VecDeque};

/// The last `capacity` event ids seen.
#[derive(Debug)]
pub(super) struct RecentIds {
    capacity: usize,
    order: VecDeque<String>,
    seen: HashSet<String>,
}

impl RecentIds {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            order: VecDeque::new(),
            seen: HashSet::new(),
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
        self.order.push_back(id.to_owned());
        self.seen.insert(id.to_owned());
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
