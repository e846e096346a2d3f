//! Query strings of Hydra list requests.
//!
//! Clients re-add their filters to the `Link` URLs they follow
//! (webexpythonsdk appends `max`, `roomId`, ... again), so a parameter may
//! come twice; the first occurrence wins, which is the one the emulator put
//! into its own link.

use axum::extract::{FromRequestParts, RawQuery};
use axum::http::request::Parts;
use url::form_urlencoded;

use crate::kit::error::ApiError;

/// Decoded query parameters, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses a raw query string (without `?`).
    pub(crate) fn parse(query: &str) -> Self {
        Self {
            pairs: form_urlencoded::parse(query.as_bytes())
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        }
    }

    /// The first value of `name`, if any; an empty value counts as absent,
    /// as clients send `?roomId=&max=10` for unset options.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }

    /// The first value of `name`, or a 400 naming it.
    pub(crate) fn require(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .ok_or_else(|| ApiError::bad_request(format!("{name} is required.")))
    }

    /// `max`: `default` when absent, at most `limit`; non-numbers and values
    /// below 1 are a 400.
    pub(crate) fn max(&self, default: usize, limit: usize) -> Result<usize, ApiError> {
        let Some(raw) = self.get("max") else {
            return Ok(default);
        };
        match raw.trim().parse::<usize>() {
            Ok(max) if max >= 1 => Ok(max.min(limit)),
            _ => Err(ApiError::bad_request(format!(
                "max must be a positive integer, not '{raw}'."
            ))),
        }
    }

    /// A boolean filter: `true` or `false` (any case); anything else is a 400.
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(value) => Err(ApiError::bad_request(format!(
                "{name} must be true or false, not '{value}'."
            ))),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let RawQuery(query) = RawQuery::from_request_parts(parts, state)
            .await
            .unwrap_or(RawQuery(None));
        Ok(Self::parse(query.as_deref().unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_occurrence_wins_and_empty_is_absent() {
        let params = Params::parse("roomId=a&max=2&roomId=b&parentId=&x=%40y");
        assert_eq!(params.get("roomId"), Some("a"));
        assert_eq!(params.get("parentId"), None);
        assert_eq!(params.get("x"), Some("@y"));
        assert!(params.require("parentId").is_err());
    }

    #[test]
    fn max_is_validated_and_clamped() {
        assert_eq!(Params::parse("").max(50, 100).unwrap(), 50);
        assert_eq!(Params::parse("max=7").max(50, 100).unwrap(), 7);
        assert_eq!(Params::parse("max=5000").max(50, 100).unwrap(), 100);
        for bad in ["max=0", "max=-1", "max=abc", "max=1.5"] {
            assert!(Params::parse(bad).max(50, 100).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags() {
        assert_eq!(Params::parse("a=TRUE").flag("a").unwrap(), Some(true));
        assert_eq!(Params::parse("").flag("a").unwrap(), None);
        assert!(Params::parse("a=yes").flag("a").is_err());
    }
}
