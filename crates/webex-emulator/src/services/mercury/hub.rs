//! The hub: the open, authorized sockets, and what is queued for them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::connections::ConnectionLog;
use crate::kit::lock;

/// How many activities may wait for one socket before it counts as stuck.
pub(super) const QUEUE: usize = 256;

/// The close code and reason for a socket whose queue overflowed.
pub(super) const OVERFLOW: (u16, &str) = (1011, "Too many undelivered events");

/// The close code for a deleted device.
const DEVICE_GONE: u16 = 1000;

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
    kick: Option<oneshot::Sender<(u16, &'static str)>>,
}

/// What a socket task gets when it joins the hub.
pub(super) struct Registration {
    pub(super) id: u64,
    pub(super) frames: mpsc::Receiver<Arc<Outbound>>,
    pub(super) kick: oneshot::Receiver<(u16, &'static str)>,
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
}

impl Hub {
    /// Adds an authorized socket of `person`'s `device`.
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
            },
        );
        Registration {
            id,
            frames: frames_rx,
            kick: kick_rx,
        }
    }

    /// Removes a socket that ended.
    pub(super) fn unregister(&self, id: u64) {
        lock(&self.inner).connections.remove(&id);
    }

    /// Queues an event (an envelope's `data`) for every socket of everyone
    /// in `audience`; never waits. Sockets that are gone or stuck are
    /// dropped.
    pub(crate) fn publish(&self, audience: &[Uuid], data: Value, tracking_id: &str) {
        let outbound = Arc::new(Outbound {
            data,
            tracking_id: tracking_id.to_owned(),
        });
        let mut inner = lock(&self.inner);
        let mut dropped = Vec::new();
        for (id, connection) in &inner.connections {
            if !audience.contains(&connection.person) {
                continue;
            }
            match connection.frames.try_send(Arc::clone(&outbound)) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(_)) => dropped.push((*id, Some(OVERFLOW))),
                Err(mpsc::error::TrySendError::Closed(_)) => dropped.push((*id, None)),
            }
        }
        for (id, reason) in dropped {
            if let Some(mut connection) = inner.connections.remove(&id) {
                tracing::warn!(device = %connection.device, "mercury socket dropped");
                if let (Some(kick), Some(reason)) = (connection.kick.take(), reason) {
                    let _ = kick.send(reason);
                }
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

    /// Closes every socket of `device` with 1000 and `reason`.
    pub(crate) fn close_device(&self, device: Uuid, reason: &'static str) {
        let mut inner = lock(&self.inner);
        let ids: Vec<u64> = inner
            .connections
            .iter()
            .filter(|(_, connection)| connection.device == device)
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            if let Some(kick) = inner
                .connections
                .remove(&id)
                .and_then(|mut connection| connection.kick.take())
            {
                let _ = kick.send((DEVICE_GONE, reason));
            }
        }
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

    #[test]
    fn stuck_and_gone_sockets_are_dropped_without_affecting_others() {
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
        assert_eq!(stuck.kick.try_recv().unwrap(), OVERFLOW);
        assert_eq!(lock(&hub.inner).connections.len(), 1);
        assert!(fine.frames.try_recv().is_ok());
        hub.unregister(fine.id);
        assert!(lock(&hub.inner).connections.is_empty());
    }

    #[test]
    fn deleting_a_device_kicks_its_sockets() {
        let hub = Hub::default();
        let device = Uuid::new_v4();
        let mut one = hub.register(Uuid::new_v4(), device);
        let mut other = hub.register(Uuid::new_v4(), Uuid::new_v4());
        hub.close_device(device, "bye");
        assert_eq!(one.kick.try_recv().unwrap(), (DEVICE_GONE, "bye"));
        assert!(other.kick.try_recv().is_err());
    }
}
