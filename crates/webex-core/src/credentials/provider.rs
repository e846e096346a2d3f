use std::fmt::Debug;

use async_trait::async_trait;

use super::AccessToken;
use crate::Result;

/// A source of access tokens: a pasted bot token, an OAuth grant with refresh, a JWT guest.
///
/// The core calls [`token`](ProvideToken::token) once and caches the answer (again once the
/// answer's [`AccessToken::refresh_at`] has come, so an expiring token is replaced before it
/// is rejected); after a 401 it calls [`refresh`](ProvideToken::refresh) at most once per
/// rejected token, however many requests were rejected at the same time. HTTP requests and
/// the Mercury socket share the client's cache, so the token it stores reaches all of them.
#[async_trait]
pub trait ProvideToken: Send + Sync + Debug + 'static {
    /// The current token.
    async fn token(&self) -> Result<AccessToken>;

    /// A new token after the server rejected the current one, or `None` when this provider
    /// cannot refresh (the 401 then reaches the caller).
    async fn refresh(&self) -> Result<Option<AccessToken>> {
        Ok(None)
    }

    /// Whether [`refresh`](Self::refresh) can ever produce a token. When `false`, requests
    /// skip keeping a copy for a 401 replay that cannot happen.
    fn can_refresh(&self) -> bool {
        true
    }
}

/// A fixed token, e.g. a bot token or a personal access token. It cannot refresh.
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Wraps `token`.
    pub fn new(token: impl AsRef<str>) -> Self {
        Self(AccessToken::new(token))
    }
}

#[async_trait]
impl ProvideToken for StaticToken {
    async fn token(&self) -> Result<AccessToken> {
        Ok(self.0.clone())
    }

    fn can_refresh(&self) -> bool {
        false
    }
}
