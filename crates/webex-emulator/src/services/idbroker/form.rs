//! Form-encoded parameters (`application/x-www-form-urlencoded`, in a body
//! or a query), read strictly as RFC 6749 asks: a repeated parameter is an
//! error, and so is a body of another type.

use std::collections::HashMap;

use axum::http::{HeaderMap, header};

use crate::world::oauth::error::OAuthError;

/// The longest parameter value accepted.
const MAX_VALUE_LEN: usize = 16 * 1024;

/// Parameters by name. No `Debug`: they carry secrets and tokens.
#[derive(Default)]
pub(super) struct Params(HashMap<String, String>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text.
    pub(super) fn parse(text: &[u8]) -> Result<Self, OAuthError> {
        let mut params = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(text) {
            if value.len() > MAX_VALUE_LEN {
                return Err(OAuthError::invalid_request(format!(
                    "The {name} parameter is longer than {MAX_VALUE_LEN} bytes."
                )));
            }
            if params
                .insert(name.clone().into_owned(), value.into_owned())
                .is_some()
            {
                return Err(OAuthError::invalid_request(format!(
                    "The {name} parameter is repeated."
                )));
            }
        }
        Ok(Self(params))
    }

    /// Parses a form body, refusing other content types.
    pub(super) fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<Self, OAuthError> {
        let form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                mime.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form {
            return Err(OAuthError::invalid_request(
                "The request body must be application/x-www-form-urlencoded.",
            ));
        }
        Self::parse(body)
    }

    /// A parameter, if present and not empty.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// A required parameter, or `invalid_request` naming it.
    pub(super) fn required(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::invalid_request(format!("The {name} parameter is missing.")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strictly() {
        let params = Params::parse(b"a=1&b=x+y&c=").unwrap();
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), Some("x y"));
        assert_eq!(params.get("c"), None);
        assert!(params.required("c").is_err());
        assert!(Params::parse(b"a=1&a=2").is_err());
        let long = format!("a={}", "x".repeat(MAX_VALUE_LEN + 1));
        assert!(Params::parse(long.as_bytes()).is_err());
        let mut headers = HeaderMap::new();
        assert!(Params::from_body(&headers, b"a=1").is_err());
        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8"
                .parse()
                .unwrap(),
        );
        assert!(Params::from_body(&headers, b"a=1").is_ok());
    }
}
