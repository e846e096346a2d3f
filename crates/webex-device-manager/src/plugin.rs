//! `DeviceManagerPlugin`: registers as `devicemanager`, holds the shared
//! state and follows Mercury for device updates.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::task::AbortHandle;
use webex_core::{Plugin, PluginId, Result, Webex};
use webex_devices::DevicesPlugin;
use webex_encryption::EncryptionPlugin;
use webex_mercury::MercuryPlugin;

use crate::listener;
use crate::state::Shared;

/// The `devicemanager` plugin. Needs the `devices` plugin (Lyra pairs a room
/// device with this client's WDM device), `mercury` (device updates) and
/// `encryption` (binding spaces, encrypted device names).
#[derive(Debug)]
pub struct DeviceManagerPlugin {
    pub(crate) shared: Arc<Shared>,
    listener: Mutex<Option<AbortHandle>>,
}

impl Default for DeviceManagerPlugin {
    fn default() -> Self {
        Self {
            shared: Shared::new(),
            listener: Mutex::new(None),
        }
    }
}

impl DeviceManagerPlugin {
    fn set_listener(&self, handle: Option<AbortHandle>) {
        let mut listener = self
            .listener
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(old) = std::mem::replace(&mut *listener, handle) {
            old.abort();
        }
    }
}

#[async_trait]
impl Plugin for DeviceManagerPlugin {
    fn name(&self) -> &'static str {
        "devicemanager"
    }

    fn dependencies(&self) -> Vec<PluginId> {
        vec![
            PluginId::of::<DevicesPlugin>(),
            PluginId::of::<MercuryPlugin>(),
            PluginId::of::<EncryptionPlugin>(),
        ]
    }

    async fn start(&self, webex: &Webex) -> Result<()> {
        let task = tokio::spawn(listener::run(webex.downgrade(), Arc::clone(&self.shared)));
        self.set_listener(Some(task.abort_handle()));
        Ok(())
    }

    async fn stop(&self, _webex: &Webex) -> Result<()> {
        self.set_listener(None);
        self.shared.state().forget_paired();
        Ok(())
    }
}
