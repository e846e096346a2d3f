//! What every `Kms` handle of one client shares.

use crate::config::EncryptionConfig;

/// The plugin's shared state.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) config: EncryptionConfig,
}

impl Shared {
    pub(crate) fn new(config: EncryptionConfig) -> Self {
        Self { config }
    }
}
