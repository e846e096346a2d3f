//! Guests: a JWT from the application's guest issuer, traded for an access token at
//! `POST {hydra}/jwt/login`, and traded again with a fresh JWT when the token runs out.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::time::Instant;
use url::Url;
use webex_core::config::WebexConfig;
use webex_core::credentials::{AccessToken, ProvideToken};
use webex_core::http::Body;

use crate::keeper::{Keeper, Renew};
use crate::outbound::AuthHttp;
use crate::{
    AuthError, AuthEvent, DEFAULT_TIMEOUT, MemoryTokenStore, RefreshPolicy, Secret, TokenSet,
    TokenStore, may_carry_secrets,
};

/// Where a [`GuestProvider`] gets a guest JWT: the application signs one (or asks its
/// backend to) each time it is called.
#[webex_core::async_trait]
pub trait GuestJwt: Send + Sync + Debug + 'static {
    /// A fresh JWT for the guest.
    async fn jwt(&self) -> Result<Secret, AuthError>;
}

/// A [`ProvideToken`] for a guest: logs in with a JWT from its [`GuestJwt`] source, again
/// shortly before the guest token expires (as [`RefreshPolicy::margin`] says) and after a
/// 401, single-flight like [`OAuthProvider`](crate::OAuthProvider) and with the same
/// machinery: the guest token is kept in a [`TokenStore`] (memory by default; a shared
/// store lets several processes use one login), a failed login is remembered for
/// [`RefreshPolicy::failure_memory`], and getting the JWT plus the login has a timeout
/// ([`with_timeout`](Self::with_timeout)). Clones share everything.
///
/// The login trusts the webpki roots; [`with_config`](Self::with_config) adds the client
/// configuration's `extra_root_certificates` (`WEBEX_CA_FILE`).
#[derive(Debug, Clone)]
pub struct GuestProvider {
    keeper: Arc<Keeper<GuestLogin>>,
}

/// Logs in at `{hydra}/jwt/login` with a fresh JWT.
#[derive(Debug, Clone)]
struct GuestLogin {
    login_url: Url,
    source: Arc<dyn GuestJwt>,
    http: AuthHttp,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginAnswer {
    token: String,
    expires_in: Option<u64>,
}

impl GuestProvider {
    /// A provider logging in at `{hydra}/jwt/login` (`hydra` e.g. `https://webexapis.com/v1`)
    /// with JWTs from `source`, keeping the guest token in memory.
    ///
    /// # Errors
    /// [`AuthError::Config`] for a URL that does not parse or is plain `http` to a host
    /// that is not loopback.
    pub fn new(hydra: &str, source: impl GuestJwt) -> Result<Self, AuthError> {
        let login_url = Url::parse(&format!("{}/jwt/login", hydra.trim_end_matches('/')))
            .map_err(|e| AuthError::Config(format!("hydra URL {hydra:?}: {e}")))?;
        if !may_carry_secrets(&login_url) {
            return Err(AuthError::Config(format!(
                "hydra URL {login_url} is neither https nor loopback: the JWT would travel in clear"
            )));
        }
        let login = GuestLogin {
            login_url,
            source: Arc::new(source),
            http: AuthHttp::new(DEFAULT_TIMEOUT),
        };
        Ok(Self::rebuilt(
            login,
            Arc::new(MemoryTokenStore::new()),
            RefreshPolicy::default(),
        ))
    }

    /// The same provider keeping the guest token in `store`. Call it before sharing the
    /// provider (clones made earlier keep the old store and state).
    #[must_use]
    pub fn with_store(self, store: impl TokenStore) -> Self {
        let keeper = &self.keeper;
        Self::rebuilt(keeper.renewer().clone(), Arc::new(store), keeper.policy())
    }

    /// The same provider with `timeout` for getting a JWT and logging in with it (default
    /// [`DEFAULT_TIMEOUT`]). Call it before sharing the provider.
    #[must_use]
    pub fn with_timeout(self, timeout: Duration) -> Self {
        let keeper = &self.keeper;
        let login = keeper.renewer();
        let login = GuestLogin {
            http: login.http.with_timeout(timeout),
            ..login.clone()
        };
        Self::rebuilt(login, keeper.store().clone(), keeper.policy())
    }

