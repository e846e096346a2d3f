use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use crate::bounded::cut;
use crate::config::LogLevel;

/// One kept log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// When it was logged.
    pub at: SystemTime,
    /// Its level.
    pub level: LogLevel,
    /// The module that logged it, e.g. `webex_mercury::driver`; the `tracing` target.
    pub target: &'static str,
    /// The text, already redacted.
    pub message: String,
}

/// A ring buffer of the most recent records; the oldest is dropped when it is full.
#[derive(Debug)]
pub struct LogHistory {
    capacity: usize,
    max_record_len: usize,
    records: Mutex<VecDeque<LogRecord>>,
}

impl LogHistory {
    /// A history keeping at most `capacity` records.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            max_record_len: usize::MAX,
            records: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
        }
    }

    /// The same history cutting each message to at most `bytes` (marked `…`).
    #[must_use]
    pub fn with_max_record_len(mut self, bytes: usize) -> Self {
        self.max_record_len = bytes;
        self
    }

    pub(crate) fn push(&self, mut record: LogRecord) {
        if self.capacity == 0 {
            return;
        }
        record.message = cut(record.message, self.max_record_len);
        let mut records = self.records.lock().unwrap_or_else(PoisonError::into_inner);
        if records.len() == self.capacity {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// A copy of the kept records, oldest first.
    #[must_use]
    pub fn records(&self) -> Vec<LogRecord> {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }

    /// How many records are kept now.
    #[must_use]
    pub fn len(&self) -> usize {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: usize) -> LogRecord {
        LogRecord {
            at: SystemTime::UNIX_EPOCH,
            level: LogLevel::Info,
            target: "t",
            message: n.to_string(),
        }
    }

    #[test]
    fn drops_oldest_when_full() {
        let history = LogHistory::new(3);
        for n in 0..5 {
            history.push(record(n));
        }
        let kept: Vec<_> = history.records().into_iter().map(|r| r.message).collect();
        assert_eq!(kept, ["2", "3", "4"]);
    }

    #[test]
    fn zero_capacity_keeps_nothing() {
        let history = LogHistory::new(0);
        history.push(record(1));
        assert!(history.is_empty());
    }
}
