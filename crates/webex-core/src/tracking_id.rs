//! `TrackingID` values in the real client's format: `<prefix>_<session uuid>_<n>`.

use std::sync::atomic::{AtomicU64, Ordering};

use uuid::Uuid;

/// The name of the header, written as Webex spells it; header names are case-insensitive.
pub const TRACKING_ID_HEADER: &str = "trackingid";

/// Generates tracking ids for one client: a fixed session part and a counter from 1.
#[derive(Debug)]
pub struct TrackingIds {
    session: String,
    counter: AtomicU64,
}

impl TrackingIds {
    /// A generator whose session part is `<prefix>_<random uuid v4>`.
    #[must_use]
    pub fn new(prefix: &str) -> Self {
        Self {
            session: format!("{prefix}_{}", Uuid::new_v4()),
            counter: AtomicU64::new(0),
        }
    }

    /// The fixed part shared by every id of this client.
    #[must_use]
    pub fn session_id(&self) -> &str {
        &self.session
    }

    /// The next id.
    pub fn next_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        // Built by hand rather than with `format!`: it runs on every request.
        let mut counter = itoa::Buffer::new();
        let counter = counter.format(n);
        let mut id = String::with_capacity(self.session.len() + 1 + counter.len());
        id.push_str(&self.session);
        id.push('_');
        id.push_str(counter);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_prefix_uuid_counter() {
        let ids = TrackingIds::new("webex-rs");
        let first = ids.next_id();
        let second = ids.next_id();
        let parts: Vec<&str> = first.split('_').collect();
        assert_eq!(parts.len(), 3, "{first}");
        assert_eq!(parts[0], "webex-rs");
        let uuid = Uuid::parse_str(parts[1]).expect("uuid");
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(parts[2], "1");
        assert_eq!(second, format!("{}_2", ids.session_id()));
    }
}
