use std::sync::{Arc, Mutex, PoisonError};

use super::TokenStore;
use crate::{AuthError, TokenSet};

/// Tokens in memory (the default): lost on restart. Clones share one slot.
#[derive(Debug, Clone, Default)]
pub struct MemoryTokenStore {
    slot: Arc<Mutex<Option<TokenSet>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Option<TokenSet>) -> T) -> T {
        f(&mut self.slot.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[webex_core::async_trait]
impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, AuthError> {
        Ok(self.with(|slot| slot.clone()))
    }

    async fn save(&self, tokens: &TokenSet) -> Result<(), AuthError> {
        self.with(|slot| *slot = Some(tokens.clone()));
        Ok(())
    }

    async fn clear(&self) -> Result<(), AuthError> {
        self.with(|slot| *slot = None);
        Ok(())
    }
}
