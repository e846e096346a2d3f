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

    /// Drops the cached token, so the next request asks the provider again instead of
    /// sending a token that is no longer good (after a sign-out, say).
    pub fn forget(&self) {
        self.inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    /// The cached token unless its provider asked to be consulted again by now.
    pub(crate) fn cached_current(&self) -> Option<Arc<AccessToken>> {
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use async_trait::async_trait;
    use tokio::time::Instant;

    use super::*;

    /// Hands out `token-<n>` valid for a minute, counting the calls.
    #[derive(Debug, Default)]
    struct Expiring(AtomicUsize);

    #[async_trait]
    impl ProvideToken for Expiring {
        async fn token(&self) -> Result<AccessToken> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Ok(AccessToken::new(format!("token-{n}"))
                .with_refresh_at(Instant::now() + Duration::from_secs(60)))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_due_token_is_asked_for_again_once() {
        let provider = Arc::new(Expiring::default());
        let cache = TokenCache::new(provider.clone());
        assert_eq!(cache.token().await.unwrap().secret(), "token-0");
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(cache.token().await.unwrap().secret(), "token-0");

        tokio::time::advance(Duration::from_secs(1)).await;
        let waiting = (0..10).map(|_| {
            let cache = cache.clone();
            async move { cache.token().await.unwrap().secret().to_owned() }
        });
        let answers = futures::future::join_all(waiting).await;
        assert!(answers.iter().all(|t| t == "token-1"), "{answers:?}");
        assert_eq!(
            provider.0.load(Ordering::SeqCst),
            2,
            "one call per due token"
        );
    }

    #[test]
    fn refresh_at_is_not_part_of_equality() {
        let token = AccessToken::new("abc");
        assert_eq!(token.clone().with_refresh_at(Instant::now()), token);
        assert!(!token.is_due());
    }
}
