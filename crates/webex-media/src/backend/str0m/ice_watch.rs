//! The ICE deadline: once an answer is applied (or the connection is lost), ICE and DTLS
//! must connect within the configured timeout, or the connection fails.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// When the connection must be up by, if it is not.
#[derive(Debug)]
pub(super) struct IceWatch {
    timeout: Duration,
    state: Mutex<WatchState>,
}

#[derive(Debug, Default)]
struct WatchState {
    connected: bool,
    deadline: Option<Instant>,
}

impl IceWatch {
    pub(super) fn new(timeout: Duration) -> Self {
        IceWatch {
            timeout,
            state: Mutex::new(WatchState::default()),
        }
    }

    /// The timeout.
    pub(super) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// An answer was applied: start the clock unless connected.
    pub(super) fn answer_applied(&self) {
        let mut state = crate::lock(&self.state);
        if !state.connected && state.deadline.is_none() {
            state.deadline = Some(Instant::now() + self.timeout);
        }
    }

    /// Connected: no deadline.
    pub(super) fn connected(&self) {
        let mut state = crate::lock(&self.state);
        state.connected = true;
        state.deadline = None;
    }

    /// Lost: it must come back in time.
    pub(super) fn disconnected(&self) {
        let mut state = crate::lock(&self.state);
        state.connected = false;
        state.deadline = Some(Instant::now() + self.timeout);
    }

    /// The deadline, if one runs.
    pub(super) fn deadline(&self) -> Option<Instant> {
        crate::lock(&self.state).deadline
    }
}
