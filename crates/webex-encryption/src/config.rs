//! `EncryptionConfig`: the JS SDK's `encryption` settings.

use std::time::Duration;

/// How long to wait for KMS; defaults are the JS SDK's (`kmsInitialTimeout`,
/// `kmsMaxTimeout`, `ecdhMaxTimeout`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionConfig {
    /// The first wait for an answer (6 s); each timeout doubles it.
    pub initial_timeout: Duration,
    /// Once the wait reaches this (32 s), the ECDHE context is negotiated anew and the wait
    /// starts over, as long as the next wait stays below `ecdh_max_timeout`.
    pub max_timeout: Duration,
    /// The request fails once the wait reaches this (96 s).
    pub ecdh_max_timeout: Duration,
    /// The ECDHE context is dropped this long before the key's `expirationDate` (30 s).
    pub context_expiry_margin: Duration,
}

impl Default for EncryptionConfig {
    fn default() -> Self {
        Self {
            initial_timeout: Duration::from_secs(6),
            max_timeout: Duration::from_secs(32),
            ecdh_max_timeout: Duration::from_secs(96),
            context_expiry_margin: Duration::from_secs(30),
        }
    }
}
