use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use serde::de::DeserializeOwned;
use url::Url;

use super::HttpResponse;
use super::layers::TRACKING_ID;
use super::retry_after::{self, RetryAfterCap};
use crate::bounded::cut;
use crate::{Error, ErrorKind, Result};

/// What the transport records about the attempt that produced a response. Kept as the raw
/// `Uri` and header value (cheap clones); parsed only when someone asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// The URI actually requested (after catalog resolution and redirects).
    pub uri: Uri,
    /// The `TrackingID` header sent with it.
    pub tracking_id: Option<HeaderValue>,
}

impl ResponseMeta {
    /// The URL actually requested.
    #[must_use]
    pub fn url(&self) -> Option<Url> {
        Url::parse(&self.uri.to_string()).ok()
    }

    /// The tracking id sent, as text.
    #[must_use]
    pub fn tracking_id(&self) -> Option<String> {
        self.tracking_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Marks a response the retry layer made a success: a `DELETE` retried after an attempt
/// that timed out or broke got a 404, so the earlier attempt had deleted the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeletedEarlier;

/// A finished response with its body collected.
#[derive(Debug, Clone)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    uri: Option<Uri>,
    /// Kept as the header value (text checked): made into a `String` only when asked.
    tracking_id: Option<HeaderValue>,
    deleted_by_earlier_attempt: bool,
    retry_after_cap: Duration,
}

impl Response {
    pub(crate) fn from_http(res: HttpResponse) -> Self {
        let (mut parts, body) = res.into_parts();
        let meta = parts.extensions.remove::<ResponseMeta>();
        // Prefer the id the server echoed; fall back to the one we sent.
        let text = |v: &&HeaderValue| v.to_str().is_ok();
        let tracking_id = parts
            .headers
            .get(TRACKING_ID)
            .filter(text)
            .or_else(|| meta.as_ref()?.tracking_id.as_ref().filter(text))
            .cloned();
        Self {
            status: parts.status,
            headers: parts.headers,
            body,
            uri: meta.map(|m| m.uri),
            tracking_id,
            deleted_by_earlier_attempt: parts.extensions.get::<DeletedEarlier>().is_some(),
            retry_after_cap: parts
                .extensions
                .get::<RetryAfterCap>()
                .map_or(retry_after::MAX_RETRY_AFTER, |cap| cap.0),
        }
    }

    /// Whether this success stands for a `DELETE` whose earlier attempt timed out or broke
    /// and whose retry got a 404: the resource is gone, most likely deleted by that earlier
    /// attempt (the status is then `204 No Content`).
    #[must_use]
    pub fn deleted_by_earlier_attempt(&self) -> bool {
        self.deleted_by_earlier_attempt
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    #[must_use]
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The URI that answered, as sent.
    #[must_use]
    pub fn uri(&self) -> Option<&Uri> {
        self.uri.as_ref()
    }

    /// The URL that answered (parsed from [`uri`](Self::uri)).
    #[must_use]
    pub fn url(&self) -> Option<Url> {
        self.uri
            .as_ref()
            .and_then(|u| Url::parse(&u.to_string()).ok())
    }

    /// The Webex tracking id of this exchange.
    #[must_use]
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_ref().and_then(|v| v.to_str().ok())
    }

    /// Parses the body as JSON.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidResponse`] naming the JSON path that did not fit, with the tracking
    /// id.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        // serde_json's error names the line and column, enough to find the field.
        serde_json::from_slice(&self.body).map_err(|e| {
            self.invalid(format!(
                "unexpected response body from {}: {e}",
                self.uri
                    .as_ref()
                    .map_or_else(|| "the server".to_owned(), Uri::to_string)
            ))
        })
    }

    /// An [`ErrorKind::InvalidResponse`] error about this response.
    pub fn invalid(&self, message: impl Into<String>) -> Error {
        let err = Error::new(ErrorKind::InvalidResponse, message).with_status(self.status);
        match self.tracking_id() {
            Some(id) => err.with_tracking_id(id),
            None => err,
        }
    }

    /// `self` when the status is below 400, else the matching error with Webex's message,
    /// the tracking id and any `Retry-After`.
    ///
    /// # Errors
    /// The error for a failing status.
    pub fn error_for_status(self) -> Result<Self> {
        if self.status.as_u16() < 400 {
            return Ok(self);
        }
        // One parse serves both the message and the server's tracking id.
        let json = serde_json::from_slice::<serde_json::Value>(&self.body).ok();
        let message = match &json {
            Some(value) => Some(message_in(value).unwrap_or_else(|| value.to_string())),
            None => webex_error_message(&self.body),
        }
        .unwrap_or_else(|| {
            self.status
                .canonical_reason()
                .unwrap_or("request failed")
                .to_owned()
        });
        let retry_after = self
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| retry_after::parse(v, std::time::SystemTime::now()));
        let body_tracking_id = json
            .as_ref()
            .and_then(|v| v.get("trackingId")?.as_str().map(str::to_owned));
        let message = cut(message, MAX_ERROR_MESSAGE_LEN);
        let mut err = Error::from_status(self.status, message)
            .with_retry_after_capped(retry_after, self.retry_after_cap);
        if let Some(id) = body_tracking_id.or_else(|| self.tracking_id().map(str::to_owned)) {
            err = err.with_tracking_id(id);
        }
        Err(err)
    }
}

/// The longest error message made from a response body, in bytes (then cut, marked `…`).
pub const MAX_ERROR_MESSAGE_LEN: usize = 1000;

/// The human message of a Webex error body: the first of `message`, `error`, `errorString`,
/// `response`, `errorResponse`, `msg` (searching nested objects). These are the JS SDK's keys,
/// but `message` comes first here (the JS SDK tries it fifth), because Webex's REST error
/// bodies carry it; see `docs/protocol/http.md`.
#[must_use]
pub fn webex_error_message(body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => Some(cut(
            message_in(&value).unwrap_or_else(|| value.to_string()),
            MAX_ERROR_MESSAGE_LEN,
        )),
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (!text.is_empty()).then(|| cut(text.to_owned(), MAX_ERROR_MESSAGE_LEN))
        }
    }
}

/// The first of the message keys (the JS SDK's, `message` first) in a parsed error body,
/// searching nested objects.
fn message_in(value: &serde_json::Value) -> Option<String> {
    const KEYS: &[&str] = &[
        "message",
        "error",
        "errorString",
        "response",
        "errorResponse",
        "msg",
    ];
    let obj = value.as_object()?;
    KEYS.iter().find_map(|key| match obj.get(*key) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(nested @ serde_json::Value::Object(_)) => message_in(nested),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_from_webex_error_body() {
        let body =
            br#"{"message":"Room not found","errors":[{"description":"x"}],"trackingId":"t1"}"#;
        assert_eq!(webex_error_message(body).as_deref(), Some("Room not found"));
    }

    #[test]
    fn message_from_nested_and_other_keys() {
        assert_eq!(
            webex_error_message(br#"{"error":{"msg":"deep"}}"#).as_deref(),
            Some("deep")
        );
        assert_eq!(
            webex_error_message(b"plain text").as_deref(),
            Some("plain text")
        );
        assert_eq!(webex_error_message(b""), None);
    }
}
