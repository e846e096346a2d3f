//! [`Timestamp`]: the instants Hydra models carry (`created`, `lastActivity`, ...).

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use webex_core::{Error, ErrorKind};

/// An instant as Webex writes it: RFC 3339 in UTC with milliseconds
/// (`2024-10-23T10:00:00.123Z`).
///
/// It orders and compares as time, converts to and from [`SystemTime`] (and so to any
/// date-time crate), and writes back in Webex's shape, so a Hydra timestamp round-trips to
/// the same string. Parsing accepts any number of fraction digits (or none) and the `Z`
/// suffix Webex uses; anything else is an error naming the value.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use webex_messages::Timestamp;
///
/// let t: Timestamp = "2024-10-23T10:00:00.123Z".parse()?;
/// assert_eq!(t.to_string(), "2024-10-23T10:00:00.123Z");
/// let later = Timestamp::from(SystemTime::from(t) + Duration::from_secs(60));
/// assert!(later > t);
/// assert!("yesterday".parse::<Timestamp>().is_err());
/// # Ok::<(), webex_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(SystemTime);

impl Timestamp {
    /// 1970-01-01T00:00:00.000Z, which Webex uses for "never".
    pub const UNIX_EPOCH: Self = Self(SystemTime::UNIX_EPOCH);

    /// The current time.
    #[must_use]
    pub fn now() -> Self {
        Self(SystemTime::now())
    }
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        Self(time)
    }
}

impl From<Timestamp> for SystemTime {
    fn from(time: Timestamp) -> Self {
        time.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        humantime::format_rfc3339_millis(self.0).fmt(f)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        humantime::parse_rfc3339(s).map(Self).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("`{s}` is not an RFC 3339 UTC timestamp: {e}"),
            )
        })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn hydra_timestamps_round_trip_with_their_milliseconds() {
        for text in ["2024-10-23T10:00:00.123Z", "1970-01-01T00:00:00.000Z"] {
            let t: Timestamp = text.parse().unwrap();
            assert_eq!(t.to_string(), text);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        }
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_729_677_600_123);
        assert_eq!(Timestamp::from(t).to_string(), "2024-10-23T10:00:00.123Z");
    }

    #[test]
    fn other_precisions_parse_and_write_back_in_milliseconds() {
        let t: Timestamp = "2024-10-23T10:00:00Z".parse().unwrap();
        assert_eq!(t.to_string(), "2024-10-23T10:00:00.000Z");
        let t: Timestamp = "2024-10-23T10:00:00.123456Z".parse().unwrap();
        assert_eq!(t.to_string(), "2024-10-23T10:00:00.123Z");
    }

    #[test]
    fn they_order_as_time() {
        let a: Timestamp = "2024-10-23T10:00:00.999Z".parse().unwrap();
        let b: Timestamp = "2024-10-23T10:00:01.000Z".parse().unwrap();
        assert!(a < b);
        assert!(Timestamp::UNIX_EPOCH < a);
    }

    #[test]
    fn garbage_is_an_error_naming_the_value() {
        let err = "last tuesday".parse::<Timestamp>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("last tuesday"), "{err}");
        let err = serde_json::from_str::<Timestamp>("\"2024-13-01T00:00:00Z\"").unwrap_err();
        assert!(err.to_string().contains("2024-13-01"), "{err}");
        assert!(serde_json::from_str::<Timestamp>("42").is_err());
    }
}
