//! Where an OAuth provider keeps its tokens, so a restart reuses them.

mod file;
mod memory;
mod stored;

pub use file::FileTokenStore;
pub use memory::MemoryTokenStore;

use std::fmt::Debug;

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
}
