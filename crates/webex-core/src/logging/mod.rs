//! Logging on `tracing`, plus a bounded in-memory history of recent records that a log upload
//! can read later (the JS SDK's logger buffer).
//!
//! SDK code logs with the [`log!`](crate::log!) macro and its per-level forms
//! ([`log_error!`](crate::log_error!), [`log_warn!`](crate::log_warn!),
//! [`log_info!`](crate::log_info!), [`log_debug!`](crate::log_debug!),
//! [`log_trace!`](crate::log_trace!)), given the client's [`Logger`]. Each record has two
//! independent destinations, and its message is formatted once, only when one of them wants it:
//!
//! - **the history** ([`Logger::history`]) keeps records at or above the configured
//!   [`LogLevel`] (`logger.level`, env `WEBEX_LOG_LEVEL`), oldest dropped first;
//! - **`tracing`** receives a record when the installed subscriber is interested in it. Its
//!   target is the module that logged it, so `EnvFilter` directives select by crate or module:
//!   `RUST_LOG=webex_mercury=debug` keeps Mercury's records (`webex_mercury::driver`,
//!   `webex_mercury`) and nothing else; `webex_core::http=debug` keeps one record per HTTP
//!   attempt (`webex_core::http::layers::logging`) and the retry notices
//!   (`webex_core::http::layers::retry`). Other targets: `webex_core::catalog::u2c`,
//!   `webex_core::webex` (plugins failing to stop), `webex_devices`, `webex_messages::listen`.
//!
//! Nothing passed to the logger may contain a secret: callers redact first (see [`redact`]).
//! Request headers are never logged.

mod history;
mod macros;
pub mod redact;

pub use history::{LogHistory, LogRecord};

#[doc(hidden)]
pub use tracing as __tracing;

use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{LogLevel, LoggerConfig};

/// The SDK's logger: the level of the history, and the history. Log through
/// [`log!`](crate::log!) and its per-level forms.
#[derive(Debug, Clone)]
pub struct Logger {
    level: LogLevel,
    history: Arc<LogHistory>,
}

impl Logger {
    /// A logger for `config`.
    #[must_use]
    pub fn new(config: &LoggerConfig) -> Self {
        Self {
            level: config.level,
            history: Arc::new(
                LogHistory::new(config.history_length).with_max_record_len(config.max_record_len),
            ),
        }
    }

    /// The configured level.
    #[must_use]
    pub fn level(&self) -> LogLevel {
        self.level
    }

    /// Whether the history keeps a record at `level`.
    #[must_use]
    pub fn enabled(&self, level: LogLevel) -> bool {
        self.level.allows(level)
    }

    /// Keeps an already formatted `message` in the history; for the logging macros, which
    /// check [`enabled`](Self::enabled) first.
    #[doc(hidden)]
    pub fn keep(&self, level: LogLevel, target: &'static str, message: String) {
        self.history.push(LogRecord {
            at: SystemTime::now(),
            level,
            target,
            message,
        });
    }

    /// The kept records, oldest first.
    #[must_use]
    pub fn history(&self) -> &LogHistory {
        &self.history
    }
}
