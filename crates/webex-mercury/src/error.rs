//! Why a connection failed or ended for good, and what an event stream yields instead of an
//! event.

use webex_core::{Error, ErrorKind};

/// A Mercury failure. Matchable; converts into [`webex_core::Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MercuryError {
    /// Closed with 4400 during the handshake: the server rejected the request.
    #[error("mercury rejected the connection (4400 bad request): {reason}")]
    BadRequest {
        /// The close reason.
        reason: String,
    },
    /// 4401 again after refreshing the token once.
    #[error("mercury rejected the token (4401), also after a refresh: {reason}")]
    NotAuthorized {
        /// The close reason.
        reason: String,
    },
    /// Closed with 4403: not entitled.
    #[error("mercury refused the connection (4403 forbidden): {reason}")]
    Forbidden {
        /// The close reason.
        reason: String,
    },
    /// Closed with 4000 `replaced`: another connection took this one's place.
    #[error("mercury connection replaced by another one")]
    Replaced,
    /// A close that is not retried (`docs/protocol/mercury.md`, *Close codes*).
    #[error("mercury closed the connection ({code}): {reason}")]
    Closed {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// `max_retries` connection attempts failed in a row.
    #[error("mercury: {attempts} connection attempts failed; last: {last}")]
    RetriesExhausted {
        /// How many.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The device's `webSocketUrl` is not one the token may be sent to: it must be `wss://`
    /// on a host the client trusts with its token (a Webex domain, a catalog host or
    /// `services.allowed_domains`); plain `ws://` only to a loopback address.
    #[error("mercury will not send the token to {url}: {reason}")]
    UntrustedUrl {
        /// The URL without its query.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No device, no token, or no plugin to connect with.
    #[error("mercury cannot connect: {0}")]
    Setup(String),
}

impl From<MercuryError> for Error {
    fn from(err: MercuryError) -> Self {
        let kind = match &err {
            MercuryError::BadRequest { .. } => ErrorKind::BadRequest,
            MercuryError::NotAuthorized { .. } => ErrorKind::Unauthorized,
            MercuryError::Forbidden { .. } => ErrorKind::Forbidden,
            MercuryError::Setup(_) => ErrorKind::Plugin,
            MercuryError::UntrustedUrl { .. } => ErrorKind::InvalidResponse,
            MercuryError::Replaced
            | MercuryError::Closed { .. }
            | MercuryError::RetriesExhausted { .. } => ErrorKind::Connect,
        };
        Error::new(kind, err.to_string()).with_source(err)
    }
}

/// What an event stream yields instead of an event; the stream goes on after it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// This subscriber fell so far behind that `missed` events could not be handed to it
    /// (its queue stayed full for the whole hand-off timeout). Other subscribers got them,
    /// and the server got their acks.
    #[error("mercury subscriber too slow: {missed} events missed")]
    Lagged {
        /// How many events this subscriber missed.
        missed: u64,
    },
    /// A frame that could not be read (not JSON, no event type, too large); it was skipped.
    #[error("mercury frame skipped ({}): {reason}", id.as_deref().unwrap_or("no id"))]
    Malformed {
        /// The frame's `id`, when it could be read.
        id: Option<String>,
        /// What is wrong with it.
        reason: String,
    },
}
