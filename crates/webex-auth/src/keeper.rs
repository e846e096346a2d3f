//! What the OAuth and guest providers share: tokens held from a store, renewed shortly
//! before they expire and after a 401, one renewal at a time (across processes when the
//! store is shared), failures remembered briefly, a dead grant never retried.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, broadcast};
use tokio::time::Instant;
use webex_core::credentials::AccessToken;

use crate::{AuthError, AuthEvent, RefreshPolicy, TokenSet, TokenStore};

/// How long past a renewal's own timeout the cross-process refresh lock lasts (saving the
/// new tokens happens under it too).
const LOCK_SLACK: Duration = Duration::from_secs(10);

/// How a provider gets new tokens.
#[webex_core::async_trait]
pub(crate) trait Renew: Send + Sync + Debug + 'static {
    /// New tokens in place of `current` (`None`: nothing held yet).
    async fn renew(&self, current: Option<&TokenSet>) -> Result<TokenSet, AuthError>;

    /// How long one [`renew`](Self::renew) may take.
    fn timeout(&self) -> Duration;

    /// Called after a renewal replaced `old` (outside the cross-process lock).
    async fn superseded(&self, old: TokenSet) {
        let _ = old;
    }
}

/// Tokens held for a provider and renewed by `R`. Clones of the provider share one keeper.
#[derive(Debug)]
pub(crate) struct Keeper<R> {
    renewer: R,
    store: Arc<dyn TokenStore>,
    policy: RefreshPolicy,
    state: Mutex<State>,
    events: broadcast::Sender<AuthEvent>,
}

#[derive(Debug, Default)]
struct State {
    /// `None` until the store was read.
    tokens: Option<Option<TokenSet>>,
    /// When to renew the held access token (fixed when it arrives, so a short-lived token
    /// renews at half its life rather than at every request).
    refresh_at: Option<Instant>,
    /// The last renewal failure and when it happened.
    failure: Option<(Instant, AuthError)>,
    /// Set once the grant is dead (a refused refresh token).
    dead: Option<AuthError>,
}

impl<R: Renew> Keeper<R> {
    pub(crate) fn new(renewer: R, store: Arc<dyn TokenStore>, policy: RefreshPolicy) -> Self {
        Self {
            renewer,
            store,
            policy,
            state: Mutex::default(),
            events: broadcast::channel(16).0,
        }
    }

    pub(crate) fn renewer(&self) -> &R {
        &self.renewer
    }

    pub(crate) fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    pub(crate) fn policy(&self) -> RefreshPolicy {
        self.policy
    }

    pub(crate) fn events(&self) -> broadcast::Receiver<AuthEvent> {
        self.events.subscribe()
    }

    /// `keeper` with `policy`, sharing nothing with other clones when `keeper` is shared
    /// (tokens already held get their renewal time under the new policy).
    pub(crate) fn with_policy(keeper: Arc<Self>, policy: RefreshPolicy) -> Arc<Self>
    where
        R: Clone,
    {
        let mut keeper = Arc::try_unwrap(keeper).unwrap_or_else(|shared| Self {
            renewer: shared.renewer.clone(),
            store: shared.store.clone(),
            policy,
            state: Mutex::default(),
            events: shared.events.clone(),
        });
        keeper.policy = policy;
        if let Ok(mut state) = keeper.state.try_lock()
            && let Some(tokens) = state.tokens.take()
        {
            keeper.hold(&mut state, tokens);
        }
        Arc::new(keeper)
    }

    /// Replaces the held tokens (after a sign-in) and saves them.
    pub(crate) async fn set(&self, tokens: TokenSet) -> Result<(), AuthError> {
        let mut state = self.state.lock().await;
        state.failure = None;
        state.dead = None;
        self.hold(&mut state, Some(tokens.clone()));
        self.store.save(&tokens).await
    }

    /// Forgets the held tokens (not the stored ones) and any failure; what was held.
    pub(crate) async fn take(&self) -> Result<Option<TokenSet>, AuthError> {
        let mut state = self.state.lock().await;
        let held = self.loaded(&mut state).await?.cloned();
        self.hold(&mut state, None);
        state.failure = None;
        state.dead = None;
        Ok(held)
    }

    /// The held tokens (read from the store the first time).
    pub(crate) async fn tokens(&self) -> Result<Option<TokenSet>, AuthError> {
        let mut state = self.state.lock().await;
        Ok(self.loaded(&mut state).await?.cloned())
    }

