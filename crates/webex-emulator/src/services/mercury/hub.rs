//! The hub: the open, authorized sockets, what is queued for them, and what
//! waits for a device's next socket ([`super::parking`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use uuid::Uuid;

use super::connections::ConnectionLog;
use super::fault::{Kick, MercuryFaultAction};
use super::parking::{Parking, Pending};
use crate::kit::lock;

/// How many activities may wait for one socket before it counts as stuck.
pub(super) const QUEUE: usize = 256;

/// The close code and reason for a socket whose queue overflowed.
pub(super) const OVERFLOW: (u16, &str) = (1011, "Too many undelivered events");

/// The most activities kept aside for a stuck socket while it closes (they
/// are parked with the rest when it has closed).
const SPILL: usize = 1024;

/// What one socket is sent: the envelope's `data` and the tracking id of
/// the request that caused it.
#[derive(Debug)]
pub(crate) struct Outbound {
    pub(super) data: Value,
    pub(super) tracking_id: String,
}

/// An authorized socket, as the hub knows it.
struct Connection {
    person: Uuid,
    device: Uuid,
    frames: mpsc::Sender<Arc<Outbound>>,
    /// Taken by the first kick: a socket is told once how to end.
    kick: Option<oneshot::Sender<Kick>>,
    /// What did not fit in the queue of a socket that is closing for it.
    spill: Vec<Arc<Outbound>>,
}

impl Connection {
    fn kick(&mut self, kick: Kick) -> bool {
        self.kick
            .take()
            .is_some_and(|sender| sender.send(kick).is_ok())
    }
}

/// What a socket task gets when it joins the hub.
pub(super) struct Registration {
    pub(super) id: u64,
    person: Uuid,
    device: Uuid,
    pub(super) frames: mpsc::Receiver<Arc<Outbound>>,
    pub(super) kick: oneshot::Receiver<Kick>,
    /// What the device's previous socket left undelivered, to send first.
    pub(super) redeliver: Vec<Pending>,
}

/// The open, authorized sockets.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<HubInner>,
    /// Every socket accepted, authorized or not, and how it ended.
    pub(crate) connections: ConnectionLog,
}

#[derive(Default)]
struct HubInner {
    next_id: u64,
    connections: HashMap<u64, Connection>,
    parking: Parking,
}

impl Hub {
    /// Adds an authorized socket of `person`'s `device`, with what the
    /// device's previous socket left undelivered.
    pub(super) fn register(&self, person: Uuid, device: Uuid) -> Registration {
        let (frames_tx, frames_rx) = mpsc::channel(QUEUE);
        let (kick_tx, kick_rx) = oneshot::channel();
        let mut inner = lock(&self.inner);
        inner.next_id += 1;
        let id = inner.next_id;
        inner.connections.insert(
            id,
            Connection {
                person,
                device,
                frames: frames_tx,
                kick: Some(kick_tx),
                spill: Vec::new(),
            },
        );
        let redeliver = inner.parking.take(person, device, Instant::now());
        Registration {
            id,
            person,
            device,
            frames: frames_rx,
            kick: kick_rx,
            redeliver,
        }
    }

    /// Removes a socket that ended. With `park`, what it was sent and never
    /// acknowledged (`unacked`), then what is still queued for it, waits for
    /// its device's next socket; without, it is dropped (the device is gone
    /// or the emulator is stopping).
    pub(super) fn leave(
        &self,
        mut registration: Registration,
        unacked: impl IntoIterator<Item = Pending>,
        park: bool,
    ) {
        let mut inner = lock(&self.inner);
        let spill = inner
            .connections
            .remove(&registration.id)
            .map(|connection| connection.spill)
            .unwrap_or_default();
        if !park {
            return;
        }
        let mut queued = Vec::new();
        while let Ok(outbound) = registration.frames.try_recv() {
            queued.push(outbound);
        }
        let waiting = queued
            .into_iter()
            .chain(spill)
            .map(|outbound| Pending { id: None, outbound });
        inner.parking.park(
            registration.person,
            registration.device,
            unacked.into_iter().chain(waiting),
            Instant::now(),
        );
    }

