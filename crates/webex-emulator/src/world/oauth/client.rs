//! OAuth clients (Webex "integrations"): their credentials, registered
//! redirect URIs and scopes, and the lifetimes of the tokens they get.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{ErrorCode, OAuthError};
use crate::kit::error::ApiError;

/// Webex's access-token lifetime: 14 days.
pub(crate) const DEFAULT_ACCESS_LIFETIME_SECS: u64 = 14 * 86_400;

/// Webex's refresh-token lifetime: 90 days.
pub(crate) const DEFAULT_REFRESH_LIFETIME_SECS: u64 = 90 * 86_400;

/// The longest lifetime a test may ask for (ten years), so that no
/// deadline overflows the clock.
const MAX_LIFETIME_SECS: u64 = 10 * 365 * 86_400;

/// The most redirect URIs or scopes one client may register.
const MAX_ENTRIES: usize = 100;

/// The longest redirect URI or scope accepted.
pub(crate) const MAX_VALUE_LEN: usize = 2048;

/// An integration to register; the body of `POST /_emulator/oauth/clients`.
///
/// Wire form: `{"redirectUris": [...], "scopes": [...],
/// "accessTokenLifetimeSecs"?, "refreshTokenLifetimeSecs"?,
/// "rotateRefreshTokens"?, "refreshTokenError"?}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewOAuthClient {
    /// The redirect URIs the client may use, matched exactly (at least one).
    pub redirect_uris: Vec<String>,
    /// The scopes the client may ask for, e.g. `spark:all` (at least one).
    pub scopes: Vec<String>,
    /// Seconds an access token lives (default 1,209,600: Webex's 14 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_lifetime_secs: Option<u64>,
    /// Seconds a refresh token lives unused (default 7,776,000: Webex's 90
    /// days); each use restarts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_lifetime_secs: Option<u64>,
    /// Whether every refresh hands out a new refresh token and retires the
    /// old one (default `false`: Webex keeps the refresh token).
    #[serde(default)]
    pub rotate_refresh_tokens: bool,
    /// The `error` an unusable refresh token gets (default
    /// `invalid_grant`; the identity broker has been seen answering
    /// `invalid_request`, so clients can be tested against both).
    #[serde(default)]
    pub refresh_token_error: RefreshTokenError,
}

/// The `error` code of an expired, revoked or unknown refresh token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshTokenError {
    /// `invalid_grant`, as RFC 6749 has it.
    #[default]
    InvalidGrant,
    /// `invalid_request`, as the JS SDK's test of an expired refresh token
    /// has the identity broker answer.
    InvalidRequest,
}

/// A registered client's credentials; the answer of
/// `POST /_emulator/oauth/clients`.
///
/// Wire form: `{"clientId", "clientSecret"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClientCredentials {
    /// The client id, `C` and 64 hex digits like Webex's.
    pub client_id: String,
    /// The client secret, 64 hex digits.
    pub client_secret: String,
}

impl std::fmt::Debug for OAuthClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// A registered client.
pub(crate) struct OAuthClient {
    /// Its id.
    pub(crate) id: String,
    secret: String,
    /// Registered redirect URIs.
    pub(crate) redirect_uris: Vec<String>,
    /// Registered scopes.
    pub(crate) scopes: BTreeSet<String>,
    /// How long its access tokens live.
    pub(crate) access_lifetime: Duration,
    /// How long its refresh tokens live unused.
    pub(crate) refresh_lifetime: Duration,
    /// Whether refreshes rotate the refresh token.
    pub(crate) rotate_refresh_tokens: bool,
    /// What an unusable refresh token gets.
    pub(crate) refresh_token_error: ErrorCode,
}

impl OAuthClient {
    /// Whether `uri` is one of its redirect URIs.
    pub(crate) fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris
            .iter()
            .any(|registered| registered == uri)
    }

    /// The scopes of a space-separated `scope` parameter, if all are the
    /// client's; `invalid_scope` otherwise (and for none at all).
    pub(crate) fn scopes_of(&self, scope: &str) -> Result<BTreeSet<String>, OAuthError> {
        let requested: BTreeSet<String> = scope.split_whitespace().map(str::to_owned).collect();
        if requested.is_empty() || !requested.is_subset(&self.scopes) {
            return Err(OAuthError::new(
                ErrorCode::InvalidScope,
                "The requested scope is invalid.",
            ));
        }
        Ok(requested)
    }
}

/// Every registered client, by id.
#[derive(Default)]
pub(crate) struct ClientStore {
    clients: HashMap<String, OAuthClient>,
}