    /// The same provider trusting, besides the webpki roots, the `extra_root_certificates`
    /// of `config` (the client's configuration; `WEBEX_CA_FILE` in the `WEBEX_*` layer), for
    /// a Hydra such as a `webex-emulator --tls`. The timeout is kept. Call it before sharing
    /// the provider.
    ///
    /// # Errors
    /// [`AuthError::Config`] naming the file when it cannot be read or holds no usable
    /// certificate.
    pub fn with_config(self, config: &WebexConfig) -> Result<Self, AuthError> {
        let keeper = &self.keeper;
        let login = keeper.renewer();
        let login = GuestLogin {
            http: AuthHttp::from_config(config, login.http.timeout())?,
            ..login.clone()
        };
        Ok(Self::rebuilt(
            login,
            keeper.store().clone(),
            keeper.policy(),
        ))
    }

    /// The same provider with `policy`. Call it before sharing the provider.
    #[must_use]
    pub fn with_policy(self, policy: RefreshPolicy) -> Self {
        Self {
            keeper: Keeper::with_policy(self.keeper, policy),
        }
    }

    /// Events: a login that replaced a held token (as [`AuthEvent::Refreshed`]).
    #[must_use]
    pub fn events(&self) -> broadcast::Receiver<AuthEvent> {
        self.keeper.events()
    }

    /// The held guest token and its expiry (read from the store the first time), if any.
    ///
    /// # Errors
    /// The store's error.
    pub async fn tokens(&self) -> Result<Option<TokenSet>, AuthError> {
        self.keeper.tokens().await
    }

    fn rebuilt(login: GuestLogin, store: Arc<dyn TokenStore>, policy: RefreshPolicy) -> Self {
        Self {
            keeper: Arc::new(Keeper::new(login, store, policy)),
        }
    }
}

impl GuestLogin {
    async fn login(&self) -> Result<TokenSet, AuthError> {
        let jwt = self.source.jwt().await?;
        let mut header = HeaderValue::from_str(jwt.expose())
            .map_err(|_| AuthError::Config("the JWT cannot go in a header".to_owned()))?;
        header.set_sensitive(true);
        let request = http::Request::builder()
            .method(Method::POST)
            .uri(self.login_url.as_str())
            .header(AUTHORIZATION, header)
            .body(Body::Full(Bytes::new()))
            .map_err(|e| AuthError::Config(format!("guest login request: {e}")))?;
        let (status, body) = self.http.send(request).await?;
        if status != StatusCode::OK {
            return Err(AuthError::TokenEndpoint {
                status: status.as_u16(),
                error: "guest login refused".to_owned(),
                description: webex_core::http::webex_error_message(&body),
            });
        }
        let answer: LoginAnswer =
            serde_json::from_slice(&body).map_err(|e| AuthError::TokenEndpoint {
                status: status.as_u16(),
                error: format!("unreadable guest login answer: {e}"),
                description: None,
            })?;
        let mut tokens = TokenSet::new(AccessToken::new(answer.token));
        tokens.expires_at = answer
            .expires_in
            .map(|secs| Instant::now() + Duration::from_secs(secs));
        Ok(tokens)
    }
}

#[webex_core::async_trait]
impl Renew for GuestLogin {
    async fn renew(&self, _current: Option<&TokenSet>) -> Result<TokenSet, AuthError> {
        let timeout = self.http.timeout();
        tokio::time::timeout(timeout, self.login())
            .await
            .unwrap_or(Err(AuthError::Timeout(timeout)))
    }

    fn timeout(&self) -> Duration {
        self.http.timeout()
    }
}

#[webex_core::async_trait]
impl ProvideToken for GuestProvider {
    async fn token(&self) -> webex_core::Result<AccessToken> {
        Ok(self.keeper.token().await?)
    }

    async fn refresh(&self) -> webex_core::Result<Option<AccessToken>> {
        Ok(Some(self.keeper.refresh().await?))
    }
}