    /// Queues an event (an envelope's `data`) for every socket of everyone
    /// in `audience`, and for their devices that are between sockets; never
    /// waits. A socket whose queue is full is told to close (what did not
    /// fit waits for its device's next socket); a gone one is dropped.
    pub(crate) fn publish(&self, audience: &[Uuid], data: Value, tracking_id: &str) {
        let outbound = Arc::new(Outbound {
            data,
            tracking_id: tracking_id.to_owned(),
        });
        let mut inner = lock(&self.inner);
        let mut gone = Vec::new();
        let mut delivered = Vec::new();
        for (id, connection) in &mut inner.connections {
            if !audience.contains(&connection.person) {
                continue;
            }
            match connection.frames.try_send(Arc::clone(&outbound)) {
                Ok(()) => delivered.push(connection.device),
                Err(mpsc::error::TrySendError::Full(_)) => {
                    if connection.spill.len() < SPILL {
                        connection.spill.push(Arc::clone(&outbound));
                    }
                    delivered.push(connection.device);
                    let (code, reason) = OVERFLOW;
                    if connection.kick(Kick::Close(code, Cow::Borrowed(reason))) {
                        tracing::warn!(device = %connection.device, "mercury socket stuck: closing it");
                    }
                }
                Err(mpsc::error::TrySendError::Closed(_)) => gone.push(*id),
            }
        }
        for id in gone {
            if let Some(connection) = inner.connections.remove(&id) {
                tracing::warn!(device = %connection.device, "mercury socket dropped");
            }
        }
        inner
            .parking
            .publish(audience, &outbound, &delivered, Instant::now());
    }

    /// Queues an event for the open sockets of one device (a KMS answer is for the device
    /// that asked); a device between sockets misses it (the asker retries).
    pub(crate) fn publish_to_device(&self, device: Uuid, data: Value, tracking_id: &str) {
        let outbound = Arc::new(Outbound {
            data,
            tracking_id: tracking_id.to_owned(),
        });
        let inner = lock(&self.inner);
        for connection in inner.connections.values() {
            if connection.device == device
                && connection.frames.try_send(Arc::clone(&outbound)).is_err()
            {
                tracing::warn!(device = %connection.device, "mercury socket full or gone: event dropped");
            }
        }
    }

    /// The queues of the open sockets of everyone in `audience`.
    pub(super) fn queues_of(&self, audience: &[Uuid]) -> Vec<mpsc::Sender<Arc<Outbound>>> {
        lock(&self.inner)
            .connections
            .values()
            .filter(|connection| audience.contains(&connection.person))
            .map(|connection| connection.frames.clone())
            .collect()
    }

    /// Closes every socket of a deleted `device` with 1000 and `reason`, and
    /// forgets what waits for it.
    pub(crate) fn close_device(&self, device: Uuid, reason: &'static str) {
        let mut inner = lock(&self.inner);
        for connection in inner.connections.values_mut() {
            if connection.device == device {
                connection.kick(Kick::Gone(Cow::Borrowed(reason)));
            }
        }
        inner.parking.forget(device);
    }

