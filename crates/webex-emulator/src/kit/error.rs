//! Webex-shaped error responses.
//!
//! Hydra errors look like
//! `{"message": "...", "errors": [{"description": "..."}], "trackingId": "..."}`.
//! The tracking id belongs to the request, which a handler's error value does
//! not see, so an [`ApiError`] becomes a body-less response carrying a
//! [`PendingError`] extension, and the tracking middleware
//! ([`crate::kit::tracking`]) writes the body once it knows the id.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// Message for requests without a usable access token.
pub(crate) const MISSING_TOKEN: &str =
    "The request requires a valid access token set in the Authorization request header.";

/// Message for paths and ids the emulator does not know.
pub(crate) const NOT_FOUND: &str = "The requested resource could not be found.";

/// An error a handler returns; rendered as a Webex error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The response status.
    pub(crate) status: StatusCode,
    /// The human-readable `message`.
    pub(crate) message: String,
    /// Service-specific fields added to the body next to `message` (Locus's
    /// `errorCode`, meeting info's `code` and captcha fields), if any.
    pub(crate) fields: Option<Box<Map<String, Value>>>,
}

impl ApiError {
    /// An error with any status.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            fields: None,
        }
    }

    /// The same error with `fields` added to its body (they never replace
    /// `message`, `errors` or `trackingId`).
    pub(crate) fn with_fields(mut self, fields: Map<String, Value>) -> Self {
        self.fields = Some(Box::new(fields));
        self
    }

    /// 400 Bad Request.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 Unauthorized, for a missing, malformed or unknown token.
    pub(crate) fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, MISSING_TOKEN)
    }

    /// 403 Forbidden, for a caller who may not see or change a resource.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404 Not Found.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409 Conflict.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// The error a bare status stands for, when nothing more specific is known
    /// (faults without a body, framework rejections).
    pub(crate) fn for_status(status: StatusCode) -> Self {
        let message = match status.as_u16() {
            401 => MISSING_TOKEN,
            404 => NOT_FOUND,
            405 => "The requested method is not supported for this resource.",
            429 => "Too many requests. Retry after the time given in the Retry-After header.",
            500 => "An unexpected error occurred. Please try again.",
            503 => "The service is temporarily unavailable. Please try again later.",
            _ => status.canonical_reason().unwrap_or("The request failed."),
        };
        Self::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(PendingError(self.message));
        if let Some(fields) = self.fields {
            response.extensions_mut().insert(PendingFields(*fields));
        }
        response
    }
}

/// Marks a response whose Webex error body is still to be written.
#[derive(Clone, Debug)]
pub(crate) struct PendingError(pub(crate) String);

/// The extra body fields of a pending error.
#[derive(Clone, Debug)]
pub(crate) struct PendingFields(pub(crate) Map<String, Value>);

/// One entry of `errors`.
#[derive(Serialize)]
struct ErrorDescription<'a> {
    description: &'a str,
}

/// The wire shape of a Hydra error.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    message: &'a str,
    errors: [ErrorDescription<'a>; 1],
    tracking_id: &'a str,
}

/// Replaces the body of `original` with a Webex error carrying `message` and
/// `tracking_id`, keeping its status and headers (such as `Retry-After`).
/// Extra fields an [`ApiError`] carried ([`PendingFields`]) are added.
pub(crate) fn render(original: Response, message: &str, tracking_id: &str) -> Response {
    let (mut parts, _) = original.into_parts();
    let extra = parts.extensions.remove::<PendingFields>();
    // 204 and 304 cannot carry a body; HTTP clients would misread the stream.
    if matches!(parts.status.as_u16(), 204 | 304) {
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    let body = ErrorBody {
        message,
        errors: [ErrorDescription {
            description: message,
        }],
        tracking_id,
    };
    let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
    if let (Some(PendingFields(extra)), Value::Object(object)) = (extra, &mut value) {
        for (key, field) in extra {
            object.entry(key).or_insert(field);
        }
    }
    let (fresh, fresh_body) = Json(value).into_response().into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let content_type = fresh
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/json"));
    parts.headers.insert(header::CONTENT_TYPE, content_type);
    Response::from_parts(parts, fresh_body)
}
