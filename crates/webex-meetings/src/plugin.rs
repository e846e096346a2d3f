//! The `meetings` plugin: what one client's meetings share (registration, the collection,
//! reachability, the plugin's event channel).

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use webex_core::{Plugin, PluginId, Webex};

use crate::collection::Collection;
use crate::meetings_events::{EVENT_BUFFER, MeetingsEvent};
use crate::reachability::Reachability;

/// The `meetings` plugin. Add it (with its dependencies, the `devices` and `mercury`
/// plugins) and use the API through [`MeetingsExt`](crate::MeetingsExt).
#[derive(Debug, Clone)]
pub struct MeetingsPlugin {
    pub(crate) shared: Arc<Shared>,
}

impl Default for MeetingsPlugin {
    fn default() -> Self {
        Self {
            shared: Arc::new(Shared {
                registration: Mutex::default(),
                register_lock: tokio::sync::Mutex::new(()),
                collection: Collection::default(),
                reachability: Reachability::default(),
                events: broadcast::channel(EVENT_BUFFER).0,
            }),
        }
    }
}

impl MeetingsPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "meetings";
}

/// Who this client is, once registered, and the tasks registration started.
#[derive(Debug, Clone)]
pub(crate) struct Registration {
    /// Our WDM device URL (to find ourselves in `self.devices[]`).
    pub(crate) device_url: String,
    /// The user's uuid.
    pub(crate) user_id: String,
    /// The user's org uuid, when `people/me` told it.
    pub(crate) org_id: Option<String>,
    /// Whether `people/me` says this is a guest (`appuser`).
    pub(crate) is_guest: bool,
    /// The Mercury router and reconnect watcher.
    pub(crate) tasks: Arc<Vec<JoinHandle<()>>>,
}

/// What the plugin's handles share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) registration: Mutex<Option<Registration>>,
    /// Serialises `register` and `unregister`.
    pub(crate) register_lock: tokio::sync::Mutex<()>,
    pub(crate) collection: Collection,
    pub(crate) reachability: Reachability,
    pub(crate) events: broadcast::Sender<MeetingsEvent>,
}

impl Shared {
    pub(crate) fn registration(&self) -> Option<Registration> {
        self.registration
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_registration(
        &self,
        registration: Option<Registration>,
    ) -> Option<Registration> {
        std::mem::replace(
            &mut *self
                .registration
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
            registration,
        )
    }

    /// Publishes a plugin event (nobody listening is fine).
    pub(crate) fn emit(&self, event: MeetingsEvent) {
        let _ = self.events.send(event);
    }
}

#[webex_core::async_trait]
impl Plugin for MeetingsPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// Locus needs a registered device and its Mercury events.
    fn dependencies(&self) -> Vec<PluginId> {
        vec![
            PluginId::of::<webex_devices::DevicesPlugin>(),
            PluginId::of::<webex_mercury::MercuryPlugin>(),
        ]
    }

    /// Stops the router and every meeting's tasks (nothing is sent: leaving is the
    /// application's call).
    async fn stop(&self, _webex: &Webex) -> webex_core::Result<()> {
        if let Some(registration) = self.shared.set_registration(None) {
            registration.tasks.iter().for_each(JoinHandle::abort);
        }
        for meeting in self.shared.collection.clear() {
            meeting.close();
        }
        Ok(())
    }
}
