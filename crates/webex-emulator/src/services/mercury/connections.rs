//! The log of Mercury sockets: which are open, and how each one ended.
//!
//! Tests read it to see what a client did with its socket (closed it
//! cleanly when dropped, went away without a close frame, was kicked by the
//! server), through [`crate::Emulator::mercury_connections`] or
//! `GET /_emulator/mercury/connections`.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use uuid::Uuid;

use crate::kit::lock;

/// How many sockets the log remembers; the oldest closed ones go first.
const CAPACITY: usize = 1000;

/// One Mercury websocket the emulator accepted, as the log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MercuryConnection {
    /// The device's id (the uuid in its `webSocketUrl`).
    pub device_id: String,
    /// The socket's owner, as a bare person uuid, once the socket is
    /// authorized; `None` before (or when authorization failed).
    pub person_uuid: Option<String>,
    /// Where the socket stands.
    #[serde(flatten)]
    pub state: MercuryConnectionState,
}

/// Whether a socket is open, and if not, who ended it and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum MercuryConnectionState {
    /// Still open.
    Open,
    /// The client sent a close frame (`code` is `None` for a close frame
    /// without a status code).
    #[serde(rename_all = "camelCase")]
    ClosedByClient {
        /// The client's close code.
        code: Option<u16>,
        /// The client's close reason.
        reason: String,
    },
    /// The emulator closed the socket (bad token, deleted device, shutdown,
    /// a stuck queue, ...).
    #[serde(rename_all = "camelCase")]
    ClosedByServer {
        /// The emulator's close code.
        code: u16,
        /// The emulator's close reason.
        reason: String,
    },
    /// The connection ended without a close frame (the TCP connection broke
    /// or a send failed).
    Dropped,
    /// The emulator ended the connection without a close frame (a `drop`
    /// fault, or `close` with 1006).
    DroppedByServer,
    /// A `stall` fault silenced the socket: the emulator neither reads nor
    /// sends on it until the client goes away (or the stall times out).
    Stalled,
}

/// How one socket ended, as the socket task reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    /// The client's close frame.
    Client(Option<u16>, String),
    /// The emulator's close frame.
    Server(u16, String),
    /// No close frame.
    Dropped,
    /// No close frame, by the emulator's choice.
    DroppedByServer,
    /// Silenced by a stall.
    Stalled,
}

impl From<Ending> for MercuryConnectionState {
    fn from(ending: Ending) -> Self {
        match ending {
            Ending::Client(code, reason) => Self::ClosedByClient { code, reason },
            Ending::Server(code, reason) => Self::ClosedByServer { code, reason },
            Ending::Dropped => Self::Dropped,
            Ending::DroppedByServer => Self::DroppedByServer,
            Ending::Stalled => Self::Stalled,
        }
    }
}

/// The log itself, with its own lock (taken alone, never while holding
/// another).
#[derive(Default)]
pub(crate) struct ConnectionLog {
    inner: Mutex<LogInner>,
}

#[derive(Default)]
struct LogInner {
    next_id: u64,
    entries: VecDeque<(u64, MercuryConnection)>,
}

impl ConnectionLog {
    /// Records a newly accepted socket of `device`; returns its log id.
    pub(crate) fn opened(&self, device: Uuid) -> u64 {
        let mut inner = lock(&self.inner);
        inner.next_id += 1;
        let id = inner.next_id;
        if inner.entries.len() >= CAPACITY {
            // Forget the oldest closed socket; open ones stay while they
            // are open, so a test can always find them.
            let oldest_closed = inner
                .entries
                .iter()
                .position(|(_, entry)| entry.state != MercuryConnectionState::Open);
            if let Some(index) = oldest_closed {
                inner.entries.remove(index);
            }
        }
        inner.entries.push_back((
            id,
            MercuryConnection {
                device_id: device.to_string(),
                person_uuid: None,
                state: MercuryConnectionState::Open,
            },
        ));
        id
    }

    /// Records who the socket `id` belongs to, once it is authorized.
    pub(crate) fn authorized(&self, id: u64, person: Uuid) {
        self.update(id, |entry| entry.person_uuid = Some(person.to_string()));
    }

    /// Records how the socket `id` ended.
    pub(crate) fn closed(&self, id: u64, ending: Ending) {
        self.update(id, |entry| entry.state = ending.into());
    }

    /// Forgets every socket (a reset world's): what a socket still open
    /// does later is not recorded, its entry being gone.
    pub(crate) fn clear(&self) {
        lock(&self.inner).entries.clear();
    }

    /// Every remembered socket, oldest first.
    pub(crate) fn list(&self) -> Vec<MercuryConnection> {
        lock(&self.inner)
            .entries
            .iter()
            .map(|(_, entry)| entry.clone())
            .collect()
    }

    fn update(&self, id: u64, change: impl FnOnce(&mut MercuryConnection)) {
        let mut inner = lock(&self.inner);
        if let Some((_, entry)) = inner
            .entries
            .iter_mut()
            .find(|(entry_id, _)| *entry_id == id)
        {
            change(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_the_life_of_a_socket() {
        let log = ConnectionLog::default();
        let (device, person) = (Uuid::new_v4(), Uuid::new_v4());
        let id = log.opened(device);
        assert_eq!(log.list()[0].state, MercuryConnectionState::Open);
        log.authorized(id, person);
        log.closed(id, Ending::Client(Some(1000), "bye".to_owned()));
        let entry = &log.list()[0];
        assert_eq!(entry.device_id, device.to_string());
        assert_eq!(entry.person_uuid, Some(person.to_string()));
        assert_eq!(
            entry.state,
            MercuryConnectionState::ClosedByClient {
                code: Some(1000),
                reason: "bye".to_owned()
            }
        );
    }

    #[test]
    fn forgets_the_oldest_closed_socket_first() {
        let log = ConnectionLog::default();
        let open = log.opened(Uuid::new_v4());
        for _ in 1..CAPACITY {
            let id = log.opened(Uuid::new_v4());
            log.closed(id, Ending::Dropped);
        }
        let newest = Uuid::new_v4();
        log.opened(newest);
        let list = log.list();
        assert_eq!(list.len(), CAPACITY);
        assert_eq!(list[0].state, MercuryConnectionState::Open, "log id {open}");
        assert_eq!(list[CAPACITY - 1].device_id, newest.to_string());
    }

    #[test]
    fn serializes_for_the_admin_api() {
        let entry = MercuryConnection {
            device_id: "d".to_owned(),
            person_uuid: None,
            state: MercuryConnectionState::ClosedByServer {
                code: 4401,
                reason: "no".to_owned(),
            },
        };
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["state"], "closedByServer");
        assert_eq!(json["code"], 4401);
        assert_eq!(json["deviceId"], "d");
    }
}
