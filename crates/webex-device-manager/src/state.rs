//! What the device manager remembers between calls, shared by the API
//! handles, the Mercury listener and the audio report timer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;
use tokio::task::AbortHandle;

use crate::event::DeviceEvent;
use crate::model::{AudioState, AuxiliaryDevice, Space};

/// How many events a slow [`events`](crate::DeviceManager::events) stream may
/// fall behind before it misses some (and is told how many).
const EVENT_BUFFER: usize = 64;

/// A conversation bound to the paired device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BoundSpace {
    /// The conversation's URL.
    pub conversation_url: String,
    /// Its KMS resource object, on which the device's space is authorized.
    pub kms_resource_object_url: String,
}

/// The JS SDK's collection and its `_devicePendingPinChallenge`,
/// `_pairedDevice` and `_boundSpace`, plus the last audio state seen.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Recent and upserted devices by id.
    pub(crate) collection: BTreeMap<String, AuxiliaryDevice>,
    /// The space that showed a PIN and waits for it.
    pub(crate) pending: Option<Space>,
    /// The paired space.
    pub(crate) paired: Option<Space>,
    pub(crate) bound: Option<BoundSpace>,
    /// The paired device's audio, as last read or changed.
    pub(crate) audio: Option<AudioState>,
    /// The timer that reports the audio state while paired.
    pub(crate) reporter: Option<AbortHandle>,
}

impl State {
    /// Forgets the paired device (and its binding), and stops reporting.
    pub(crate) fn forget_paired(&mut self) {
        self.paired = None;
        self.bound = None;
        self.audio = None;
        if let Some(reporter) = self.reporter.take() {
            reporter.abort();
        }
    }
}

/// The state and the event channel.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    pub(crate) events: broadcast::Sender<DeviceEvent>,
}

impl Shared {
    /// Fresh, with nothing paired.
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State::default()),
            events: broadcast::Sender::new(EVENT_BUFFER),
        })
    }

    /// The state; a panic elsewhere while it was held does not make it
    /// unusable (every change is one assignment).
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sends `event` to every stream (none listening is fine).
    pub(crate) fn emit(&self, event: DeviceEvent) {
        let _receivers = self.events.send(event);
    }
}
