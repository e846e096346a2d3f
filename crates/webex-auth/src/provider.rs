//! The OAuth token provider: hands out the stored access token, refreshes it shortly before
//! it expires and after a 401, one refresh at a time.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, broadcast};
use tokio::time::Instant;
use webex_core::credentials::{AccessToken, ProvideToken};

use crate::{AuthError, AuthEvent, MemoryTokenStore, OAuthClient, TokenSet, TokenStore};

/// How an [`OAuthProvider`] times its refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Refresh this long before the access token expires (default 5 minutes; a token that
    /// lives less than twice as long refreshes at half its life).
    pub margin: Duration,
    /// After a failed refresh (other than a dead refresh token), give the same error without
    /// calling the broker for this long (default 10 s), so waiting requests do not each call it.
    pub failure_memory: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            margin: Duration::from_secs(300),
            failure_memory: Duration::from_secs(10),
        }
    }
}

/// A [`ProvideToken`] for an OAuth grant of a Webex integration.
///
/// It reads its tokens from a [`TokenStore`] (so a restart reuses them), refreshes shortly
/// before the access token expires and when the client reports a 401, and saves what it
/// gets. Refreshes are single-flight: however many requests wait, one call reaches the
/// broker. A refresh token the broker refuses gives [`AuthError::ReauthorizationRequired`]
/// and one [`AuthEvent::ReauthorizationRequired`], after which it never calls the broker
/// again. Clones share everything.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: OAuthClient,
    store: Arc<dyn TokenStore>,
    policy: RefreshPolicy,
    state: Mutex<State>,
    events: broadcast::Sender<AuthEvent>,
}

#[derive(Debug, Default)]
struct State {
    /// `None` until the store was read.
    tokens: Option<Option<TokenSet>>,
    /// When to refresh the held access token (fixed when it arrives, so a short-lived token
    /// refreshes at half its life rather than at every request).
    refresh_at: Option<Instant>,
    /// The last refresh failure and when it happened.
    failure: Option<(Instant, AuthError)>,
    /// Set once the broker refused the refresh token.
    dead: Option<AuthError>,
}

impl OAuthProvider {
    /// A provider for `client` keeping its tokens in memory (put the first ones in with
    /// [`set_tokens`](Self::set_tokens)).
    #[must_use]
    pub fn new(client: OAuthClient) -> Self {
        Self::with_store(client, MemoryTokenStore::new())
    }

