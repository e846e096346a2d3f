//! The OAuth token provider: hands out the stored access token, refreshes it shortly before
//! it expires and after a 401, one refresh at a time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::broadcast;
use webex_core::credentials::{AccessToken, ProvideToken};

use crate::keeper::{Keeper, Renew, is_expired};
use crate::{AuthError, AuthEvent, MemoryTokenStore, OAuthClient, Secret, TokenSet, TokenStore};

/// How a provider times its renewals ([`OAuthProvider`] refreshes, [`GuestProvider`] logins).
///
/// [`GuestProvider`]: crate::GuestProvider
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Renew this long before the access token expires (default 5 minutes; a token that
    /// lives less than twice as long renews at half its life).
    pub margin: Duration,
    /// After a failed renewal (other than a dead refresh token), give the same error without
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
/// broker; with a store shared between processes (such as `RedisTokenStore`), one process
/// refreshes under the store's refresh lock and the others use the token it saved. A
/// refresh token the broker refuses gives [`AuthError::ReauthorizationRequired`] and one
/// [`AuthEvent::ReauthorizationRequired`], after which it never calls the broker again.
///
/// Like the JS SDK, a refresh keeps the access token it replaced valid (a request may be
/// using it) and revokes the one replaced by the refresh before, unless that has expired.
/// Clones share everything.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    keeper: Arc<Keeper<Refresher>>,
}

/// Refreshes with the grant's refresh token at the broker.
#[derive(Debug, Clone)]
struct Refresher {
    client: OAuthClient,
    /// The access token the last refresh replaced: revoked at the next one.
    previous: Arc<Mutex<Option<TokenSet>>>,
}

#[webex_core::async_trait]
impl Renew for Refresher {
    async fn renew(&self, current: Option<&TokenSet>) -> Result<TokenSet, AuthError> {
        match current {
            Some(TokenSet {
                refresh_token: Some(token),
                ..
            }) => self.client.refresh(token).await,
            Some(_) => Err(AuthError::ReauthorizationRequired {
                reason: "the grant has no refresh token".to_owned(),
            }),
            None => Err(AuthError::NotSignedIn),
        }
    }

    fn timeout(&self) -> Duration {
        self.client.timeout()
    }

    async fn superseded(&self, old: TokenSet) {
        let before = self
            .previous
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(old);
        if let Some(before) = before.filter(|set| !is_expired(set)) {
            let token = Secret::new(before.access_token.secret());
            if let Err(error) = self.client.revoke(&token, "access_token").await {
                tracing::warn!(%error, "superseded access token not revoked");
            }
        }
    }
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
        let refresher = Refresher {
            client,
            previous: Arc::default(),
        };
        Self {
            keeper: Arc::new(Keeper::new(
                refresher,
                Arc::new(store),
                RefreshPolicy::default(),
            )),
        }
    }

    /// The same provider with `policy`. Call it before sharing the provider: a clone made
    /// earlier keeps the old policy and no longer shares state with this one.
    #[must_use]
    pub fn with_policy(self, policy: RefreshPolicy) -> Self {
        Self {
            keeper: Keeper::with_policy(self.keeper, policy),
        }
    }

    /// The integration this provider refreshes for.
    #[must_use]
    pub fn client(&self) -> &OAuthClient {
        &self.keeper.renewer().client
    }

    /// Events: refreshes, and the refresh token's end.
    #[must_use]
    pub fn events(&self) -> broadcast::Receiver<AuthEvent> {
        self.keeper.events()
    }

    /// Replaces the grant's tokens (after a sign-in) and saves them.
    ///
    /// # Errors
    /// The store's error (the tokens are still used).
    pub async fn set_tokens(&self, tokens: TokenSet) -> Result<(), AuthError> {
        self.keeper.set(tokens).await
    }

    /// Signs out: revokes the grant at the broker (its refresh token, which ends every access
    /// token issued under it; the access token when there is none) and clears the store.
    /// The store is cleared even when the broker cannot be reached.
    ///
    /// # Errors
    /// The broker's or the store's error.
    pub async fn logout(&self) -> Result<(), AuthError> {
        let held = self.keeper.take().await?;
        let client = self.client();
        let revoked = match held {
            Some(TokenSet {
                refresh_token: Some(token),
                ..
            }) => client.revoke(&token, "refresh_token").await,
            Some(set) => {
                let token = Secret::new(set.access_token.secret());
                client.revoke(&token, "access_token").await
            }
            None => Ok(()),
        };
        let cleared = self.keeper.store().clear().await;
        revoked.and(cleared)
    }

    /// The current tokens (read from the store the first time).
    ///
    /// # Errors
    /// The store's error.
    pub async fn tokens(&self) -> Result<Option<TokenSet>, AuthError> {
        self.keeper.tokens().await
    }
}

#[webex_core::async_trait]
impl ProvideToken for OAuthProvider {
    async fn token(&self) -> webex_core::Result<AccessToken> {
        Ok(self.keeper.token().await?)
    }

    async fn refresh(&self) -> webex_core::Result<Option<AccessToken>> {
        Ok(Some(self.keeper.refresh().await?))
    }
}
