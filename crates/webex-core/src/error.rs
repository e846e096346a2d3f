//! The one error type of the SDK core, with a matchable [`ErrorKind`].

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::http::retry_after::MAX_RETRY_AFTER;
use crate::logging::redact;

/// What went wrong, coarse enough to match on.
///
/// The kind never carries secrets. HTTP statuses get their own kinds so callers can write
/// `matches!(err.kind(), ErrorKind::NotFound)` instead of comparing numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the server rejected the request as malformed.
    BadRequest,
    /// 401: the access token was missing, invalid or expired (after any refresh).
    Unauthorized,
    /// 403: the caller may not do this.
    Forbidden,
    /// 404: the resource does not exist.
    NotFound,
    /// 409: the request conflicts with the current state.
    Conflict,
    /// 429: rate limited; see [`Error::retry_after`].
    TooManyRequests,
    /// Any 5xx status.
    ServerError,
    /// Any other status of 400 or more.
    HttpStatus,
    /// No connection could be made; the request was never sent.
    Connect,
    /// The connection broke while the request was in flight.
    Network,
    /// The request did not finish within its timeout.
    Timeout,
    /// The server answered with a body the SDK could not understand.
    InvalidResponse,
    /// The response body was larger than the configured cap
    /// ([`WebexConfig::max_response_body`](crate::config::WebexConfig::max_response_body),
    /// or the request's own).
    ResponseTooLarge,
    /// A caller-supplied argument was rejected before anything was sent.
    InvalidInput,
    /// A service name is not in the catalog.
    UnknownService,
    /// The configuration could not be loaded or is invalid.
    Config,
    /// The token provider failed to produce or refresh a token.
    Credentials,
    /// A plugin depends on a plugin that was not added.
    MissingDependency,
    /// Plugins depend on each other in a cycle.
    DependencyCycle,
    /// A plugin type was added twice, or two plugins share one name.
    DuplicatePlugin,
    /// A plugin's lifecycle hook failed.
    Plugin,
}

impl ErrorKind {
    /// The kind that a response status maps to (`None` below 400).
    #[must_use]
    pub fn from_status(status: StatusCode) -> Option<Self> {
        Some(match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::TooManyRequests,
            500..=599 => Self::ServerError,
            402..=499 => Self::HttpStatus,
            _ => return None,
        })
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An SDK error: a kind, a human message, and for HTTP failures the status, the Webex tracking
/// id and any `Retry-After`.
pub struct Error {
    kind: ErrorKind,
    message: String,
    status: Option<StatusCode>,
    tracking_id: Option<String>,
    retry_after: Option<Duration>,
    source: Option<BoxError>,
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error of `kind` with `message`. Secret query parameters of any URL in the
    /// message are redacted here ([`redact::text`]), so neither [`message`](Self::message),
    /// `Display` nor `Debug` can show them.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        let message = match redact::text(&message) {
            Cow::Borrowed(_) => message,
            Cow::Owned(clean) => clean,
        };
        Self {
            kind,
            message,
            status: None,
            tracking_id: None,
            retry_after: None,
            source: None,
        }
    }

    /// An error for an HTTP response with a failing status.
    pub fn from_status(status: StatusCode, message: impl Into<String>) -> Self {
        let kind = ErrorKind::from_status(status).unwrap_or(ErrorKind::HttpStatus);
        Self::new(kind, message).with_status(status)
    }

    /// Attaches the HTTP status.
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the Webex tracking id of the request that failed.
    #[must_use]
    pub fn with_tracking_id(mut self, tracking_id: impl Into<String>) -> Self {
        self.tracking_id = Some(tracking_id.into());
        self
    }

    /// Attaches the server's `Retry-After` delay, capped at
    /// [`MAX_RETRY_AFTER`](crate::http::retry_after::MAX_RETRY_AFTER) like the SDK's own wait
    /// (a server asking for a day, or a garbage-large number, is not passed on as is).
    #[must_use]
    pub fn with_retry_after(self, retry_after: Option<Duration>) -> Self {
        self.with_retry_after_capped(retry_after, MAX_RETRY_AFTER)
    }

    /// Attaches the server's `Retry-After` delay, capped at `cap` (the client's
    /// [`RetryConfig::max_retry_after`](crate::config::RetryConfig::max_retry_after)).
    #[must_use]
    pub fn with_retry_after_capped(mut self, retry_after: Option<Duration>, cap: Duration) -> Self {
        self.retry_after = retry_after.map(|d| d.min(cap));
        self
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message (for HTTP errors, Webex's `message`).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, when the server answered.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The Webex tracking id to quote in a support ticket.
    #[must_use]
    pub fn tracking_id(&self) -> Option<&str> {
        self.tracking_id.as_deref()
    }

    /// How long the server asked us to wait before trying again.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether trying the same request again later may succeed.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::TooManyRequests
                | ErrorKind::ServerError
                | ErrorKind::Connect
                | ErrorKind::Network
                | ErrorKind::Timeout
        )
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("tracking_id", &self.tracking_id)
            .field("retry_after", &self.retry_after)
            .field(
                "source",
                &self
                    .source
                    .as_ref()
                    .map(|s| RedactedDebug(redact::text(&format!("{s:?}")).into_owned())),
            )
            .finish()
    }
}

/// Already redacted text shown as is by `Debug`.
struct RedactedDebug(String);

impl fmt::Debug for RedactedDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "{status}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(id) = &self.tracking_id {
            write!(f, " (tracking id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(
            ErrorKind::from_status(StatusCode::NOT_FOUND),
            Some(ErrorKind::NotFound)
        );
        assert_eq!(
            ErrorKind::from_status(StatusCode::BAD_GATEWAY),
            Some(ErrorKind::ServerError)
        );
        assert_eq!(
            ErrorKind::from_status(StatusCode::GONE),
            Some(ErrorKind::HttpStatus)
        );
        assert_eq!(ErrorKind::from_status(StatusCode::OK), None);
    }

    #[test]
    fn secret_query_values_never_show() {
        let source = std::io::Error::other("GET https://h/x?Refresh_Token=r3fresh failed");
        let err = Error::new(
            ErrorKind::Timeout,
            "no response from https://h/x?ACCESS_TOKEN=t0ken&max=1 within 1s",
        )
        .with_source(source);
        let shown = format!("{err} {err:?} {}", err.message());
        assert!(
            !shown.contains("t0ken") && !shown.contains("r3fresh"),
            "{shown}"
        );
        assert!(shown.contains("ACCESS_TOKEN=<redacted>&max=1"), "{shown}");
    }

    #[test]
    fn display_names_status_and_tracking_id() {
        let err = Error::from_status(StatusCode::NOT_FOUND, "Room not found")
            .with_tracking_id("webex-rs_x_1");
        assert_eq!(
            err.to_string(),
            "404 Not Found: Room not found (tracking id webex-rs_x_1)"
        );
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
}
