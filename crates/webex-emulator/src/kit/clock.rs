//! Timestamps in the formats Webex uses.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Parses an ISO 8601 time as clients send it in `before=`: RFC 3339 with
/// `Z` or a `+00:00`/`-00:00` offset, with or without fractions.
pub(crate) fn parse_iso(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let utc = text
        .strip_suffix("+00:00")
        .or_else(|| text.strip_suffix("-00:00"))
        .map(|rest| format!("{rest}Z"))
        .unwrap_or_else(|| text.to_owned());
    humantime::parse_rfc3339_weak(utc.trim_end_matches('Z')).ok()
}

/// The data clock: Hydra times have millisecond precision, and lists sort by
/// them, so every object gets a distinct, strictly increasing time and a
/// sequence number, even when two are created in the same millisecond.
#[derive(Debug, Default)]
pub(crate) struct DataClock {
    last_millis: u64,
    seq: u64,
}

/// One tick of the [`DataClock`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stamp {
    /// Creation order, unique across all objects.
    pub(crate) seq: u64,
    /// The time, whole milliseconds.
    pub(crate) time: SystemTime,
}

impl DataClock {
    /// The next stamp: now, or one millisecond after the previous stamp.
    pub(crate) fn tick(&mut self) -> Stamp {
        let now = unix_millis(SystemTime::now());
        self.last_millis = now.max(self.last_millis + 1);
        self.seq += 1;
        Stamp {
            seq: self.seq,
            time: UNIX_EPOCH + Duration::from_millis(self.last_millis),
        }
    }
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
        assert_eq!(unix_millis(time), 1_729_670_000_123);
    }

    #[test]
    fn parses_iso_times() {
        let time = UNIX_EPOCH + Duration::from_millis(1_729_670_000_123);
        assert_eq!(parse_iso("2024-10-23T07:53:20.123Z"), Some(time));
        assert_eq!(parse_iso("2024-10-23T07:53:20.123+00:00"), Some(time));
        assert_eq!(
            parse_iso("2024-10-23T07:53:20Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_729_670_000))
        );
        assert_eq!(parse_iso("yesterday"), None);
    }

    #[test]
    fn data_clock_is_strictly_increasing() {
        let mut clock = DataClock::default();
        let a = clock.tick();
        let b = clock.tick();
        assert!(b.time > a.time);
        assert!(b.seq > a.seq);
        assert_eq!(rfc3339_millis(b.time).len(), 24);
    }
}
