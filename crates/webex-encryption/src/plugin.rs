//! `EncryptionPlugin`: the registration, and the state every `Kms` handle of a client shares.

use std::sync::Arc;

use webex_core::{Plugin, PluginId};

use crate::config::EncryptionConfig;
use crate::transport::Shared;

/// The `encryption` plugin (the JS SDK's `internal-plugin-encryption`): one KMS context and
/// key cache per client. Needs the devices and Mercury plugins.
#[derive(Debug, Default)]
pub struct EncryptionPlugin {
    pub(crate) shared: Arc<Shared>,
}

impl Clone for EncryptionPlugin {
    /// A clone starts afresh (no context, no keys) with the same settings.
    fn clone(&self) -> Self {
        Self::new(self.shared.config.clone())
    }
}

impl EncryptionPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "encryption";

    /// A plugin with `config`.
    #[must_use]
    pub fn new(config: EncryptionConfig) -> Self {
        Self {
            shared: Arc::new(Shared::new(config)),
        }
    }
}

#[webex_core::async_trait]
impl Plugin for EncryptionPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// KMS requests name the client's device; answers arrive over Mercury.
    fn dependencies(&self) -> Vec<PluginId> {
        vec![
            PluginId::of::<webex_devices::DevicesPlugin>(),
            PluginId::of::<webex_mercury::MercuryPlugin>(),
        ]
    }
}
