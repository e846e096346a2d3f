//! A ROAP message pushed over Mercury: a `locus.message.roap` event whose `data` names the
//! meeting by the correlation id its join and `/media` bodies carried.

use serde_json::Value;

use super::error::RoapParseError;
use super::message::RoapMessage;

/// The Mercury event type of a pushed ROAP message.
pub const ROAP_EVENT_TYPE: &str = "locus.message.roap";

/// A `locus.message.roap` event's `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoapEvent {
    /// The meeting's correlation id: routes the message to its meeting.
    pub correlation_id: String,
    /// The message.
    pub message: RoapMessage,
}

impl RoapEvent {
    /// Reads an event's `data` (`{eventType, correlationId, message}`); `Ok(None)` when the
    /// event is of another type.
    ///
    /// # Errors
    ///
    /// [`RoapParseError`] when a `locus.message.roap` event lacks its correlation id or its
    /// message is malformed.
    pub fn from_data(data: &Value) -> Result<Option<Self>, RoapParseError> {
        if data.get("eventType").and_then(Value::as_str) != Some(ROAP_EVENT_TYPE) {
            return Ok(None);
        }
        let correlation_id = data
            .get("correlationId")
            .and_then(Value::as_str)
            .ok_or_else(|| RoapParseError::Json("ROAP event without a correlationId".into()))?;
        let message = data
            .get("message")
            .cloned()
            .ok_or_else(|| RoapParseError::Json("ROAP event without a message".into()))?;
        Ok(Some(RoapEvent {
            correlation_id: correlation_id.to_owned(),
            message: RoapMessage::from_value(message)?,
        }))
    }
}
