use std::fmt;

/// A bearer access token. Its value never appears in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    token_type: String,
    value: String,
}

impl AccessToken {
    /// Builds a token from what a user pasted. A leading token type (`Bearer abc` or
    /// `Bearer  abc`) is split off and surrounding whitespace removed, as the JS SDK does.
    pub fn new(raw: impl AsRef<str>) -> Self {
        let raw = raw.as_ref().trim();
        match raw.split_once(char::is_whitespace) {
            Some((kind, rest)) if !rest.trim().is_empty() => Self {
                token_type: kind.to_owned(),
                value: rest.trim().to_owned(),
            },
            _ => Self {
                token_type: "Bearer".to_owned(),
                value: raw.to_owned(),
            },
        }
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