    /// The access token to use: the held one, or a renewed one when it is due (or nothing
    /// is held). A failed renewal still hands out a held token that has not expired.
    pub(crate) async fn token(&self) -> Result<AccessToken, AuthError> {
        let mut state = self.state.lock().await;
        let current = self.loaded(&mut state).await?.cloned();
        if let Some(current) = &current
            && state.refresh_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(Self::handed_out(&state, current));
        }
        match (self.renew_locked(&mut state).await, current) {
            (Ok((fresh, superseded)), _) => {
                let token = Self::handed_out(&state, &fresh);
                drop(state);
                self.retire(superseded).await;
                Ok(token)
            }
            (Err(error @ AuthError::ReauthorizationRequired { .. }), _) => Err(error),
            // Not expired yet: use it, and ask again once the failure is forgotten.
            (Err(_), Some(current)) if !is_expired(&current) => Ok(current
                .access_token
                .with_refresh_at(Instant::now() + self.policy.failure_memory)),
            (Err(error), _) => Err(error),
        }
    }

    /// A renewed access token (after a 401).
    pub(crate) async fn refresh(&self) -> Result<AccessToken, AuthError> {
        let mut state = self.state.lock().await;
        let (fresh, superseded) = self.renew_locked(&mut state).await?;
        let token = Self::handed_out(&state, &fresh);
        drop(state);
        self.retire(superseded).await;
        Ok(token)
    }

    /// Hands the token set a renewal replaced to the renewer, after the state lock is
    /// released: a revoke round trip must not hold up the requests waiting for the token.
    async fn retire(&self, superseded: Option<TokenSet>) {
        if let Some(old) = superseded {
            self.renewer.superseded(old).await;
        }
    }

    async fn loaded<'s>(&self, state: &'s mut State) -> Result<Option<&'s TokenSet>, AuthError> {
        if state.tokens.is_none() {
            let stored = self.store.load().await?;
            self.hold(state, stored);
        }
        Ok(state.tokens.as_ref().and_then(Option::as_ref))
    }

    /// Holds `tokens` and fixes when to renew them: `margin` before they expire, or at
    /// half their remaining life when that is shorter.
    fn hold(&self, state: &mut State, tokens: Option<TokenSet>) {
        state.refresh_at = tokens
            .as_ref()
            .and_then(|set| set.expires_at)
            .map(|expires_at| {
                let life = expires_at.saturating_duration_since(Instant::now());
                expires_at - self.policy.margin.min(life / 2)
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

    /// One renewal, with the state lock held (so it is single-flight in this process) and
    /// the store's refresh lock (so it is single-flight across processes), remembering
    /// failures. Also answers the token set a fresh renewal replaced, for [`retire`](Self::retire).
    async fn renew_locked(
        &self,
        state: &mut State,
    ) -> Result<(TokenSet, Option<TokenSet>), AuthError> {
        if let Some(dead) = &state.dead {
            return Err(dead.clone());
        }
        if let Some((at, error)) = &state.failure
            && at.elapsed() < self.policy.failure_memory
        {
            return Err(error.clone());
        }
        let ttl = self.renewer.timeout() + LOCK_SLACK;
        let renewed = match self.store.lock_refresh(ttl).await {
            Ok(Some(lock)) => {
                let renewed = self.renew_shared(state).await;
                if let Err(error) = lock.release().await {
                    tracing::warn!(%error, "refresh lock not released; it expires by itself");
                }
                renewed
            }
            Ok(None) => self.renew_held(state).await,
            Err(error) => Err(error),
        };
        match renewed {
            Ok(Renewed::Adopted(tokens)) => {
                state.failure = None;
                Ok((tokens, None))
            }
            Ok(Renewed::Fresh { tokens, old }) => {
                state.failure = None;
                if old.is_some() {
                    let _ = self.events.send(AuthEvent::Refreshed);
                }
                Ok((tokens, old))
            }
            Err(AuthError::ReauthorizationRequired { reason }) => {
                tracing::warn!(%reason, "reauthorization required");
                let error = AuthError::ReauthorizationRequired { reason };
                state.dead = Some(error.clone());
                let _ = self.events.send(AuthEvent::ReauthorizationRequired);
                Err(error)
            }
            Err(error @ AuthError::NotSignedIn) => Err(error),
            Err(error) => {
                tracing::warn!(%error, "token renewal failed");
                state.failure = Some((Instant::now(), error.clone()));
                Err(error)
            }
        }
    }

    /// Under the cross-process lock: the store's tokens when another process renewed them
    /// meanwhile, else a renewal of what the store holds (the newest refresh token).
    async fn renew_shared(&self, state: &mut State) -> Result<Renewed, AuthError> {
        let held = state.tokens.clone().flatten();
        let stored = self.store.load().await?;
        if let Some(stored) = &stored
            && held
                .as_ref()
                .is_none_or(|held| held.access_token != stored.access_token)
            && !is_expired(stored)
        {
            tracing::debug!("using the token another process renewed");
            self.hold(state, Some(stored.clone()));
            return Ok(Renewed::Adopted(stored.clone()));
        }
        self.hold(state, stored);
        self.renew_held(state).await
    }

    /// Renews the held tokens and saves the new ones.
    async fn renew_held(&self, state: &mut State) -> Result<Renewed, AuthError> {
        let old = self.loaded(state).await?.cloned();
        let tokens = self.renewer.renew(old.as_ref()).await?;
        self.hold(state, Some(tokens.clone()));
        if let Err(error) = self.store.save(&tokens).await {
            tracing::warn!(%error, "renewed token not saved; it is used in memory");
        }
        Ok(Renewed::Fresh { tokens, old })
    }
}

/// What a renewal under the lock came to.
enum Renewed {
    /// Another process had renewed: its tokens.
    Adopted(TokenSet),
    /// This one renewed: the new tokens and those they replace.
    Fresh {
        tokens: TokenSet,
        old: Option<TokenSet>,
    },
}

/// Whether `set`'s access token has expired (by its known expiry).
pub(crate) fn is_expired(set: &TokenSet) -> bool {
    set.expires_at.is_some_and(|at| Instant::now() >= at)
}
