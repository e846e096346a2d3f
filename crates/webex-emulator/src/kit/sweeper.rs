//! A background task that does some work, then sleeps on Tokio's clock
//! until the work says it is next due (or forever when it says never),
//! until something new is announced, or until the emulator stops. Sleeping
//! only until a real deadline keeps paused-clock tests from being moved
//! along by a task with nothing to do.

use std::sync::{Arc, Weak};

use tokio::sync::{Notify, watch};
use tokio::time::Instant;

/// Runs `step` on the owner of `state` whenever it is due, until `stop`
/// flips or the owner is gone. `step` returns when it is next due.
pub(crate) async fn run<T>(
    state: Weak<T>,
    mut stop: watch::Receiver<bool>,
    changed: Arc<Notify>,
    step: impl Fn(&T) -> Option<Instant>,
) {
    loop {
        let next = {
            let Some(state) = state.upgrade() else { return };
            step(&state)
        };
        let due = async {
            match next {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = due => {}
            () = changed.notified() => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
    }
}
