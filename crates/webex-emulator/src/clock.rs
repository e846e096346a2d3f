//! Timestamps in the formats Webex uses.

use std::time::{SystemTime, UNIX_EPOCH};

/// RFC 3339 in UTC with milliseconds, e.g. `2024-10-23T08:00:00.000Z`, the
/// form of Hydra's `created` fields.
pub(crate) fn rfc3339_millis(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

/// Whole seconds since the Unix epoch, as U2C's `timestamp` field has them.
pub(crate) fn unix_secs(time: SystemTime) -> u64 {
    // A clock set before 1970 is not worth failing a request over.
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats() {
        let time = UNIX_EPOCH + Duration::from_millis(1_729_670_000_123);
        assert_eq!(rfc3339_millis(time), "2024-10-23T07:53:20.123Z");
        assert_eq!(unix_secs(time), 1_729_670_000);
    }
}
