//! Guests: a JWT from the application's guest issuer, traded for an access token at
//! `POST {hydra}/jwt/login`, and traded again with a fresh JWT when the token runs out.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;
use webex_core::credentials::{AccessToken, ProvideToken};
use webex_core::http::{Body, HyperTransport};

use crate::endpoint::send;
use crate::{AuthError, DEFAULT_TIMEOUT, Secret, may_carry_secrets};

/// Where a [`GuestProvider`] gets a guest JWT: the application signs one (or asks its
/// backend to) each time it is called.
#[webex_core::async_trait]
pub trait GuestJwt: Send + Sync + Debug + 'static {
    /// A fresh JWT for the guest.
    async fn jwt(&self) -> Result<Secret, AuthError>;
}

/// A [`ProvideToken`] for a guest: logs in with a JWT from its [`GuestJwt`] source, again
/// shortly before the guest token expires and after a 401 (single-flight).
#[derive(Debug, Clone)]
pub struct GuestProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    login_url: Url,
    source: Box<dyn GuestJwt>,
    transport: HyperTransport,
    timeout: Duration,
    held: Mutex<Option<AccessToken>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginAnswer {
    token: String,
    expires_in: Option<u64>,
}

impl GuestProvider {
    /// A provider logging in at `{hydra}/jwt/login` (`hydra` e.g. `https://webexapis.com/v1`)
    /// with JWTs from `source`.
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
        Ok(Self {
            inner: Arc::new(Inner {
                login_url,
                source: Box::new(source),
                transport: HyperTransport::new(DEFAULT_TIMEOUT),
                timeout: DEFAULT_TIMEOUT,
                held: Mutex::default(),
            }),
        })
    }

    async fn login(&self) -> Result<AccessToken, AuthError> {
        let jwt = self.inner.source.jwt().await?;
        let mut header = HeaderValue::from_str(jwt.expose())
            .map_err(|_| AuthError::Config("the JWT cannot go in a header".to_owned()))?;
        header.set_sensitive(true);
        let request = http::Request::builder()
            .method(Method::POST)
            .uri(self.inner.login_url.as_str())
            .header(AUTHORIZATION, header)
            .body(Body::Full(Bytes::new()))
            .map_err(|e| AuthError::Config(format!("guest login request: {e}")))?;
        let (status, body) = send(&self.inner.transport, self.inner.timeout, request).await?;
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
        let token = AccessToken::new(answer.token);
        Ok(match answer.expires_in {
            // Log in again at nine tenths of the token's life.
            Some(secs) => {
                token.with_refresh_at(Instant::now() + Duration::from_secs(secs) * 9 / 10)
            }
            None => token,
        })
    }
}

#[webex_core::async_trait]
impl ProvideToken for GuestProvider {
    async fn token(&self) -> webex_core::Result<AccessToken> {
        let mut held = self.inner.held.lock().await;
        if let Some(token) = held.as_ref().filter(|t| !t.is_due()) {
            return Ok(token.clone());
        }
        let token = self.login().await?;
        *held = Some(token.clone());
        Ok(token)
    }

    async fn refresh(&self) -> webex_core::Result<Option<AccessToken>> {
        let mut held = self.inner.held.lock().await;
        let token = self.login().await?;
        *held = Some(token.clone());
        Ok(Some(token))
    }
}
