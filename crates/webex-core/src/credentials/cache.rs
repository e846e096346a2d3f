use std::sync::{Arc, Mutex, PoisonError};

use super::{AccessToken, ProvideToken};
use crate::{Error, ErrorKind, Result};

/// Caches the provider's token and refreshes it single-flight.
///
/// Twenty requests rejected with the same token cause exactly one
/// [`ProvideToken::refresh`]: the first caller refreshes while holding an async lock, the
/// others wait for it and see that the cached token has already changed.
#[derive(Debug, Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    provider: Arc<dyn ProvideToken>,
    current: Mutex<Option<Arc<AccessToken>>>,
    refresh_lock: tokio::sync::Mutex<()>,
}

impl TokenCache {
    /// Wraps `provider`.
    pub fn new(provider: Arc<dyn ProvideToken>) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider,
                current: Mutex::default(),
                refresh_lock: tokio::sync::Mutex::default(),
            }),
        }
    }

    /// Whether the provider can refresh at all.
    #[must_use]
    pub fn can_refresh(&self) -> bool {
        self.inner.provider.can_refresh()
    }

    /// The cached token unless its provider asked to be consulted again by now.
    fn cached_current(&self) -> Option<Arc<AccessToken>> {
        self.cached().filter(|token| !token.is_due())
    }

    fn cached(&self) -> Option<Arc<AccessToken>> {
        self.inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, token: AccessToken) -> Arc<AccessToken> {
        let token = Arc::new(token);
        *self
            .inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
        token
    }

    /// The current token, asking the provider the first time and again once the token's
    /// [`refresh_at`](AccessToken::refresh_at) has come (single-flight: one caller asks, the
    /// others wait for its answer).
    ///
    /// # Errors
    /// Whatever the provider returns, as [`ErrorKind::Credentials`].
    pub async fn token(&self) -> Result<Arc<AccessToken>> {
        if let Some(token) = self.cached_current() {
            return Ok(token);
        }
        let _guard = self.inner.refresh_lock.lock().await;
        if let Some(token) = self.cached_current() {
            return Ok(token);
        }
        let token = self
            .inner
            .provider
            .token()
            .await
            .map_err(as_credentials_error)?;
        Ok(self.store(token))
    }

    /// A token to replace `rejected`, or `None` when the provider cannot refresh.
    ///
    /// # Errors
    /// A failed refresh, as [`ErrorKind::Credentials`].
    pub async fn refresh(&self, rejected: &AccessToken) -> Result<Option<Arc<AccessToken>>> {
        let _guard = self.inner.refresh_lock.lock().await;
        if let Some(current) = self.cached()
            && *current != *rejected
        {
            // Someone else refreshed while we waited for the lock.
            return Ok(Some(current));
        }
        match self
            .inner
            .provider
            .refresh()
            .await
            .map_err(as_credentials_error)?
        {
            Some(token) => Ok(Some(self.store(token))),
            None => Ok(None),
        }
    }
}

fn as_credentials_error(err: Error) -> Error {
    if err.kind() == ErrorKind::Credentials {
        err
    } else {
        Error::new(
            ErrorKind::Credentials,
            format!("token provider failed: {err}"),
        )
        .with_source(err)
    }
}
