//! Device expiry: a device whose `ttl` ran out without a refresh is removed
//! and its open websockets close, as WDM forgets it and Mercury drops its
//! sockets. Requests already treat an expired device as unknown (404) the
//! moment its time is up; this task makes the sockets follow.

use std::sync::Arc;

use tokio::time::Instant;

use crate::app::Shared;
use crate::bus::{Audience, Envelope, Payload};
use crate::kit::{lock, sweeper};

/// The close reason the websockets of an expired device get.
const EXPIRED: &str = "Device expired";

/// The tracking id of changes made by the expiry task, which no request
/// caused.
const TRACKING_ID: &str = "wdm_device_expiry";

/// Starts the task that removes expired devices and closes their sockets;
/// it ends when the emulator stops (or is gone).
pub(crate) fn spawn_sweeper(state: &Arc<Shared>) {
    let stop = state.shutdown.subscribe();
    let expiry_changed = lock(&state.data).devices.expiry_changed();
    tokio::spawn(sweeper::run(
        Arc::downgrade(state),
        stop,
        expiry_changed,
        |state: &Shared| {
            sweep(state);
            lock(&state.data).devices.next_expiry()
        },
    ));
}

/// Removes the devices expired by now and closes their sockets.
fn sweep(state: &Shared) {
    let mut data = lock(&state.data);
    let expired = data.devices.remove_expired(Instant::now());
    if expired.is_empty() {
        return;
    }
    for uuid in expired {
        tracing::debug!(device = %uuid, "device expired");
        data.post(Envelope {
            audience: Audience::Device(uuid),
            payload: Payload::Close { reason: EXPIRED },
        });
    }
    data.drain(TRACKING_ID);
}
