//! The `Authorization: Bearer` check of Hydra, catalog and other service
//! requests.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::kit::error::ApiError;

/// Whatever knows the issued tokens: the router's state.
pub(crate) trait Authenticate {
    /// The person `token` acts for, if it was issued.
    fn person_of_token(&self, token: &str) -> Option<Uuid>;
}

impl<T: Authenticate> Authenticate for Arc<T> {
    fn person_of_token(&self, token: &str) -> Option<Uuid> {
        T::person_of_token(self, token)
    }
}

/// The authenticated caller of a Hydra or catalog request.
///
/// As an extractor it rejects a missing, malformed or unknown token with a
/// Webex 401.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    /// The caller's person uuid.
    pub(crate) person: Uuid,
}

impl<S: Authenticate + Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer_token)
            .ok_or_else(ApiError::unauthorized)?;
        let person = state
            .person_of_token(token)
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Self { person })
    }
}

/// The token of an `Authorization: Bearer <token>` value; the scheme is
/// case-insensitive as in HTTP.
pub(crate) fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert_eq!(bearer_token("abc"), None);
    }
}
