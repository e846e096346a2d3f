//! Timing, retry and limit settings of a connection.

use std::time::Duration;

/// Timing, retry and limit settings (`config.mercury` of the JS SDK where it has one;
/// `docs/protocol/mercury.md`, *Reconnecting and backoff* and *Timeouts and limits*).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Wait after a pong before the next ping (15 s).
    pub ping_interval: Duration,
    /// How long a pong may take (14 s).
    pub pong_timeout: Duration,
    /// How long the ready frame may take after the authorization frame (15 s; the JS SDK
    /// waits forever).
    pub ready_timeout: Duration,
    /// How long one frame may take to send (ack, ping, authorization, close; 10 s). A send
    /// that takes longer counts as a broken socket (`1006`).
    pub send_timeout: Duration,
    /// The first backoff step (`backoffTimeReset`, 1 s).
    pub backoff_min: Duration,
    /// The largest backoff step (`backoffTimeMax`, 32 s).
    pub backoff_max: Duration,
    /// How long a connection must stay ready before a drop resets the backoff (10 s). A
    /// connection that drops sooner counts as one more failed attempt.
    pub healthy_after: Duration,
    /// The least time between two device refreshes asked for by close codes (1005, 4404;
    /// 30 s), so a server that keeps answering 1005 does not get a device `PUT` per attempt.
    pub device_refresh_interval: Duration,
    /// Failed attempts in a row before giving up; `None`: never.
    pub max_retries: Option<u32>,
    /// Seed of the jitter; `None` picks one at random.
    pub jitter_seed: Option<u64>,
    /// The largest incoming frame (and message), in bytes (4 MiB); a larger one closes the
    /// socket with 1009 and is reported on the event stream.
    pub max_frame_size: usize,
    /// How many events may wait in each subscriber's queue (1024).
    pub event_buffer: usize,
    /// How long the driver waits for room in a full subscriber queue before that subscriber
    /// misses the event and is told so (`EventError::Lagged`; 5 s).
    pub handoff_timeout: Duration,
    /// How many recent event ids are remembered to drop redeliveries (4096).
    pub dedupe_window: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(15),
            pong_timeout: Duration::from_secs(14),
            ready_timeout: Duration::from_secs(15),
            send_timeout: Duration::from_secs(10),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(32),
            healthy_after: Duration::from_secs(10),
            device_refresh_interval: Duration::from_secs(30),
            max_retries: None,
            jitter_seed: None,
            max_frame_size: 4 << 20,
            event_buffer: 1024,
            handoff_timeout: Duration::from_secs(5),
            dedupe_window: 4096,
        }
    }
}

impl Config {
    /// Sets [`max_retries`](Self::max_retries).
    #[must_use]
    pub fn with_max_retries(mut self, max: Option<u32>) -> Self {
        self.max_retries = max;
        self
    }

    /// Sets [`ping_interval`](Self::ping_interval) and [`pong_timeout`](Self::pong_timeout).
    #[must_use]
    pub fn with_ping(mut self, interval: Duration, pong_timeout: Duration) -> Self {
        self.ping_interval = interval;
        self.pong_timeout = pong_timeout;
        self
    }

    /// Sets the backoff bounds.
    #[must_use]
    pub fn with_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff_min = min;
        self.backoff_max = max;
        self
    }

    /// Sets [`ready_timeout`](Self::ready_timeout) and [`send_timeout`](Self::send_timeout).
    #[must_use]
    pub fn with_timeouts(mut self, ready: Duration, send: Duration) -> Self {
        self.ready_timeout = ready;
        self.send_timeout = send;
        self
    }

    /// Sets [`healthy_after`](Self::healthy_after).
    #[must_use]
    pub fn with_healthy_after(mut self, healthy_after: Duration) -> Self {
        self.healthy_after = healthy_after;
        self
    }

    /// Sets [`jitter_seed`](Self::jitter_seed).
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// Sets [`max_frame_size`](Self::max_frame_size).
    #[must_use]
    pub fn with_max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = bytes;
        self
    }

    /// Sets [`event_buffer`](Self::event_buffer) (at least 1) and
    /// [`handoff_timeout`](Self::handoff_timeout).
    #[must_use]
    pub fn with_event_buffer(mut self, events: usize, handoff_timeout: Duration) -> Self {
        self.event_buffer = events.max(1);
        self.handoff_timeout = handoff_timeout;
        self
    }

    /// Sets [`dedupe_window`](Self::dedupe_window).
    #[must_use]
    pub fn with_dedupe_window(mut self, ids: usize) -> Self {
        self.dedupe_window = ids;
        self
    }

    /// The un-jittered wait before attempt `n` after `n` failures in a row: none after the
    /// first failure's predecessor (`n == 0`), then `backoff_min · 2^(n-1)`, capped.
    #[must_use]
    pub fn backoff(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
        self.backoff_min
            .checked_mul(factor)
            .unwrap_or(self.backoff_max)
            .min(self.backoff_max)
    }
}
