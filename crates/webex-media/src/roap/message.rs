//! ROAP messages as they travel: JSON objects with `messageType`, `version` `"2"`, `seq`
//! (a number, or a string holding one, when the server sends it), the SDP in a one-element
//! `sdps` array, and optional `tieBreaker`, `errorType`, `errorCause`, `retryAfter` and
//! `headers`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::error::RoapParseError;

/// The only ROAP version spoken.
pub const ROAP_VERSION: &str = "2";
/// The client's glare tie breaker: the largest value a server may not beat, so the client
/// always wins glare (the JS SDK chose this because Safari could not roll an offer back).
pub const CLIENT_TIE_BREAKER: u32 = 0xFFFF_FFFE;
/// Offer header: put the answer in the HTTP response of the `/media` request.
pub const HEADER_INCLUDE_ANSWER: &str = "includeAnswerInHttpResponse";
/// Header: the peer must not send an `OK` to end this transaction.
pub const HEADER_NO_OK: &str = "noOkInTransaction";

/// A ROAP message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageType {
    /// An SDP offer.
    Offer,
    /// The SDP answer to an offer.
    Answer,
    /// Ends a transaction.
    Ok,
    /// A failed transaction; see [`ErrorType`].
    Error,
    /// The peer asks for an offer.
    OfferRequest,
    /// An offer sent in reply to an `OFFER_REQUEST`.
    OfferResponse,
    /// Asks Locus for TURN servers (always `seq` 0).
    TurnDiscoveryRequest,
    /// Locus's TURN servers, in `x-cisco-turn-*` headers.
    TurnDiscoveryResponse,
}

/// The `errorType` of an `ERROR` message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ErrorType {
    /// Glare where both sides sent the top tie breaker.
    DoubleConflict,
    /// Glare: the receiver had an offer of its own outstanding and wins.
    Conflict,
    /// The receiver could not process the message.
    Failed,
    /// The message does not fit the receiver's state.
    InvalidState,
    /// The offer and the receiver's capabilities have nothing in common.
    NoMatch,
    /// The message's `seq` is not the expected one.
    OutOfOrder,
    /// The receiver refuses the offer.
    Refused,
    /// Try again (with a new offer).
    Retry,
    /// The receiver gave up waiting.
    Timeout,
    /// A type this client does not know; kept as received so nothing is lost.
    Other(String),
}

impl ErrorType {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorType::DoubleConflict => "DOUBLECONFLICT",
            ErrorType::Conflict => "CONFLICT",
            ErrorType::Failed => "FAILED",
            ErrorType::InvalidState => "INVALID_STATE",
            ErrorType::NoMatch => "NOMATCH",
            ErrorType::OutOfOrder => "OUT_OF_ORDER",
            ErrorType::Refused => "REFUSED",
            ErrorType::Retry => "RETRY",
            ErrorType::Timeout => "TIMEOUT",
            ErrorType::Other(other) => other,
        }
    }

    /// Whether an offer answered with this error is retried with a new offer.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ErrorType::DoubleConflict
                | ErrorType::InvalidState
                | ErrorType::OutOfOrder
                | ErrorType::Retry
        )
    }
}

impl From<String> for ErrorType {
    fn from(name: String) -> Self {
        match name.as_str() {
            "DOUBLECONFLICT" => ErrorType::DoubleConflict,
            "CONFLICT" => ErrorType::Conflict,
            "FAILED" => ErrorType::Failed,
            "INVALID_STATE" => ErrorType::InvalidState,
            "NOMATCH" => ErrorType::NoMatch,
            "OUT_OF_ORDER" => ErrorType::OutOfOrder,
            "REFUSED" => ErrorType::Refused,
            "RETRY" => ErrorType::Retry,
            "TIMEOUT" => ErrorType::Timeout,
            _ => ErrorType::Other(name),
        }
    }
}

impl From<ErrorType> for String {
    fn from(error: ErrorType) -> Self {
        match error {
            ErrorType::Other(other) => other,
            known => known.as_str().to_owned(),
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ROAP message. Build the ones the client sends with the constructors; read the server's
/// with [`RoapMessage::from_json`] or [`RoapMessage::from_value`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoapMessage {
    /// The message type.
    pub message_type: MessageType,
    /// Always `"2"` on the wire (checked when read).
    #[serde(default = "version")]
    version: String,
    /// The transaction's sequence number.
    #[serde(deserialize_with = "seq_number_or_string")]
    pub seq: u64,
    /// The SDP offer or answer; the wire carries it as the first element of `sdps`.
    #[serde(
        rename = "sdps",
        default,
        skip_serializing_if = "Option::is_none",
        with = "sdps"
    )]
    pub sdp: Option<String>,
    /// The glare tie breaker (offers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_breaker: Option<u32>,
    /// What went wrong (`ERROR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorType>,
    /// A free-text explanation of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_cause: Option<String>,
    /// Seconds to wait before retrying (`ERROR FAILED` during glare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// Headers: flags (`noOkInTransaction`) and `name=value` pairs (`x-cisco-turn-url=...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
}

