//! Injected faults: delays, error statuses, `Retry-After` headers and raw
//! bodies, so tests can exercise a client's retry and error handling.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::Control;
use super::routes::is_admin_path;
use crate::kit::error::ApiError;
use crate::kit::lock;

/// A fault to inject into the next matching requests.
///
/// A matching request first waits `delay_ms` (if set). Then, if `status` is
/// set, it is answered with that status, a `Retry-After` header (if
/// `retry_after` is set) and either `body` verbatim or a Webex error body;
/// without `status` it is handled normally after the delay.
///
/// Admin requests (`/_emulator/...`) never match. Faults are matched in the
/// order they were added; each matching request uses up one of the first
/// matching fault's `count`.
///
/// On the wire (`POST /_emulator/faults`) the fields are camelCase:
/// `{"status": 429, "retryAfter": 1, "count": 1, "pathPrefix": "/v1/",
/// "delayMs": 100, "body": "...", "method": "GET"}`; all are optional and
/// unknown fields are rejected, so a typo cannot silently disable a fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Fault {
    /// Status to answer with, 200 to 599; `None` only delays the request.
    pub status: Option<u16>,
    /// `Retry-After` header to send with `status`.
    pub retry_after: Option<RetryAfterValue>,
    /// How many matching requests this fault affects; at least 1, default 1.
    pub count: u32,
    /// Only requests whose path starts with this prefix match.
    pub path_prefix: Option<String>,
    /// Milliseconds to wait before answering or handling the request.
    pub delay_ms: Option<u64>,
    /// Raw response body to send instead of the Webex error JSON; sent with
    /// `content-type: application/json` even if it is not JSON, so tests can
    /// check how clients cope with garbage.
    pub body: Option<String>,
    /// Only requests with this method (case-insensitive) match.
    pub method: Option<String>,
}

impl Default for Fault {
    fn default() -> Self {
        Self {
            status: None,
            retry_after: None,
            count: 1,
            path_prefix: None,
            delay_ms: None,
            body: None,
            method: None,
        }
    }
}

/// The value of a fault's `Retry-After` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RetryAfterValue {
    /// Seconds, written as a decimal number.
    Seconds(u64),
    /// Written verbatim, so tests can send malformed values such as `soon`.
    Raw(String),
}

/// A validated fault waiting in the queue.
#[derive(Debug)]
struct ActiveFault {
    id: String,
    remaining: u32,
    status: Option<StatusCode>,
    retry_after: Option<HeaderValue>,
    path_prefix: Option<String>,
    delay: Option<Duration>,
    body: Option<String>,
    method: Option<String>,
}

impl ActiveFault {
    /// Checks a fault before it is queued, so a bad fault is reported to the
    /// test that added it instead of failing some later request.
    fn validate(fault: Fault, id: String) -> Result<Self, ApiError> {
        if fault.count == 0 {
            return Err(ApiError::bad_request("count must be at least 1."));
        }
        let status = match fault.status {
            Some(code) if (200..=599).contains(&code) => StatusCode::from_u16(code).ok(),
            Some(code) => {
                return Err(ApiError::bad_request(format!(
                    "status must be between 200 and 599, not {code}."
                )));
            }
            None => None,
        };
        if status.is_none() && (fault.retry_after.is_some() || fault.body.is_some()) {
            return Err(ApiError::bad_request(
                "retryAfter and body need a status to be sent with.",
            ));
        }
        let retry_after = match fault.retry_after {
            Some(RetryAfterValue::Seconds(seconds)) => Some(HeaderValue::from(seconds)),
            Some(RetryAfterValue::Raw(raw)) => {
                Some(HeaderValue::from_str(&raw).map_err(|_| {
                    ApiError::bad_request("retryAfter is not a valid header value.")
                })?)
            }
            None => None,
        };
        Ok(Self {
            id,
            remaining: fault.count,
            status,
            retry_after,
            path_prefix: fault.path_prefix,
            delay: fault.delay_ms.map(Duration::from_millis),
            body: fault.body,
            method: fault.method,
        })
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
        let path_ok = self
            .path_prefix
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix));
        method_ok && path_ok
    }
}

/// What one request got from a fault.
#[derive(Debug, Clone)]
pub(crate) struct FaultHit {
    status: Option<StatusCode>,
    retry_after: Option<HeaderValue>,
    delay: Option<Duration>,
    body: Option<String>,
}

