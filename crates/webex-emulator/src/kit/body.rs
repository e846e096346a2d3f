//! Request bodies of Hydra calls.
//!
//! Bodies are parsed by hand rather than with `Json`, so that bad input gets
//! a Webex error naming the problem instead of axum's plain text. Unknown
//! fields are ignored: the JS SDK's `update` calls send back the whole object
//! they got, server-generated fields included.

use serde::de::DeserializeOwned;

use crate::kit::error::ApiError;

/// Parses a JSON body.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("A JSON request body is required."));
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::bad_request(format!("Invalid request body: {error}.")))
}

/// A required, non-blank string field, or a 400 naming it.
pub(crate) fn required<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, ApiError> {
    value
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::bad_request(format!("{name} is required.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_problem() {
        assert!(json::<serde_json::Value>(b"  ").is_err());
        assert!(json::<serde_json::Value>(b"{").is_err());
        assert_eq!(required(Some(" x "), "title").unwrap(), "x");
        let error = required(Some(" "), "title").unwrap_err();
        assert!(error.message.contains("title"));
        assert!(required(None, "title").is_err());
    }
}
