//! Request bodies of Hydra calls.
//!
//! Bodies are parsed by hand rather than with `Json`, so that bad input gets
//! a Webex error naming the problem instead of axum's plain text. Unknown
//! fields are ignored: the JS SDK's `update` calls send back the whole object
//! they got, server-generated fields included.
//!
//! A JSON endpoint takes its body through [`JsonBody`], which answers a body
//! sent as `text/plain` or without a `Content-Type` with Webex's 415
//! Unsupported Media Type ("The request was made to a resource without
//! specifying a media type or used a media type that is not supported").

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::kit::error::ApiError;

/// The raw body of a JSON endpoint: empty, or declared as JSON
/// (`application/json` or `application/*+json`, any parameters).
pub(crate) struct JsonBody(pub(crate) Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let declared = declared_json(request.headers());
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::new(rejection.status(), rejection.body_text()))?;
        // An empty body needs no type; the handler says what it lacks.
        if !is_blank(&raw) {
            declared?;
        }
        Ok(Self(raw))
    }
}

/// `Ok` when the request declares a JSON body, else the 415 it gets.
fn declared_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let unsupported = |message: String| ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message);
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported(
            "Content type not specified; send the body as application/json.".to_owned(),
        ));
    };
    let text = String::from_utf8_lossy(value.as_bytes());
    let essence = text.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    let json = essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|subtype| subtype.ends_with("+json"));
    if json {
        Ok(())
    } else {
        Err(unsupported(format!(
            "Content type '{}' not supported; send the body as application/json.",
            text.trim()
        )))
    }
}

/// Whether a body holds nothing but whitespace.
fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Parses a JSON body.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if is_blank(body) {
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

    #[test]
    fn only_json_media_types_are_declared_json() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, value.parse().unwrap());
            declared_json(&headers)
        };
        for ok in [
            "application/json",
            "application/json;charset=utf-8",
            "Application/JSON; charset=UTF-8",
            "application/merge-patch+json",
        ] {
            assert!(with(ok).is_ok(), "{ok}");
        }
        for bad in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/xml",
            "json",
            "",
        ] {
            let error = with(bad).unwrap_err();
            assert_eq!(error.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{bad}");
        }
        let missing = declared_json(&HeaderMap::new()).unwrap_err();
        assert!(missing.message.contains("not specified"));
    }
}
