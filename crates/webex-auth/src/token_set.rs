use tokio::time::Instant;
use webex_core::credentials::AccessToken;

use crate::Secret;

/// What a grant holds: the access token, the refresh token and when each expires (on
/// Tokio's clock). `Debug` shows neither token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The bearer token requests carry.
    pub access_token: AccessToken,
    /// The token that gets a new access token, when the grant has one.
    pub refresh_token: Option<Secret>,
    /// When the access token expires, when known.
    pub expires_at: Option<Instant>,
    /// When the refresh token expires unused, when known.
    pub refresh_token_expires_at: Option<Instant>,
}

impl TokenSet {
    /// A set holding only `access_token`, without expiry or refresh token.
    #[must_use]
    pub fn new(access_token: AccessToken) -> Self {
        Self {
            access_token,
            refresh_token: None,
            expires_at: None,
            refresh_token_expires_at: None,
        }
    }
}
