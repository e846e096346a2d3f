//! ROAP messages riding in `localMedias[0].localSdp` (a JSON *string*
//! inside the JSON body) and the answers that go back in
//! `mediaConnections[0].remoteSdp` (also a JSON string).
//!
//! TURN discovery is answered with all three TURN headers present but
//! empty, plus `noOkInTransaction`: the client then uses no TURN server and
//! sends no OK. Offers need a media server, which the emulator does not
//! have yet; they get a ROAP `ERROR` with `errorType: "FAILED"` and a cause
//! saying so (the HTTP request itself succeeds with the locus).

use serde_json::{Map, Value, json};

use crate::kit::error::ApiError;
use crate::world::meetings::errors::bad_request;

/// What a `localSdp` carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LocalSdp {
    /// `audioMuted`, when present.
    pub(crate) audio_muted: Option<bool>,
    /// `videoMuted`, when present.
    pub(crate) video_muted: Option<bool>,
    /// `roapMessage`, when present.
    pub(crate) roap: Option<Map<String, Value>>,
}

impl LocalSdp {
    /// The ROAP message type, if any.
    pub(crate) fn message_type(&self) -> Option<&str> {
        self.roap.as_ref()?.get("messageType")?.as_str()
    }

    /// The answer to put in `remoteSdp`, if the message needs one.
    pub(crate) fn answer(&self) -> Option<String> {
        let roap = self.roap.as_ref()?;
        let seq = roap.get("seq").cloned().unwrap_or(Value::from(0));
        let message = match self.message_type()? {
            "TURN_DISCOVERY_REQUEST" => json!({
                "messageType": "TURN_DISCOVERY_RESPONSE",
                "version": "2",
                "seq": seq,
                "headers": [
                    "x-cisco-turn-url=",
                    "x-cisco-turn-username=",
                    "x-cisco-turn-password=",
                    "noOkInTransaction",
                ],
            }),
            "OFFER" => json!({
                "messageType": "ERROR",
                "version": "2",
                "seq": seq,
                "errorType": "FAILED",
                "errorCause": "The emulator has no media server yet.",
                "headers": ["noOkInTransaction"],
            }),
            _ => return None,
        };
        Some(json!({"roapMessage": message}).to_string())
    }
}

/// Parses `localMedias[0].localSdp` of `body`, if there is one.
///
/// # Errors
///
/// 400 when `localSdp` is not a string holding a JSON object, or its mute
/// flags are not booleans.
pub(crate) fn local_sdp(body: &Map<String, Value>) -> Result<Option<LocalSdp>, ApiError> {
    let Some(first) = body
        .get("localMedias")
        .and_then(Value::as_array)
        .and_then(|medias| medias.first())
    else {
        return Ok(None);
    };
    let Some(raw) = first.get("localSdp") else {
        return Ok(None);
    };
    let Some(text) = raw.as_str() else {
        return Err(bad_request("localSdp must be a JSON string."));
    };
    let Ok(Value::Object(sdp)) = serde_json::from_str::<Value>(text) else {
        return Err(bad_request("localSdp must hold a JSON object."));
    };
    let flag = |name: &str| match sdp.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(bad_request(&format!("localSdp.{name} must be a boolean."))),
    };
    let roap = match sdp.get("roapMessage") {
        None | Some(Value::Null) => None,
        Some(Value::Object(message)) => Some(message.clone()),
        Some(_) => return Err(bad_request("localSdp.roapMessage must be an object.")),
    };
    Ok(Some(LocalSdp {
        audio_muted: flag("audioMuted")?,
        video_muted: flag("videoMuted")?,
        roap,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(local_sdp: Value) -> Map<String, Value> {
        match json!({"localMedias": [{"localSdp": local_sdp}]}) {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn answers_turn_discovery_with_empty_turn_headers() {
        let sdp =
            json!({"roapMessage": {"messageType": "TURN_DISCOVERY_REQUEST", "seq": 0}}).to_string();
        let parsed = local_sdp(&body(Value::String(sdp))).unwrap().unwrap();
        let answer: Value = serde_json::from_str(&parsed.answer().unwrap()).unwrap();
        assert_eq!(
            answer["roapMessage"]["messageType"],
            "TURN_DISCOVERY_RESPONSE"
        );
        assert_eq!(answer["roapMessage"]["headers"][0], "x-cisco-turn-url=");
    }

    #[test]
    fn rejects_malformed_local_sdp() {
        assert!(local_sdp(&body(json!({"audioMuted": true}))).is_err());
        assert!(local_sdp(&body(Value::String("{".into()))).is_err());
        let bad = json!({"audioMuted": "yes"}).to_string();
        assert!(local_sdp(&body(Value::String(bad))).is_err());
        let mute = json!({"audioMuted": true, "videoMuted": false}).to_string();
        let parsed = local_sdp(&body(Value::String(mute))).unwrap().unwrap();
        assert_eq!(parsed.audio_muted, Some(true));
        assert_eq!(parsed.answer(), None);
    }
}
