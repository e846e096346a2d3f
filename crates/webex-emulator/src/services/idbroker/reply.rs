//! How idbroker answers: OAuth error bodies `{"error", "error_description",
//! "trackingID"}` (400, or 401 for client authentication), token bodies
//! (never cached), and redirects back to a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use crate::kit::tracking::TrackingId;
use crate::world::oauth::TokenSet;
use crate::world::oauth::error::{ErrorCode, OAuthError};

/// An OAuth error response for the request with `tracking`.
pub(super) fn error(error: &OAuthError, tracking: &TrackingId) -> Response {
    let status = if error.code == ErrorCode::InvalidClient {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = json!({
        "error": error.code.as_str(),
        "error_description": error.description,
        "trackingID": tracking.as_text(),
    });
    let mut response = (status, Json(body)).into_response();
    no_store(&mut response);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"idbroker\""),
        );
    }
    response
}

/// The token endpoint's answer.
#[derive(Serialize)]
struct TokenBody<'a> {
    access_token: &'a str,
    expires_in: u64,
    refresh_token: &'a str,
    refresh_token_expires_in: u64,
    token_type: &'static str,
}

/// A 200 with `tokens` in Webex's shape.
pub(super) fn tokens(tokens: &TokenSet) -> Response {
    let mut response = Json(TokenBody {
        access_token: &tokens.access_token,
        expires_in: tokens.expires_in,
        refresh_token: &tokens.refresh_token,
        refresh_token_expires_in: tokens.refresh_token_expires_in,
        token_type: "Bearer",
    })
    .into_response();
    no_store(&mut response);
    response
}

/// A 302 to `location`.
pub(super) fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = StatusCode::FOUND.into_response();
            response.headers_mut().insert(header::LOCATION, value);
            no_store(&mut response);
            response
        }
        // A URL built with the url crate is always a valid header value.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Tokens and codes must not be cached (RFC 6749 section 5.1).
fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}
