//! The JSON *strings* ROAP rides in: the client's `localMedias[0].localSdp` (mute state,
//! the message, reachability) and the server's `mediaConnections[0].remoteSdp` (the
//! message). Locus requires them as strings inside the JSON body, not as objects.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::RoapParseError;
use super::message::RoapMessage;

/// The `localSdp` of a `PUT {selfUrl}/media` (or join) body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalSdp {
    /// The latest requested audio mute (true before any was requested).
    pub audio_muted: bool,
    /// The latest requested video mute (true before any was requested).
    pub video_muted: bool,
    /// The ROAP message, when the request carries one (a local-mute request does not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roap_message: Option<RoapMessage>,
    /// The reachability results, as the reachability module reports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachability: Option<Value>,
}

impl LocalSdp {
    /// A ROAP-carrying `localSdp` with both mute flags.
    pub fn roap(message: RoapMessage, audio_muted: bool, video_muted: bool) -> Self {
        LocalSdp {
            audio_muted,
            video_muted,
            roap_message: Some(message),
            reachability: None,
        }
    }

    /// The JSON string to put in `localSdp`.
    pub fn to_json_string(&self) -> String {
        // Bools, a message of strings and numbers, and a JSON value always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a `localSdp` string (the emulator's side, and tests).
    ///
    /// # Errors
    ///
    /// [`RoapParseError`] when the string is not a `localSdp` object.
    pub fn parse(text: &str) -> Result<Self, RoapParseError> {
        let mut local: LocalSdp = serde_json::from_str(text)?;
        local.roap_message = local.roap_message.map(RoapMessage::checked).transpose()?;
        Ok(local)
    }
}

/// The `remoteSdp` string of a `/media` (or join) response: `{"roapMessage": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteSdp {
    /// The server's message.
    pub roap_message: RoapMessage,
}

impl RemoteSdp {
    /// Reads a `remoteSdp` string.
    ///
    /// # Errors
    ///
    /// [`RoapParseError::NoRoapMessage`] when the object has no `roapMessage`, other
    /// [`RoapParseError`]s when the text or the message is malformed.
    pub fn parse(text: &str) -> Result<Self, RoapParseError> {
        let value: Value = serde_json::from_str(text)?;
        let Value::Object(mut object) = value else {
            return Err(RoapParseError::Json(
                "remoteSdp is not a JSON object".into(),
            ));
        };
        let message = object
            .remove("roapMessage")
            .ok_or(RoapParseError::NoRoapMessage)?;
        Ok(RemoteSdp {
            roap_message: RoapMessage::from_value(message)?,
        })
    }

    /// The JSON string to put in `remoteSdp` (servers, tests).
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
