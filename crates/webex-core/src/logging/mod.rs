//! Logging on `tracing`, plus a bounded in-memory history of recent records that a log upload
//! can read later (the JS SDK's logger buffer).
//!
//! SDK code logs through [`Logger`], which filters by the configured [`LogLevel`], keeps the
//! record in the history and forwards it to `tracing`. Nothing passed to the logger may contain
//! a secret: callers redact first (see [`redact`]).

mod history;
pub mod redact;

pub use history::{LogHistory, LogRecord};

use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{LogLevel, LoggerConfig};

/// The SDK's logger: level filter, history, and forwarding to `tracing`.
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
            history: Arc::new(LogHistory::new(config.history_length)),
        }
    }

    /// The configured level.
    #[must_use]
    pub fn level(&self) -> LogLevel {
        self.level
    }

    /// Whether a record at `level` would be kept.
    #[must_use]
    pub fn enabled(&self, level: LogLevel) -> bool {
        self.level.allows(level)
    }

    /// Records `message` from `target` at `level`.
    pub fn log(&self, level: LogLevel, target: &'static str, message: impl Into<String>) {
        if !self.enabled(level) {
            return;
        }
        let message = message.into();
        match level.as_tracing() {
            Some(tracing::Level::ERROR) => tracing::error!(sdk_target = target, "{message}"),
            Some(tracing::Level::WARN) => tracing::warn!(sdk_target = target, "{message}"),
            Some(tracing::Level::INFO) => tracing::info!(sdk_target = target, "{message}"),
            Some(tracing::Level::DEBUG) => tracing::debug!(sdk_target = target, "{message}"),
            Some(_) => tracing::trace!(sdk_target = target, "{message}"),
            None => return,
        }
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