impl FaultHit {
    /// The response a fault with a status sends.
    fn response(self, status: StatusCode) -> Response {
        let mut response = match self.body {
            Some(body) => (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from(body),
            )
                .into_response(),
            None => ApiError::for_status(status).into_response(),
        };
        if let Some(retry_after) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
        response
    }
}

/// The queue of faults, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    next_id: u64,
    faults: VecDeque<ActiveFault>,
}

impl FaultQueue {
    /// Validates and queues a fault; returns its id.
    pub(crate) fn add(&mut self, fault: Fault) -> Result<String, ApiError> {
        self.next_id += 1;
        let id = format!("fault-{}", self.next_id);
        let active = ActiveFault::validate(fault, id.clone())?;
        self.faults.push_back(active);
        Ok(id)
    }

    /// Drops every fault.
    pub(crate) fn clear(&mut self) {
        self.faults.clear();
    }

    /// Uses up one count of the oldest fault matching the request.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<FaultHit> {
        let index = self.faults.iter().position(|f| f.matches(method, path))?;
        let fault = self.faults.get_mut(index)?;
        fault.remaining -= 1;
        let hit = FaultHit {
            status: fault.status,
            retry_after: fault.retry_after.clone(),
            delay: fault.delay,
            body: fault.body.clone(),
        };
        if fault.remaining == 0 {
            let used_up = self.faults.remove(index);
            tracing::debug!(id = ?used_up.map(|f| f.id), "fault used up");
        }
        Some(hit)
    }
}

/// The most a faulted request's body is read before answering: above the largest upload the
/// emulator accepts (100 MB files), so a refused request is never cut off mid-upload.
const DRAIN_LIMIT: usize = 128 * 1024 * 1024;

/// Middleware: applies the first matching fault to non-admin requests.
pub(crate) async fn middleware(
    State(control): State<Arc<Control>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if is_admin_path(path) {
        return next.run(request).await;
    }
    let hit = lock(&control.faults).take(request.method().as_str(), path);
    let Some(hit) = hit else {
        return next.run(request).await;
    };
    if let Some(delay) = hit.delay {
        tokio::time::sleep(delay).await;
    }
    match hit.status {
        Some(status) => {
            // Read the whole request first, as Webex's front door does: answering while the
            // client is still uploading would reset the connection under it, turning an
            // injected 429 into a broken pipe the client cannot tell apart from a crash.
            let _ = axum::body::to_bytes(request.into_body(), DRAIN_LIMIT).await;
            hit.response(status)
        }
        None => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(json: &str) -> Fault {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn wire_format() {
        let parsed = fault(r#"{"status":429,"retryAfter":1,"pathPrefix":"/v1/"}"#);
        assert_eq!(parsed.count, 1);
        assert_eq!(parsed.retry_after, Some(RetryAfterValue::Seconds(1)));
        let raw = fault(r#"{"status":429,"retryAfter":"soon"}"#);
        assert_eq!(raw.retry_after, Some(RetryAfterValue::Raw("soon".into())));
        assert!(serde_json::from_str::<Fault>(r#"{"retry_after":1}"#).is_err());
    }

    #[test]
    fn fifo_and_counts() {
        let mut queue = FaultQueue::default();
        queue
            .add(fault(r#"{"status":500,"count":2,"pathPrefix":"/v1/"}"#))
            .unwrap();
        queue.add(fault(r#"{"status":503}"#)).unwrap();
        let status = |hit: Option<FaultHit>| hit.and_then(|h| h.status).map(|s| s.as_u16());
        assert_eq!(status(queue.take("GET", "/u2c/x")), Some(503));
        assert_eq!(status(queue.take("GET", "/v1/people")), Some(500));
        assert_eq!(status(queue.take("GET", "/v1/people")), Some(500));
        assert!(queue.take("GET", "/v1/people").is_none());
    }

    #[test]
    fn method_filter_is_case_insensitive() {
        let mut queue = FaultQueue::default();
        queue
            .add(fault(r#"{"status":500,"method":"post"}"#))
            .unwrap();
        assert!(queue.take("GET", "/v1/x").is_none());
        assert!(queue.take("POST", "/v1/x").is_some());
    }

    #[test]
    fn rejects_bad_faults() {
        let mut queue = FaultQueue::default();
        for bad in [
            r#"{"status":99}"#,
            r#"{"status":600}"#,
            r#"{"count":0,"status":500}"#,
            r#"{"body":"x"}"#,
            r#"{"status":429,"retryAfter":"bad\nvalue"}"#,
        ] {
            assert!(queue.add(fault(bad)).is_err(), "{bad}");
        }
        assert!(queue.faults.is_empty());
    }
}
