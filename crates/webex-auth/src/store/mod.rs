//! Where a provider keeps its tokens, so a restart reuses them, and how instances sharing a
//! store take turns refreshing.

mod file;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod stored;

pub use file::FileTokenStore;
pub use memory::MemoryTokenStore;
#[cfg(feature = "redis")]
pub use redis::RedisTokenStore;

use std::fmt::Debug;
use std::time::Duration;

use crate::{AuthError, TokenSet};

/// A place for one grant's tokens. Implementations must not log or show the tokens.
#[webex_core::async_trait]
pub trait TokenStore: Send + Sync + Debug + 'static {
    /// The stored tokens, if any.
    async fn load(&self) -> Result<Option<TokenSet>, AuthError>;
    /// Replaces the stored tokens with `tokens`.
    async fn save(&self, tokens: &TokenSet) -> Result<(), AuthError>;
    /// Forgets the stored tokens.
    async fn clear(&self) -> Result<(), AuthError>;

    /// Takes the refresh lock that several processes sharing this store need so that only
    /// one of them refreshes at a time (Webex may rotate the refresh token, so a second
    /// refresh with the old one would fail). It waits while another holder has it, at most
    /// about `ttl`, and the lock ends by itself `ttl` after it was taken, so a holder that
    /// died does not block the others for long.
    ///
    /// `None` (the default) means the store is not shared between processes and needs no
    /// lock: the provider's own single-flight is enough. With a lock, the provider reads
    /// the store again before refreshing and uses a token another process saved meanwhile.
    ///
    /// # Errors
    /// The store's error, or [`AuthError::Store`] when the lock stayed taken past `ttl`.
    async fn lock_refresh(&self, ttl: Duration) -> Result<Option<Box<dyn RefreshLock>>, AuthError> {
        let _ = ttl;
        Ok(None)
    }
}

/// A refresh lock taken with [`TokenStore::lock_refresh`]. Dropping it without
/// [`release`](Self::release) leaves it to expire.
#[webex_core::async_trait]
pub trait RefreshLock: Send + Sync + Debug {
    /// Gives the lock up, if it is still this holder's (it may have expired and been taken
    /// by another process since).
    ///
    /// # Errors
    /// The store's error.
    async fn release(self: Box<Self>) -> Result<(), AuthError>;
}
