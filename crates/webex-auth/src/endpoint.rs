//! The identity broker's token endpoint: code exchange and refresh.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};
use serde::Deserialize;
use tokio::time::Instant;
use url::Url;
use webex_core::config::WebexConfig;
use webex_core::credentials::AccessToken;
use webex_core::http::Body;

use crate::outbound::AuthHttp;
use crate::{AuthError, Secret, TokenSet};

/// The identity broker Webex integrations sign in at.
pub const DEFAULT_IDBROKER: &str = "https://idbroker.webex.com";

/// How long a token-endpoint call may take, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// A Webex integration (an OAuth client) at an identity broker: its id, secret and redirect
/// URI, and the broker's endpoints. `Debug` hides the secret.
///
/// Its calls to the broker trust the webpki roots; [`with_config`](Self::with_config) adds
/// the client configuration's `extra_root_certificates` (`WEBEX_CA_FILE`), e.g. the CA of a
/// `webex-emulator --tls`.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    client_id: String,
    client_secret: Secret,
    redirect_uri: String,
    idbroker: Url,
    http: AuthHttp,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    refresh_token_expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    error_description: Option<String>,
}

impl OAuthClient {
    /// The integration `client_id` with `client_secret` and `redirect_uri`, at
    /// [`DEFAULT_IDBROKER`].
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            redirect_uri: redirect_uri.into(),
            idbroker: Url::parse(DEFAULT_IDBROKER).expect("the default idbroker URL parses"),
            http: AuthHttp::new(DEFAULT_TIMEOUT),
        }
    }

    /// Trusts, besides the webpki roots, the `extra_root_certificates` of `config` (the
    /// client's configuration: `ConfigLoader::load` reads it from `WEBEX_CA_FILE` or
    /// `WEBEX_EXTRA_ROOT_CERTIFICATES`), so that the broker may be, say, a
    /// `webex-emulator --tls` or sit behind a company proxy. The timeout is kept.
    ///
    /// # Errors
    /// [`AuthError::Config`] naming the file when it cannot be read or holds no usable
    /// certificate.
    pub fn with_config(mut self, config: &WebexConfig) -> Result<Self, AuthError> {
        self.http = AuthHttp::from_config(config, self.http.timeout())?;
        Ok(self)
    }

    /// Uses the broker at `base` (e.g. an emulator's base URL).
    ///
    /// # Errors
    /// [`AuthError::Config`] for a URL that does not parse, or plain `http` to a host that
    /// is not loopback: the client secret and tokens go only over `https` (or to this machine).
    pub fn with_idbroker(mut self, base: &str) -> Result<Self, AuthError> {
        let url = Url::parse(base.trim_end_matches('/'))
            .map_err(|e| AuthError::Config(format!("idbroker URL {base:?}: {e}")))?;
        if !may_carry_secrets(&url) {
            return Err(AuthError::Config(format!(
                "idbroker URL {url} is neither https nor loopback: secrets would travel in clear"
            )));
        }
        self.idbroker = url;
        Ok(self)
    }

    /// How long one token-endpoint call may take (default [`DEFAULT_TIMEOUT`]).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = self.http.with_timeout(timeout);
        self
    }

    /// How long one token-endpoint call may take.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.http.timeout()
    }

    /// The `extra_root_certificates` file its calls trust besides the webpki roots (set by
    /// [`with_config`](Self::with_config)), if any.
    #[must_use]
    pub fn extra_root_certificates(&self) -> Option<&Path> {
        self.http.extra_roots()
    }

    /// The integration's client id.
    #[must_use]
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI the integration registered.
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// `{idbroker}/idb/oauth2/v1/{name}`.
    pub(crate) fn endpoint(&self, name: &str) -> Url {
        let mut url = self.idbroker.clone();
        url.set_path(&format!(
            "{}/idb/oauth2/v1/{name}",
            self.idbroker.path().trim_end_matches('/')
        ));
        url
    }

    /// Exchanges an authorization `code` (with the PKCE `verifier` when the authorize URL
    /// carried a challenge) for tokens.
    ///
    /// # Errors
    /// [`AuthError::TokenEndpoint`] (a used, expired or foreign code, a verifier mismatch:
    /// `invalid_grant`), [`AuthError::Unreachable`], [`AuthError::Timeout`].
    pub async fn exchange_code(
        &self,
        code: &str,
        verifier: Option<&Secret>,
    ) -> Result<TokenSet, AuthError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code", code),
        ];
        if let Some(verifier) = verifier {
            form.push(("code_verifier", verifier.expose()));
        }
        self.token_request(&form).await
    }

    /// A new access token for `refresh_token`. The answer keeps `refresh_token` when the
    /// broker sends none (Webex keeps refresh tokens; some brokers rotate them).
    ///
    /// # Errors
    /// [`AuthError::ReauthorizationRequired`] when the broker refuses the refresh token
    /// (`invalid_grant`, or `invalid_request`, which it is known to send for the same case);
    /// else as [`exchange_code`](Self::exchange_code).
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<TokenSet, AuthError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("refresh_token", refresh_token.expose()),
        ];
        match self.token_request(&form).await {
            Ok(mut set) => {
                set.refresh_token
                    .get_or_insert_with(|| refresh_token.clone());
                Ok(set)
            }
            Err(AuthError::TokenEndpoint {
                status: 400,
                error,
                description,
            }) if error == "invalid_grant" || error == "invalid_request" => {
                Err(AuthError::ReauthorizationRequired {
                    reason: format!(
                        "the identity broker refused the refresh token ({error}{})",
                        description.map(|d| format!(": {d}")).unwrap_or_default()
                    ),
                })
            }
            Err(other) => Err(other),
        }
    }

    /// Revokes `token` (RFC 7009): a refresh token ends its grant with every access token
    /// issued under it; an access token ends alone. `hint` is `refresh_token` or
    /// `access_token`.
    ///
    /// # Errors
    /// [`AuthError::TokenEndpoint`] for an answer other than 200, [`AuthError::Unreachable`],
    /// [`AuthError::Timeout`].
    pub async fn revoke(&self, token: &Secret, hint: &str) -> Result<(), AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("token", token.expose())
            .append_pair("token_type_hint", hint)
            .finish();
        let (status, body) = self
            .post(self.endpoint("revoke"), Bytes::from(body))
            .await?;
        if status == StatusCode::OK {
            return Ok(());
        }
        Err(error_answer(status, &body))
    }

    /// Posts `form` to the token endpoint with Basic client authentication.
    async fn token_request(&self, form: &[(&str, &str)]) -> Result<TokenSet, AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let (status, body) = self
            .post(self.endpoint("access_token"), Bytes::from(body))
            .await?;
        if status == StatusCode::OK {
            let answer: TokenAnswer =
                serde_json::from_slice(&body).map_err(|e| AuthError::TokenEndpoint {
                    status: status.as_u16(),
                    error: format!("unreadable token answer: {e}"),
                    description: None,
                })?;
            return Ok(answer.into_set(Instant::now()));
        }
        Err(error_answer(status, &body))
    }

    /// Posts a form with Basic client authentication; the status and body.
    pub(crate) async fn post(
        &self,
        url: Url,
        body: Bytes,
    ) -> Result<(StatusCode, Bytes), AuthError> {
        let mut basic = HeaderValue::from_str(&format!(
            "Basic {}",
            STANDARD.encode(format!(
                "{}:{}",
                self.client_id,
                self.client_secret.expose()
            ))
        ))
        .map_err(|_| {
            AuthError::Config("the client id or secret cannot go in a header".to_owned())
        })?;
        basic.set_sensitive(true);
        let request = http::Request::builder()
            .method(Method::POST)
            .uri(url.as_str())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(AUTHORIZATION, basic)
            .body(Body::Full(body))
            .map_err(|e| AuthError::Config(format!("token request to {url}: {e}")))?;
        self.http.send(request).await
    }
}

