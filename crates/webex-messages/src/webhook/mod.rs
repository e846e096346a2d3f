//! Receiving webhook deliveries: check `X-Spark-Signature`, then parse the event.
//!
//! Webex signs each delivery of a webhook created with a secret: the header holds the hex
//! HMAC-SHA1 of the raw body keyed with the secret. Verification fails closed: a missing,
//! malformed or wrong signature, or an empty secret, is an error and the body is not parsed.
//!
//! ```
//! use webex_messages::webhook::{WebhookData, WebhookVerifier, sign};
//!
//! let verifier = WebhookVerifier::new("s3cret");
//! // A delivery: the webhook's fields, who acted, and the object (a message, without text).
//! let body = serde_json::json!({
//!     "id": "w1", "name": "Messages", "targetUrl": "https://example.com/webex",
//!     "resource": "messages", "event": "created", "status": "active",
//!     "created": "2024-10-23T10:00:00.000Z", "actorId": "p1",
//!     "data": {"id": "m1", "roomId": "r1", "roomType": "group", "personId": "p1",
//!              "personEmail": "ada@example.com", "created": "2024-10-23T10:00:01.000Z"}
//! })
//! .to_string();
//! let body = body.as_bytes();
//! let mut headers = http::HeaderMap::new();
//! headers.insert("x-spark-signature", sign(&"s3cret".into(), body).parse().unwrap());
//! let event = verifier.verify_and_parse(&headers, body).unwrap();
//! assert_eq!(event.actor_id.as_str(), "p1");
//! assert!(matches!(event.data, WebhookData::Message(m) if m.room_id.as_str() == "r1"));
//!
//! headers.insert("x-spark-signature", sign(&"other".into(), body).parse().unwrap());
//! assert!(verifier.verify_and_parse(&headers, body).is_err());
//! ```

#[cfg(feature = "axum")]
pub mod axum;
mod event;

pub use event::{WebhookData, WebhookEvent};

use hmac::{KeyInit, Mac};
use http::HeaderMap;

pub use crate::webhooks::WebhookSecret;

/// The header Webex puts the signature in.
pub const SIGNATURE_HEADER: &str = "x-spark-signature";

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

/// Bytes in an HMAC-SHA1.
const SHA1_LEN: usize = 20;

/// Why a delivery was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The verifier has an empty secret, so nothing it accepts would be authentic.
    #[error("the webhook secret is empty, so deliveries cannot be verified")]
    EmptySecret,
    /// The delivery has no `X-Spark-Signature` header.
    #[error("the delivery has no X-Spark-Signature header")]
    MissingSignature,
    /// The header is not a hex HMAC-SHA1.
    #[error("the X-Spark-Signature header is not a hex HMAC-SHA1")]
    MalformedSignature,
    /// The signature does not match the body and secret.
    #[error("the X-Spark-Signature does not match the body")]
    SignatureMismatch,
    /// The body is authentic but not a webhook event.
    #[error("the delivery body is not a webhook event: {0}")]
    InvalidBody(String),
}

impl WebhookError {
    /// Whether the delivery was rejected as not authentic (as opposed to unparsable).
    #[must_use]
    pub fn is_unauthenticated(&self) -> bool {
        !matches!(self, Self::InvalidBody(_))
    }
}

/// Checks and parses deliveries of one webhook. Its `Debug` never shows the secret.
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    secret: WebhookSecret,
}

impl WebhookVerifier {
    /// A verifier for deliveries signed with `secret`.
    pub fn new(secret: impl Into<WebhookSecret>) -> Self {
        Self {
            secret: secret.into(),
        }
    }

    /// Checks the signature of `body`.
    ///
    /// # Errors
    /// See [`verify_signature`].
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        verify_signature(&self.secret, headers, body)
    }

    /// Checks the signature, then parses the event.
    ///
    /// # Errors
    /// See [`parse_event`].
    pub fn verify_and_parse(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        parse_event(&self.secret, headers, body)
    }
}

/// Checks that `X-Spark-Signature` is the hex HMAC-SHA1 of `body` keyed with `secret`, in
/// constant time.
///
/// # Errors
/// [`WebhookError::EmptySecret`], [`MissingSignature`](WebhookError::MissingSignature),
/// [`MalformedSignature`](WebhookError::MalformedSignature) (not 40 hex digits, or not one
/// header value) or [`SignatureMismatch`](WebhookError::SignatureMismatch).
pub fn verify_signature(
    secret: &WebhookSecret,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), WebhookError> {
    if secret.expose().is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let mut values = headers.get_all(SIGNATURE_HEADER).iter();
    let header = values.next().ok_or(WebhookError::MissingSignature)?;
    // Two signatures would let an attacker's header sit beside the real one.
    if values.next().is_some() {
        return Err(WebhookError::MalformedSignature);
    }
    let text = header
        .to_str()
        .map_err(|_| WebhookError::MalformedSignature)?;
    let signature = hex::decode(text.trim()).map_err(|_| WebhookError::MalformedSignature)?;
    if signature.len() != SHA1_LEN {
        return Err(WebhookError::MalformedSignature);
    }
    mac(secret, body)
        .verify_slice(&signature)
        .map_err(|_| WebhookError::SignatureMismatch)
}

/// Checks the signature, then parses `body` into a typed event.
///
/// # Errors
/// As [`verify_signature`], and [`WebhookError::InvalidBody`] for an authentic body that is
/// not an event.
pub fn parse_event(
    secret: &WebhookSecret,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, WebhookError> {
    verify_signature(secret, headers, body)?;
    WebhookEvent::parse(body).map_err(|e| WebhookError::InvalidBody(e.to_string()))
}

/// The signature Webex sends for `body`: lower-case hex HMAC-SHA1 keyed with `secret`.
#[must_use]
pub fn sign(secret: &WebhookSecret, body: &[u8]) -> String {
    hex::encode(mac(secret, body).finalize().into_bytes())
}

fn mac(secret: &WebhookSecret, body: &[u8]) -> HmacSha1 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha1 as KeyInit>::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    mac
}
