use std::fmt;

use http::HeaderValue;
use tokio::time::Instant;

/// A bearer access token. Its value never appears in `Debug` or `Display` output.
///
/// Two tokens are equal when their type and value are; [`refresh_at`](Self::refresh_at) is a
/// hint about the same token, not part of it.
#[derive(Clone)]
pub struct AccessToken {
    token_type: String,
    value: String,
    /// `Authorization` header value, built once (marked sensitive); `None` when the token
    /// has characters a header cannot carry.
    header: Option<HeaderValue>,
    /// When the [`TokenCache`](super::TokenCache) should ask its provider again (an expiring
    /// OAuth token: shortly before it expires); `None` for a token kept until rejected.
    refresh_at: Option<Instant>,
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        self.token_type == other.token_type && self.value == other.value
    }
}

impl Eq for AccessToken {}

impl AccessToken {
    /// Builds a token from what a user pasted. A leading token type (`Bearer abc` or
    /// `Bearer  abc`) is split off and surrounding whitespace removed, as the JS SDK does.
    pub fn new(raw: impl AsRef<str>) -> Self {
        let raw = raw.as_ref().trim();
        let (token_type, value) = match raw.split_once(char::is_whitespace) {
            Some((kind, rest)) if !rest.trim().is_empty() => (kind, rest.trim()),
            _ => ("Bearer", raw),
        };
        let header = HeaderValue::from_str(&format!("{token_type} {value}"))
            .ok()
            .map(|mut h| {
                h.set_sensitive(true);
                h
            });
        Self {
            token_type: token_type.to_owned(),
            value: value.to_owned(),
            header,
            refresh_at: None,
        }
    }

    /// The same token, to be replaced from `at` on (Tokio's clock): the cache then asks its
    /// provider for the current token instead of handing this one out.
    #[must_use]
    pub fn with_refresh_at(mut self, at: Instant) -> Self {
        self.refresh_at = Some(at);
        self
    }

    /// When the cache should ask its provider again, if ever (see
    /// [`with_refresh_at`](Self::with_refresh_at)).
    #[must_use]
    pub fn refresh_at(&self) -> Option<Instant> {
        self.refresh_at
    }

    /// Whether [`refresh_at`](Self::refresh_at) has come (never for a token without one).
    #[must_use]
    pub fn is_due(&self) -> bool {
        self.refresh_at.is_some_and(|at| Instant::now() >= at)
    }

    /// The `Authorization` header value (sensitive), or `None` when the token contains
    /// characters an HTTP header cannot carry.
    #[must_use]
    pub fn header_value(&self) -> Option<&HeaderValue> {
        self.header.as_ref()
    }

    /// The raw secret. Handle with care: never log it.
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// The token type, normally `Bearer`.
    #[must_use]
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// The value of an `Authorization` header carrying this token.
    #[must_use]
    pub fn authorization(&self) -> String {
        format!("{} {}", self.token_type, self.value)
    }

    /// Whether the token is empty (nothing to authorize with).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken({} <redacted>)", self.token_type)
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <redacted>", self.token_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_token_type_and_hides_value() {
        let token = AccessToken::new("  Bearer   abc_PF84_org ");
        assert_eq!(token.secret(), "abc_PF84_org");
        assert_eq!(token.authorization(), "Bearer abc_PF84_org");
        let shown = format!("{token:?} {token}");
        assert!(!shown.contains("abc"), "{shown}");
    }

    #[test]
    fn bare_token_defaults_to_bearer() {
        assert_eq!(AccessToken::new("xyz").authorization(), "Bearer xyz");
    }
}
