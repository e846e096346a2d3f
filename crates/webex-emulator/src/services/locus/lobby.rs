//! The task that drops devices which stopped sending keep-alives while
//! waiting in a lobby (the rule is the world's: `world/meetings/lobby.rs`).
//! It sleeps until the next device would fall silent, or until one starts
//! waiting; with nobody waiting it does not wake at all, so paused-clock
//! tests are not moved along by it.

use std::sync::Arc;

use tokio::time::Instant;

use crate::app::Shared;
use crate::kit::{lock, sweeper};

/// The tracking id of changes this task makes, which no request caused.
const TRACKING_ID: &str = "locus_lobby_keep_alive";

/// Starts the task; it ends when the emulator stops (or is gone).
pub(crate) fn spawn_sweeper(state: &Arc<Shared>) {
    let stop = state.shutdown.subscribe();
    let changed = Arc::clone(&lock(&state.data).meetings.lobby_changed);
    tokio::spawn(sweeper::run(Arc::downgrade(state), stop, changed, sweep));
}

/// Drops the devices silent by now; when the next one would be.
fn sweep(state: &Shared) -> Option<Instant> {
    let mut data = lock(&state.data);
    if data.drop_silent_lobby(Instant::now()) > 0 {
        data.drain(TRACKING_ID);
    }
    data.next_lobby_deadline()
}
