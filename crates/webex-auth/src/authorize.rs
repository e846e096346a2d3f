//! The authorization code grant's browser leg: the authorize URL with `state` and PKCE
//! (S256), and reading the redirect back (a code, or the implicit grant's fragment).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::time::{Duration, Instant};
use url::Url;
use webex_core::credentials::AccessToken;

use crate::{AuthError, OAuthClient, Secret, TokenSet};

/// A PKCE (RFC 7636) pair: a random verifier, kept secret until the code exchange, and its
/// S256 challenge, sent in the authorize URL.
#[derive(Debug, Clone)]
pub struct Pkce {
    verifier: Secret,
    challenge: String,
}

impl Pkce {
    /// A fresh pair: the verifier is 64 characters from the system's secure random source.
    #[must_use]
    pub fn new() -> Self {
        Self::from_verifier(Secret::new(random_text()))
    }

    /// The pair for a given `verifier` (43 to 128 characters of `[A-Za-z0-9-._~]`).
    #[must_use]
    pub fn from_verifier(verifier: Secret) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }

    /// The verifier the code exchange sends.
    #[must_use]
    pub fn verifier(&self) -> &Secret {
        &self.verifier
    }

    /// base64url (no padding) of the verifier's SHA-256.
    #[must_use]
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

/// 64 hex digits from two v4 UUIDs (the `uuid` crate draws them from the OS's secure
/// random source): 244 random bits.
fn random_text() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// One sign-in in progress: the URL to open in a browser, and the `state` and PKCE verifier
/// the redirect back is checked and exchanged with.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    url: Url,
    state: String,
    pkce: Pkce,
}

impl OAuthClient {
    /// Starts a code-grant sign-in for `scopes` with a random `state` and PKCE (S256).
    #[must_use]
    pub fn authorize(&self, scopes: &[&str]) -> AuthorizationRequest {
        self.authorize_with("code", scopes)
    }

    /// Starts an implicit-grant sign-in (`response_type=token`: the tokens come back in the
    /// redirect's fragment; read them with [`AuthorizationRequest::implicit_tokens`]).
    #[must_use]
    pub fn authorize_implicit(&self, scopes: &[&str]) -> AuthorizationRequest {
        self.authorize_with("token", scopes)
    }

    fn authorize_with(&self, response_type: &str, scopes: &[&str]) -> AuthorizationRequest {
        let state = random_text();
        let pkce = Pkce::new();
        let mut url = self.endpoint("authorize");
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", response_type)
                .append_pair("client_id", self.client_id())
                .append_pair("redirect_uri", self.redirect_uri())
                .append_pair("scope", &scopes.join(" "))
                .append_pair("state", &state);
            if response_type == "code" {
                query
                    .append_pair("code_challenge", pkce.challenge())
                    .append_pair("code_challenge_method", "S256");
            }
        }
        AuthorizationRequest { url, state, pkce }
    }
}

impl AuthorizationRequest {
    /// The URL to open in the user's browser.
    #[must_use]
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `state` the redirect must carry back.
    #[must_use]
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The PKCE pair of this sign-in.
    #[must_use]
    pub fn pkce(&self) -> &Pkce {
        &self.pkce
    }

    /// The code in the redirect back (`?code=..&state=..`), after checking its `state`.
    ///
    /// # Errors
    /// [`AuthError::Redirect`] for a missing or different `state`, the broker's `error`
    /// (e.g. `access_denied`), or no `code`.
    pub fn code(&self, redirect: &Url) -> Result<String, AuthError> {
        let params = Params::of(redirect.query().unwrap_or_default());
        self.check(&params)?;
        params
            .get("code")
            .ok_or_else(|| AuthError::Redirect("no code in the redirect".to_owned()))
    }

    /// Checks the redirect back and exchanges its code (with this sign-in's PKCE verifier).
    ///
    /// # Errors
    /// As [`code`](Self::code) and [`OAuthClient::exchange_code`].
    pub async fn finish(
        &self,
        client: &OAuthClient,
        redirect: &Url,
    ) -> Result<TokenSet, AuthError> {
        let code = self.code(redirect)?;
        client
            .exchange_code(&code, Some(self.pkce.verifier()))
            .await
    }

    /// The tokens in an implicit-grant redirect's fragment
    /// (`#access_token=..&token_type=Bearer&expires_in=..&refresh_token=..&refresh_token_expires_in=..&state=..`),
    /// after checking its `state`. The broker puts an `error` in the query for this grant too.
    ///
    /// # Errors
    /// [`AuthError::Redirect`] as for [`code`](Self::code), or a missing `access_token` or a
    /// lifetime that is not a number.
    pub fn implicit_tokens(&self, redirect: &Url) -> Result<TokenSet, AuthError> {
        self.check(&Params::of(redirect.query().unwrap_or_default()))
            .and_then(|()| {
                let params = Params::of(redirect.fragment().unwrap_or_default());
                self.check(&params)?;
                params.tokens(Instant::now())
            })
    }

    fn check(&self, params: &Params) -> Result<(), AuthError> {
        if let Some(error) = params.get("error") {
            let description = params.get("error_description").unwrap_or_default();
            return Err(AuthError::Redirect(format!(
                "the broker answered {error}: {description}"
            )));
        }
        match params.get("state") {
            Some(state) if state == self.state => Ok(()),
            Some(_) => Err(AuthError::Redirect(
                "the state differs from the one sent: not this sign-in's answer".to_owned(),
            )),
            None if params.is_empty() => Ok(()),
            None => Err(AuthError::Redirect("no state in the redirect".to_owned())),
        }
    }
}

/// Form-encoded parameters of a query or fragment.
struct Params(Vec<(String, String)>);

impl Params {
    fn of(text: &str) -> Self {
        Self(
            url::form_urlencoded::parse(text.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn seconds(&self, name: &str, now: Instant) -> Result<Option<Instant>, AuthError> {
        self.get(name)
            .map(|value| {
                value
                    .parse::<u64>()
                    .map(|secs| now + Duration::from_secs(secs))
                    .map_err(|_| AuthError::Redirect(format!("{name} is not a number of seconds")))
            })
            .transpose()
    }

    fn tokens(&self, now: Instant) -> Result<TokenSet, AuthError> {
        let token = self
            .get("access_token")
            .ok_or_else(|| AuthError::Redirect("no access_token in the fragment".to_owned()))?;
        let kind = self
            .get("token_type")
            .unwrap_or_else(|| "Bearer".to_owned());
        Ok(TokenSet {
            access_token: AccessToken::new(format!("{kind} {token}")),
            refresh_token: self.get("refresh_token").map(Secret::new),
            expires_at: self.seconds("expires_in", now)?,
            refresh_token_expires_at: self.seconds("refresh_token_expires_in", now)?,
        })
    }
}