/// The error a non-200 answer of the broker stands for.
fn error_answer(status: StatusCode, body: &[u8]) -> AuthError {
    match serde_json::from_slice::<ErrorAnswer>(body) {
        Ok(answer) => AuthError::TokenEndpoint {
            status: status.as_u16(),
            error: answer.error,
            description: answer.error_description,
        },
        Err(_) => AuthError::TokenEndpoint {
            status: status.as_u16(),
            error: "an answer without an OAuth error".to_owned(),
            description: None,
        },
    }
}

impl TokenAnswer {
    fn into_set(self, now: Instant) -> TokenSet {
        let token = match self.token_type {
            Some(kind) => AccessToken::new(format!("{kind} {}", self.access_token)),
            None => AccessToken::new(self.access_token),
        };
        TokenSet {
            access_token: token,
            refresh_token: self.refresh_token.map(Secret::new),
            expires_at: self.expires_in.map(|s| now + Duration::from_secs(s)),
            refresh_token_expires_at: self
                .refresh_token_expires_in
                .map(|s| now + Duration::from_secs(s)),
        }
    }
}

/// Whether a secret may be sent to `url`: `https`, or plain `http` to a loopback host.
#[must_use]
pub fn may_carry_secrets(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => match url.host() {
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => false,
    }
}
