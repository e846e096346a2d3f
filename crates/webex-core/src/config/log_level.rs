use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Logger levels of the JS SDK, quietest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Nothing at all.
    Silent,
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warn,
    /// The JS SDK's `log` level, between `warn` and `info`.
    Log,
    /// Informational records.
    Info,
    /// Debugging detail.
    Debug,
    /// Everything.
    Trace,
}

impl LogLevel {
    /// The names accepted in config files and `WEBEX_LOG_LEVEL`.
    pub const NAMES: &'static [&'static str] =
        &["silent", "error", "warn", "log", "info", "debug", "trace"];

    /// The closest `tracing` level, or `None` for [`LogLevel::Silent`].
    #[must_use]
    pub fn as_tracing(self) -> Option<tracing::Level> {
        Some(match self {
            Self::Silent => return None,
            Self::Error => tracing::Level::ERROR,
            Self::Warn => tracing::Level::WARN,
            Self::Log | Self::Info => tracing::Level::INFO,
            Self::Debug => tracing::Level::DEBUG,
            Self::Trace => tracing::Level::TRACE,
        })
    }

    /// Whether a record at `record` is kept when this is the configured level.
    #[must_use]
    pub fn allows(self, record: LogLevel) -> bool {
        record != LogLevel::Silent && record <= self
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::NAMES[*self as usize])
    }
}

impl FromStr for LogLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        let levels = [
            Self::Silent,
            Self::Error,
            Self::Warn,
            Self::Log,
            Self::Info,
            Self::Debug,
            Self::Trace,
        ];
        levels
            .into_iter()
            .find(|l| l.to_string() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown log level `{s}`, expected one of {}",
                    Self::NAMES.join("|")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order() {
        for name in LogLevel::NAMES {
            assert_eq!(name.parse::<LogLevel>().unwrap().to_string(), *name);
        }
        assert!(LogLevel::Debug.allows(LogLevel::Warn));
        assert!(!LogLevel::Warn.allows(LogLevel::Info));
        assert!(!LogLevel::Silent.allows(LogLevel::Error));
        assert!("loud".parse::<LogLevel>().is_err());
    }
}