    /// Applies a fault to every open socket of `person` (of everyone when
    /// `None`) that is not already ending; returns how many it hit.
    pub(crate) fn fault(&self, person: Option<Uuid>, action: MercuryFaultAction) -> usize {
        let mut inner = lock(&self.inner);
        inner
            .connections
            .values_mut()
            .filter(|connection| person.is_none_or(|person| connection.person == person))
            .map(|connection| connection.kick(action.kick()))
            .filter(|hit| *hit)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn activity() -> Value {
        json!({"eventType": "conversation.activity", "activity": {"verb": "post"}})
    }

    #[test]
    fn publishes_to_the_audience_only() {
        let hub = Hub::default();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let mut a = hub.register(alice, Uuid::new_v4());
        let mut b = hub.register(bob, Uuid::new_v4());
        hub.publish(&[alice], activity(), "T_1");
        let got = a.frames.try_recv().unwrap();
        assert_eq!(got.data["eventType"], "conversation.activity");
        assert_eq!(got.data["activity"]["verb"], "post");
        assert_eq!(got.tracking_id, "T_1");
        assert!(b.frames.try_recv().is_err());
    }

    fn overflow() -> Kick {
        Kick::Close(OVERFLOW.0, Cow::Borrowed(OVERFLOW.1))
    }

    #[tokio::test]
    async fn stuck_and_gone_sockets_are_dropped_without_affecting_others() {
        let hub = Hub::default();
        let alice = Uuid::new_v4();
        let mut stuck = hub.register(alice, Uuid::new_v4());
        let gone = hub.register(alice, Uuid::new_v4());
        let mut fine = hub.register(alice, Uuid::new_v4());
        drop(gone);
        for _ in 0..QUEUE {
            hub.publish(&[alice], activity(), "T");
            while fine.frames.try_recv().is_ok() {}
        }
        assert_eq!(lock(&hub.inner).connections.len(), 2);
        hub.publish(&[alice], activity(), "T");
        assert_eq!(stuck.kick.try_recv().unwrap(), overflow());
        assert!(fine.frames.try_recv().is_ok());
        // The stuck socket stays until it has closed; what it missed waits.
        hub.leave(stuck, [], true);
        assert_eq!(lock(&hub.inner).connections.len(), 1);
        hub.leave(fine, [], true);
        assert!(lock(&hub.inner).connections.is_empty());
    }

    #[tokio::test]
    async fn deleting_a_device_kicks_its_sockets_and_forgets_its_frames() {
        let hub = Hub::default();
        let (alice, device) = (Uuid::new_v4(), Uuid::new_v4());
        let mut one = hub.register(alice, device);
        let mut other = hub.register(Uuid::new_v4(), Uuid::new_v4());
        hub.publish(&[alice], activity(), "T");
        hub.close_device(device, "bye");
        assert_eq!(
            one.kick.try_recv().unwrap(),
            Kick::Gone(Cow::Borrowed("bye"))
        );
        assert!(other.kick.try_recv().is_err());
        hub.leave(one, [], false);
        assert!(hub.register(alice, device).redeliver.is_empty());
    }

    #[tokio::test]
    async fn faults_hit_the_sockets_of_one_person_or_everyone_once() {
        let hub = Hub::default();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let mut a = hub.register(alice, Uuid::new_v4());
        let mut b = hub.register(bob, Uuid::new_v4());
        assert_eq!(hub.fault(Some(alice), MercuryFaultAction::Stall), 1);
        assert_eq!(a.kick.try_recv().unwrap(), Kick::Stall);
        assert!(b.kick.try_recv().is_err());
        // Alice's socket is already ending: only Bob's is hit.
        assert_eq!(hub.fault(None, MercuryFaultAction::Close { code: 1006 }), 1);
        assert_eq!(b.kick.try_recv().unwrap(), Kick::Drop);
        assert_eq!(hub.fault(Some(Uuid::new_v4()), MercuryFaultAction::Drop), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reconnecting_device_gets_what_its_last_socket_missed() {
        let hub = Hub::default();
        let (alice, device) = (Uuid::new_v4(), Uuid::new_v4());
        let mut first = hub.register(alice, device);
        hub.publish(&[alice], json!({"n": 1}), "T");
        hub.publish(&[alice], json!({"n": 2}), "T");
        let sent = first.frames.try_recv().unwrap();
        let unacked = Pending {
            id: Some("frame-1".to_owned()),
            outbound: sent,
        };
        hub.leave(first, [unacked], true);
        hub.publish(&[alice], json!({"n": 3}), "T");
        tokio::time::advance(super::super::parking::REDELIVERY_WINDOW / 2).await;
        let second = hub.register(alice, device);
        let numbers: Vec<_> = second
            .redeliver
            .iter()
            .map(|pending| pending.outbound.data["n"].clone())
            .collect();
        assert_eq!(numbers, [json!(1), json!(2), json!(3)]);
        assert_eq!(second.redeliver[0].id.as_deref(), Some("frame-1"));
    }
}
