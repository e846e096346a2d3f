//! The data-channel registrations and the sockets attached to them, and
//! the relay of an event to the other participants' sockets of one meeting.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::kit::lock;

/// How many relayed events may wait for one slow socket; past that the
/// socket is closed (1011) rather than losing events silently.
pub(super) const SOCKET_QUEUE: usize = 256;

/// The most registrations kept; the oldest go first.
const MAX_REGISTRATIONS: usize = 1024;

/// One device's registration to a meeting's data channel.
struct Registration {
    /// The meeting (locus id) it belongs to.
    locus: String,
    /// Who registered.
    owner: Uuid,
    /// The device that registered (`deviceUrl`).
    device_url: String,
    /// When it was made, for eviction.
    order: u64,
    /// The open sockets of this registration.
    sockets: Vec<mpsc::Sender<Value>>,
}

/// Why a socket cannot attach to a registration.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum AttachError {
    /// No such registration (never made, or replaced).
    Unknown,
    /// The token is not the registration owner's.
    NotOwner,
}

/// Every registration, by id.
#[derive(Default)]
pub(crate) struct DataChannels {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    registrations: HashMap<Uuid, Registration>,
    next_order: u64,
}

impl DataChannels {
    /// Registers `device_url` of `owner` to the data channel of `locus`;
    /// the registration id. A device registering again to the same meeting
    /// replaces its earlier registration (whose sockets end).
    pub(super) fn register(&self, locus: &str, owner: Uuid, device_url: &str) -> Uuid {
        let mut inner = lock(&self.inner);
        inner
            .registrations
            .retain(|_, r| !(r.locus == locus && r.device_url == device_url));
        if inner.registrations.len() >= MAX_REGISTRATIONS
            && let Some(oldest) = inner
                .registrations
                .iter()
                .min_by_key(|(_, r)| r.order)
                .map(|(id, _)| *id)
        {
            inner.registrations.remove(&oldest);
        }
        let id = Uuid::new_v4();
        let order = inner.next_order;
        inner.next_order += 1;
        inner.registrations.insert(
            id,
            Registration {
                locus: locus.to_owned(),
                owner,
                device_url: device_url.to_owned(),
                order,
                sockets: Vec::new(),
            },
        );
        id
    }

    /// Removes every registration (a reset world's meetings are gone); their
    /// sockets' queues close, so their tasks end them.
    pub(crate) fn clear(&self) {
        lock(&self.inner).registrations.clear();
    }

    /// Whether registration `id` exists.
    #[cfg(test)]
    fn contains(&self, id: Uuid) -> bool {
        lock(&self.inner).registrations.contains_key(&id)
    }

    /// Attaches a socket of `person` to registration `id`; the queue of
    /// what is relayed to it.
    pub(super) fn attach(
        &self,
        id: Uuid,
        person: Uuid,
    ) -> Result<mpsc::Receiver<Value>, AttachError> {
        let mut inner = lock(&self.inner);
        let registration = inner
            .registrations
            .get_mut(&id)
            .ok_or(AttachError::Unknown)?;
        if registration.owner != person {
            return Err(AttachError::NotOwner);
        }
        let (sender, receiver) = mpsc::channel(SOCKET_QUEUE);
        registration.sockets.push(sender);
        Ok(receiver)
    }

    /// Queues `data` for every socket registered to `locus` by someone
    /// other than `sender`; how many sockets got it. A socket whose queue
    /// is full or gone is dropped from its registration (its task then
    /// closes it).
    pub(super) fn relay(&self, locus: &str, sender: Uuid, data: &Value) -> usize {
        let mut inner = lock(&self.inner);
        let mut count = 0;
        for registration in inner
            .registrations
            .values_mut()
            .filter(|r| r.locus == locus && r.owner != sender)
        {
            registration
                .sockets
                .retain(|socket| match socket.try_send(data.clone()) {
                    Ok(()) => {
                        count += 1;
                        true
                    }
                    Err(_) => false,
                });
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn relays_go_to_the_other_people_of_the_same_meeting() {
        let hub = DataChannels::default();
        let (alice, bob, carol) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let a = hub.register("L1", alice, "dev-a");
        let b = hub.register("L1", bob, "dev-b");
        let c = hub.register("L2", carol, "dev-c");
        assert_eq!(hub.attach(a, bob).unwrap_err(), AttachError::NotOwner);
        assert_eq!(
            hub.attach(Uuid::new_v4(), bob).unwrap_err(),
            AttachError::Unknown
        );
        let mut to_alice = hub.attach(a, alice).unwrap();
        let mut to_bob = hub.attach(b, bob).unwrap();
        let mut to_carol = hub.attach(c, carol).unwrap();
        assert_eq!(hub.relay("L1", alice, &json!(1)), 1);
        assert_eq!(to_bob.try_recv().unwrap(), json!(1));
        assert!(to_alice.try_recv().is_err(), "not back to the sender");
        assert!(to_carol.try_recv().is_err(), "not to another meeting");
    }

    #[test]
    fn clearing_removes_every_registration_and_ends_its_sockets() {
        let hub = DataChannels::default();
        let alice = Uuid::new_v4();
        let id = hub.register("L1", alice, "dev-a");
        let mut socket = hub.attach(id, alice).unwrap();
        hub.clear();
        assert!(!hub.contains(id));
        assert_eq!(hub.attach(id, alice).unwrap_err(), AttachError::Unknown);
        assert!(
            socket.try_recv().is_err() && socket.is_closed(),
            "the socket's queue is closed"
        );
    }

    #[test]
    fn registering_again_replaces_and_full_queues_are_dropped() {
        let hub = DataChannels::default();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let first = hub.register("L1", bob, "dev-b");
        let second = hub.register("L1", bob, "dev-b");
        assert_eq!(hub.attach(first, bob).unwrap_err(), AttachError::Unknown);
        let _slow = hub.attach(second, bob).unwrap();
        for _ in 0..SOCKET_QUEUE {
            assert_eq!(hub.relay("L1", alice, &json!(0)), 1);
        }
        assert_eq!(
            hub.relay("L1", alice, &json!(0)),
            0,
            "the full socket is dropped"
        );
    }
}