fn version() -> String {
    ROAP_VERSION.to_owned()
}

impl RoapMessage {
    fn bare(message_type: MessageType, seq: u64) -> Self {
        RoapMessage {
            message_type,
            version: version(),
            seq,
            sdp: None,
            tie_breaker: None,
            error_type: None,
            error_cause: None,
            retry_after: None,
            headers: Vec::new(),
        }
    }

    /// The client's `OFFER`: its tie breaker and the headers asking for the answer in the HTTP
    /// response and for no `OK`.
    pub fn offer(seq: u64, sdp: impl Into<String>) -> Self {
        Self::offer_like(MessageType::Offer, seq, sdp)
    }

    /// The client's `OFFER_RESPONSE` (an offer asked for by `OFFER_REQUEST`), shaped as an
    /// `OFFER`.
    pub fn offer_response(seq: u64, sdp: impl Into<String>) -> Self {
        Self::offer_like(MessageType::OfferResponse, seq, sdp)
    }

    fn offer_like(message_type: MessageType, seq: u64, sdp: impl Into<String>) -> Self {
        RoapMessage {
            sdp: Some(sdp.into()),
            tie_breaker: Some(CLIENT_TIE_BREAKER),
            headers: vec![HEADER_INCLUDE_ANSWER.to_owned(), HEADER_NO_OK.to_owned()],
            ..Self::bare(message_type, seq)
        }
    }

    /// An `ANSWER`.
    pub fn answer(seq: u64, sdp: impl Into<String>) -> Self {
        RoapMessage {
            sdp: Some(sdp.into()),
            ..Self::bare(MessageType::Answer, seq)
        }
    }

    /// An `OK`.
    pub fn ok(seq: u64) -> Self {
        Self::bare(MessageType::Ok, seq)
    }

    /// An `ERROR` of `error_type`.
    pub fn error(seq: u64, error_type: ErrorType) -> Self {
        RoapMessage {
            error_type: Some(error_type),
            ..Self::bare(MessageType::Error, seq)
        }
    }

    /// The `TURN_DISCOVERY_REQUEST` (always `seq` 0).
    pub fn turn_discovery_request() -> Self {
        RoapMessage {
            headers: vec![HEADER_INCLUDE_ANSWER.to_owned(), HEADER_NO_OK.to_owned()],
            ..Self::bare(MessageType::TurnDiscoveryRequest, 0)
        }
    }

    /// A message of any type with nothing but `seq` (servers, tests).
    pub fn new(message_type: MessageType, seq: u64) -> Self {
        Self::bare(message_type, seq)
    }

    /// Whether `header` is present as a flag (exact match).
    pub fn has_header(&self, header: &str) -> bool {
        self.headers.iter().any(|h| h == header)
    }

    /// The value of a `name=value` header, if present.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find_map(|h| h.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
    }

    /// Reads a message from JSON text.
    ///
    /// # Errors
    ///
    /// [`RoapParseError`] when the text is not a ROAP message.
    pub fn from_json(text: &str) -> Result<Self, RoapParseError> {
        let message: RoapMessage = serde_json::from_str(text)?;
        message.checked()
    }

    /// Reads a message from a JSON value (a Mercury `locus.message.roap` event's `message`).
    ///
    /// # Errors
    ///
    /// [`RoapParseError`] when the value is not a ROAP message.
    pub fn from_value(value: serde_json::Value) -> Result<Self, RoapParseError> {
        let message: RoapMessage = serde_json::from_value(value)?;
        message.checked()
    }

    pub(super) fn checked(self) -> Result<Self, RoapParseError> {
        if self.version == ROAP_VERSION {
            Ok(self)
        } else {
            Err(RoapParseError::UnsupportedVersion(self.version))
        }
    }

    /// The message as a JSON value (what goes in `roapMessage`).
    pub fn to_value(&self) -> serde_json::Value {
        // A struct of strings, numbers and string lists always serializes.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

mod sdps {
    //! `sdps: [sdp]` on the wire, one `Option<String>` here. Only the first SDP is used, as
    //! the JS SDK does; an empty array is no SDP.

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(sdp: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(sdp.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let sdps = Option::<Vec<String>>::deserialize(d)?;
        Ok(sdps.and_then(|list| list.into_iter().next()))
    }
}

fn seq_number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Seq;
    impl Visitor<'_> for Seq {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative integer or a string holding one")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom(format!("seq {v} is negative")))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            Err(E::custom(format!("seq {v} is not an integer")))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
            v.trim()
                .parse()
                .map_err(|_| E::custom(format!("seq {v:?} is not a non-negative integer")))
        }
    }
    d.deserialize_any(Seq)
}