impl ClientStore {
    /// Registers a client; a 400 naming the problem for bad input.
    pub(crate) fn create(
        &mut self,
        request: NewOAuthClient,
    ) -> Result<OAuthClientCredentials, ApiError> {
        let redirect_uris = validated_list(request.redirect_uris, "redirectUris", is_redirect_uri)?;
        let scopes = validated_list(request.scopes, "scopes", |scope| {
            !scope.chars().any(|c| c.is_whitespace() || c.is_control())
        })?;
        let access = lifetime(
            request.access_token_lifetime_secs,
            DEFAULT_ACCESS_LIFETIME_SECS,
        )
        .ok_or_else(|| lifetime_error("accessTokenLifetimeSecs"))?;
        let refresh = lifetime(
            request.refresh_token_lifetime_secs,
            DEFAULT_REFRESH_LIFETIME_SECS,
        )
        .ok_or_else(|| lifetime_error("refreshTokenLifetimeSecs"))?;
        let credentials = OAuthClientCredentials {
            client_id: format!("C{}", random_hex()),
            client_secret: random_hex(),
        };
        self.clients.insert(
            credentials.client_id.clone(),
            OAuthClient {
                id: credentials.client_id.clone(),
                secret: credentials.client_secret.clone(),
                redirect_uris,
                scopes: scopes.into_iter().collect(),
                access_lifetime: access,
                refresh_lifetime: refresh,
                rotate_refresh_tokens: request.rotate_refresh_tokens,
                refresh_token_error: match request.refresh_token_error {
                    RefreshTokenError::InvalidGrant => ErrorCode::InvalidGrant,
                    RefreshTokenError::InvalidRequest => ErrorCode::InvalidRequest,
                },
            },
        );
        Ok(credentials)
    }

    /// The client `id`, if registered.
    pub(crate) fn get(&self, id: &str) -> Option<&OAuthClient> {
        self.clients.get(id)
    }

    /// The client `id` if `secret` is its secret; `invalid_client`
    /// otherwise.
    pub(crate) fn authenticate(&self, id: &str, secret: &str) -> Result<&OAuthClient, OAuthError> {
        self.clients
            .get(id)
            .filter(|client| client.secret == secret)
            .ok_or_else(OAuthError::invalid_client)
    }
}

/// A non-empty list of at most [`MAX_ENTRIES`] distinct values, each
/// passing `valid`.
fn validated_list(
    values: Vec<String>,
    name: &str,
    valid: impl Fn(&str) -> bool,
) -> Result<Vec<String>, ApiError> {
    if values.is_empty() || values.len() > MAX_ENTRIES {
        return Err(ApiError::bad_request(format!(
            "{name} must list 1 to {MAX_ENTRIES} values."
        )));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if value.is_empty() || value.len() > MAX_VALUE_LEN || !valid(&value) {
            return Err(ApiError::bad_request(format!(
                "{name} has an invalid value (empty, over {MAX_VALUE_LEN} bytes or malformed)."
            )));
        }
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

/// An absolute URI without a fragment (RFC 6749 section 3.1.2).
fn is_redirect_uri(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| url.fragment().is_none() && !url.cannot_be_a_base())
}

/// A lifetime of 1 s to ten years, or the default.
fn lifetime(secs: Option<u64>, default: u64) -> Option<Duration> {
    let secs = secs.unwrap_or(default);
    (1..=MAX_LIFETIME_SECS)
        .contains(&secs)
        .then(|| Duration::from_secs(secs))
}

fn lifetime_error(name: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{name} must be a whole number of seconds from 1 to {MAX_LIFETIME_SECS}."
    ))
}

/// 64 random hex digits (two UUIDv4s' worth of OS randomness).
pub(crate) fn random_hex() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> NewOAuthClient {
        NewOAuthClient {
            redirect_uris: vec!["http://127.0.0.1:9000/callback".to_owned()],
            scopes: vec!["spark:all".to_owned(), "spark:kms".to_owned()],
            ..NewOAuthClient::default()
        }
    }

    #[test]
    fn creates_clients_with_webex_shaped_credentials() {
        let mut store = ClientStore::default();
        let created = store.create(request()).unwrap();
        assert_eq!(created.client_id.len(), 65);
        assert!(created.client_id.starts_with('C'));
        assert_eq!(created.client_secret.len(), 64);
        assert!(!format!("{created:?}").contains(&created.client_secret));
        let client = store
            .authenticate(&created.client_id, &created.client_secret)
            .unwrap();
        assert!(client.allows_redirect("http://127.0.0.1:9000/callback"));
        assert!(!client.allows_redirect("http://127.0.0.1:9000/callback/"));
        assert_eq!(
            client.access_lifetime,
            Duration::from_secs(DEFAULT_ACCESS_LIFETIME_SECS)
        );
        assert_eq!(client.scopes_of("spark:kms  spark:all").unwrap().len(), 2);
        assert!(client.scopes_of("spark:all admin").is_err());
        assert!(client.scopes_of(" ").is_err());
        assert!(store.authenticate(&created.client_id, "wrong").is_err());
    }

    #[test]
    fn rejects_bad_registrations() {
        let mut store = ClientStore::default();
        for bad in [
            NewOAuthClient {
                redirect_uris: vec![],
                ..request()
            },
            NewOAuthClient {
                redirect_uris: vec!["not a uri".to_owned()],
                ..request()
            },
            NewOAuthClient {
                redirect_uris: vec!["http://h/cb#frag".to_owned()],
                ..request()
            },
            NewOAuthClient {
                scopes: vec!["two words".to_owned()],
                ..request()
            },
            NewOAuthClient {
                access_token_lifetime_secs: Some(0),
                ..request()
            },
            NewOAuthClient {
                refresh_token_lifetime_secs: Some(u64::MAX),
                ..request()
            },
            NewOAuthClient {
                scopes: vec!["x".repeat(MAX_VALUE_LEN + 1)],
                ..request()
            },
        ] {
            assert_eq!(store.create(bad).unwrap_err().status.as_u16(), 400);
        }
    }
}
