//! Redelivery: what a device's socket did not get acknowledged waits for the
//! device's next socket, for a while.
//!
//! Clients acknowledge every frame (`{"type": "ack", "messageId"}`), and the
//! server keeps what was not acknowledged. When a socket ends, for any reason
//! but its device being deleted or the emulator stopping, the frames it was
//! sent and never acknowledged, then those still queued for it, are parked
//! under its device, and so is every event for the device's owner that is
//! published while the device has no socket. When the same device connects
//! again within [`REDELIVERY_WINDOW`] of the socket's end, the parked frames
//! are sent right after the readiness frame, in their original order and
//! under their original frame ids, before anything new; after the window they
//! are forgotten (a client then backfills over REST).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use uuid::Uuid;

use super::hub::Outbound;

/// How long after a socket ends its device's undelivered frames are kept.
///
/// Long enough for a client to notice a stalled socket (the JS SDK pings
/// every 15 s and gives a pong 14 s) and come back through its longest
/// backoff (32 s), with room to spare.
pub(crate) const REDELIVERY_WINDOW: Duration = Duration::from_secs(120);

/// The most frames kept for one device; beyond it the oldest are forgotten
/// (and logged), as a client away that long backfills anyway.
const CAPACITY: usize = 1024;

/// A frame waiting for delivery: its frame id once it was sent (a
/// redelivery reuses it), and what it carries.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    pub(super) id: Option<String>,
    pub(super) outbound: Arc<Outbound>,
}

/// The frames parked per device.
#[derive(Default)]
pub(super) struct Parking {
    devices: HashMap<Uuid, Parked>,
}

/// One device's parked frames.
struct Parked {
    person: Uuid,
    until: Instant,
    frames: VecDeque<Pending>,
}

impl Parked {
    fn push(&mut self, device: Uuid, pending: Pending) {
        if self.frames.len() >= CAPACITY {
            self.frames.pop_front();
            tracing::warn!(%device, "mercury redelivery buffer full: oldest frame forgotten");
        }
        self.frames.push_back(pending);
    }
}

impl Parking {
    /// Parks `frames` of `person`'s `device`, whose socket just ended, after
    /// anything already parked for it; the window starts again.
    pub(super) fn park(
        &mut self,
        person: Uuid,
        device: Uuid,
        frames: impl IntoIterator<Item = Pending>,
        now: Instant,
    ) {
        self.expire(now);
        let parked = self.devices.entry(device).or_insert_with(|| Parked {
            person,
            until: now,
            frames: VecDeque::new(),
        });
        parked.until = now + REDELIVERY_WINDOW;
        for pending in frames {
            parked.push(device, pending);
        }
    }

    /// Parks an event published for `audience` on every parked device of
    /// someone in it, except `delivered` (devices a live socket got it on).
    pub(super) fn publish(
        &mut self,
        audience: &[Uuid],
        outbound: &Arc<Outbound>,
        delivered: &[Uuid],
        now: Instant,
    ) {
        self.expire(now);
        for (device, parked) in &mut self.devices {
            if audience.contains(&parked.person) && !delivered.contains(device) {
                parked.push(
                    *device,
                    Pending {
                        id: None,
                        outbound: Arc::clone(outbound),
                    },
                );
            }
        }
    }

    /// Takes what is parked for `person`'s `device`, which just connected.
    pub(super) fn take(&mut self, person: Uuid, device: Uuid, now: Instant) -> Vec<Pending> {
        self.expire(now);
        match self.devices.remove(&device) {
            Some(parked) if parked.person == person => parked.frames.into(),
            _ => Vec::new(),
        }
    }

    /// Forgets what is parked for a deleted device.
    pub(super) fn forget(&mut self, device: Uuid) {
        self.devices.remove(&device);
    }

    fn expire(&mut self, now: Instant) {
        self.devices.retain(|_, parked| parked.until > now);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pending(n: u64, id: Option<&str>) -> Pending {
        Pending {
            id: id.map(str::to_owned),
            outbound: Arc::new(Outbound {
                data: json!({"n": n}),
                tracking_id: "T".to_owned(),
            }),
        }
    }

    fn numbers(frames: &[Pending]) -> Vec<u64> {
        frames
            .iter()
            .map(|p| p.outbound.data["n"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn parked_and_later_events_come_back_in_order_within_the_window() {
        let mut parking = Parking::default();
        let (alice, device, now) = (Uuid::new_v4(), Uuid::new_v4(), Instant::now());
        parking.park(
            alice,
            device,
            [pending(1, Some("f1")), pending(2, None)],
            now,
        );
        parking.publish(&[alice], &pending(3, None).outbound, &[], now);
        parking.publish(&[Uuid::new_v4()], &pending(4, None).outbound, &[], now);
        parking.publish(&[alice], &pending(5, None).outbound, &[device], now);
        let back = parking.take(alice, device, now + REDELIVERY_WINDOW / 2);
        assert_eq!(numbers(&back), [1, 2, 3]);
        assert_eq!(back[0].id.as_deref(), Some("f1"));
        assert!(parking.take(alice, device, now).is_empty(), "taken once");
    }

    #[test]
    fn the_window_ends_and_others_cannot_take_them() {
        let mut parking = Parking::default();
        let (alice, device, now) = (Uuid::new_v4(), Uuid::new_v4(), Instant::now());
        parking.park(alice, device, [pending(1, None)], now);
        assert!(parking.take(Uuid::new_v4(), device, now).is_empty());
        parking.park(alice, device, [pending(1, None)], now);
        assert!(
            parking
                .take(alice, device, now + REDELIVERY_WINDOW)
                .is_empty()
        );
        parking.park(alice, device, [pending(1, None)], now);
        parking.forget(device);
        assert!(parking.take(alice, device, now).is_empty());
    }

    #[test]
    fn a_full_buffer_forgets_the_oldest() {
        let mut parking = Parking::default();
        let (alice, device, now) = (Uuid::new_v4(), Uuid::new_v4(), Instant::now());
        let frames = (0..CAPACITY as u64 + 2).map(|n| pending(n, None));
        parking.park(alice, device, frames, now);
        let back = parking.take(alice, device, now);
        assert_eq!(back.len(), CAPACITY);
        assert_eq!(numbers(&back)[0], 2);
    }
}