    /// A provider for `client` keeping its tokens in `store`.
    #[must_use]
    pub fn with_store(client: OAuthClient, store: impl TokenStore) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                store: Arc::new(store),
                policy: RefreshPolicy::default(),
                state: Mutex::default(),
                events: broadcast::channel(16).0,
            }),
        }
    }

    /// The same provider with `policy`. Call it before sharing the provider: a clone made
    /// earlier keeps the old policy and no longer shares state with this one.
    #[must_use]
    pub fn with_policy(self, policy: RefreshPolicy) -> Self {
        let mut inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            client: shared.client.clone(),
            store: shared.store.clone(),
            policy,
            state: Mutex::default(),
            events: shared.events.clone(),
        });
        inner.policy = policy;
        let provider = Self {
            inner: Arc::new(inner),
        };
        // Tokens already held get their refresh time under the new policy.
        if let Ok(mut state) = provider.inner.state.try_lock()
            && let Some(tokens) = state.tokens.take()
        {
            provider.hold(&mut state, tokens);
        }
        provider
    }

    /// The integration this provider refreshes for.
    #[must_use]
    pub fn client(&self) -> &OAuthClient {
        &self.inner.client
    }

    /// Events: refreshes, and the refresh token's end.
    #[must_use]
    pub fn events(&self) -> broadcast::Receiver<AuthEvent> {
        self.inner.events.subscribe()
    }

    /// Replaces the grant's tokens (after a sign-in) and saves them.
    ///
    /// # Errors
    /// The store's error (the tokens are still used).
    pub async fn set_tokens(&self, tokens: TokenSet) -> Result<(), AuthError> {
        let mut state = self.inner.state.lock().await;
        state.failure = None;
        state.dead = None;
        self.hold(&mut state, Some(tokens.clone()));
        self.inner.store.save(&tokens).await
    }

    /// Signs out: revokes the grant at the broker (its refresh token, which ends every access
    /// token issued under it; the access token when there is none) and clears the store.
    /// The store is cleared even when the broker cannot be reached.
    ///
    /// # Errors
    /// The broker's or the store's error.
    pub async fn logout(&self) -> Result<(), AuthError> {
        let mut state = self.inner.state.lock().await;
        let held = self.loaded(&mut state).await?.cloned();
        self.hold(&mut state, None);
        state.failure = None;
        state.dead = None;
        let revoked = match held {
            Some(TokenSet {
                refresh_token: Some(token),
                ..
            }) => self.inner.client.revoke(&token, "refresh_token").await,
            Some(set) => {
                let token = crate::Secret::new(set.access_token.secret());
                self.inner.client.revoke(&token, "access_token").await
            }
            None => Ok(()),
        };
        let cleared = self.inner.store.clear().await;
        revoked.and(cleared)
    }

    /// The current tokens (read from the store the first time).
    ///
    /// # Errors
    /// The store's error.
    pub async fn tokens(&self) -> Result<Option<TokenSet>, AuthError> {
        let mut state = self.inner.state.lock().await;
        Ok(self.loaded(&mut state).await?.cloned())
    }

    async fn loaded<'s>(&self, state: &'s mut State) -> Result<Option<&'s TokenSet>, AuthError> {
        if state.tokens.is_none() {
            let stored = self.inner.store.load().await?;
            self.hold(state, stored);
        }
        Ok(state.tokens.as_ref().and_then(Option::as_ref))
    }

    /// Holds `tokens` and fixes when to refresh them: `margin` before they expire, or at
    /// half their remaining life when that is shorter.
    fn hold(&self, state: &mut State, tokens: Option<TokenSet>) {
        state.refresh_at = tokens
            .as_ref()
            .and_then(|set| set.expires_at)
            .map(|expires_at| {
                let life = expires_at.saturating_duration_since(Instant::now());
                expires_at - self.inner.policy.margin.min(life / 2)
            });
        state.tokens = Some(tokens);
    }

    /// The held access token as the client's cache should keep it.
    fn handed_out(state: &State, set: &TokenSet) -> AccessToken {
        match state.refresh_at {
            Some(at) => set.access_token.clone().with_refresh_at(at),
            None => set.access_token.clone(),
        }
    }

    /// One refresh, with the lock held (so it is single-flight), remembering failures.
    async fn refresh_locked(&self, state: &mut State) -> Result<TokenSet, AuthError> {
        if let Some(dead) = &state.dead {
            return Err(dead.clone());
        }
        if let Some((at, error)) = &state.failure
            && at.elapsed() < self.inner.policy.failure_memory
        {
            return Err(error.clone());
        }
        let refresh_token = match self.loaded(state).await? {
            Some(TokenSet {
                refresh_token: Some(token),
                ..
            }) => token.clone(),
            Some(_) => {
                return Err(self.died(state, "the grant has no refresh token".to_owned()));
            }
            None => return Err(AuthError::NotSignedIn),
        };
        match self.inner.client.refresh(&refresh_token).await {
            Ok(tokens) => {
                state.failure = None;
                self.hold(state, Some(tokens.clone()));
                if let Err(error) = self.inner.store.save(&tokens).await {
                    tracing::warn!(%error, "refreshed token not saved; it is used in memory");
                }
                let _ = self.inner.events.send(AuthEvent::Refreshed);
                Ok(tokens)
            }
            Err(AuthError::ReauthorizationRequired { reason }) => Err(self.died(state, reason)),
            Err(error) => {
                tracing::warn!(%error, "token refresh failed");
                state.failure = Some((Instant::now(), error.clone()));
                Err(error)
            }
        }
    }

    fn died(&self, state: &mut State, reason: String) -> AuthError {
        tracing::warn!(%reason, "reauthorization required");
        let error = AuthError::ReauthorizationRequired { reason };
        state.dead = Some(error.clone());
        let _ = self.inner.events.send(AuthEvent::ReauthorizationRequired);
        error
    }
}

#[webex_core::async_trait]
impl ProvideToken for OAuthProvider {
    async fn token(&self) -> webex_core::Result<AccessToken> {
        let mut state = self.inner.state.lock().await;
        let Some(current) = self.loaded(&mut state).await?.cloned() else {
            return Err(AuthError::NotSignedIn.into());
        };
        let due = state.refresh_at.is_some_and(|at| Instant::now() >= at);
        if !due {
            return Ok(Self::handed_out(&state, &current));
        }
        match self.refresh_locked(&mut state).await {
            Ok(fresh) => Ok(Self::handed_out(&state, &fresh)),
            Err(error @ AuthError::ReauthorizationRequired { .. }) => Err(error.into()),
            // Not expired yet: use it, and ask again once the failure is forgotten.
            Err(_) if current.expires_at.is_some_and(|at| Instant::now() < at) => Ok(current
                .access_token
                .with_refresh_at(Instant::now() + self.inner.policy.failure_memory)),
            Err(error) => Err(error.into()),
        }
    }

    async fn refresh(&self) -> webex_core::Result<Option<AccessToken>> {
        let mut state = self.inner.state.lock().await;
        let fresh = self.refresh_locked(&mut state).await?;
        Ok(Some(Self::handed_out(&state, &fresh)))
    }
}
