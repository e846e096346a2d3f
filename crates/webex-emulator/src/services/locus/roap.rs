//! ROAP messages riding in `localMedias[0].localSdp` (a JSON *string*
//! inside the JSON body) and the answers that go back in
//! `mediaConnections[0].remoteSdp` (also a JSON string).
//!
//! TURN discovery is answered with all three TURN headers present but
//! empty, plus `noOkInTransaction`: the client then uses no TURN server and
//! sends no OK. An offer is answered by the media server (`participant.rs`
//! asks it): an `ANSWER` with the offer's `seq` and `noOkInTransaction`, or
//! a ROAP `ERROR` (`FAILED`, with the reason as its cause) when it cannot
//! be answered; the HTTP request itself succeeds with the locus either way.

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

    /// The message's `seq` (a number or a string on the wire), 0 when
    /// absent.
    fn seq(&self) -> Value {
        self.roap
            .as_ref()
            .and_then(|roap| roap.get("seq"))
            .cloned()
            .unwrap_or(Value::from(0))
    }

    /// An offer's SDP (`sdps[0]`), if the message is an offer that has one.
    pub(crate) fn offer_sdp(&self) -> Option<&str> {
        if self.message_type()? != "OFFER" {
            return None;
        }
        self.roap.as_ref()?.get("sdps")?.get(0)?.as_str()
    }

    /// The answer to put in `remoteSdp` for a message Locus answers by
    /// itself (TURN discovery), if it is one.
    pub(crate) fn answer(&self) -> Option<String> {
        if self.message_type()? != "TURN_DISCOVERY_REQUEST" {
            return None;
        }
        Some(remote_sdp(json!({
            "messageType": "TURN_DISCOVERY_RESPONSE",
            "version": "2",
            "seq": self.seq(),
            "headers": [
                "x-cisco-turn-url=",
                "x-cisco-turn-username=",
                "x-cisco-turn-password=",
                "noOkInTransaction",
            ],
        })))
    }

    /// What a join answers to the message riding in its body: TURN
    /// discovery as [`LocalSdp::answer`]; an offer gets a ROAP `ERROR`,
    /// since offers go to the participant's `/media` once joined.
    pub(crate) fn join_answer(&self) -> Option<String> {
        if self.message_type()? == "OFFER" {
            return Some(self.failed("Send the offer to the participant's /media once joined."));
        }
        self.answer()
    }

    /// The `ANSWER` to this message's offer, carrying `sdp`.
    pub(crate) fn answer_with(&self, sdp: &str) -> String {
        remote_sdp(json!({
            "messageType": "ANSWER",
            "version": "2",
            "seq": self.seq(),
            "sdps": [sdp],
            "headers": ["noOkInTransaction"],
        }))
    }

    /// A ROAP `ERROR` (`FAILED`) for this message, with `cause`.
    pub(crate) fn failed(&self, cause: &str) -> String {
        remote_sdp(json!({
            "messageType": "ERROR",
            "version": "2",
            "seq": self.seq(),
            "errorType": "FAILED",
            "errorCause": cause,
            "headers": ["noOkInTransaction"],
        }))
    }
}

/// `remoteSdp`: the ROAP message wrapped in a JSON string.
fn remote_sdp(message: Value) -> String {
    json!({"roapMessage": message}).to_string()
}

/// `localMedias[0].mediaId` of `body`: empty on a TURN discovery that asks
/// for a new media connection (a transport reset).
pub(crate) fn requested_media_id(body: &Map<String, Value>) -> Option<&str> {
    body.get("localMedias")?
        .as_array()?
        .first()?
        .get("mediaId")?
        .as_str()
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

    #[test]
    fn answers_an_offer_with_its_seq_and_no_ok() {
        let sdp = json!({"roapMessage": {"messageType": "OFFER", "seq": "3", "sdps": ["v=0"]}})
            .to_string();
        let parsed = local_sdp(&body(Value::String(sdp))).unwrap().unwrap();
        assert_eq!(parsed.offer_sdp(), Some("v=0"));
        assert_eq!(parsed.answer(), None);
        let answer: Value = serde_json::from_str(&parsed.answer_with("v=0 answer")).unwrap();
        assert_eq!(answer["roapMessage"]["messageType"], "ANSWER");
        assert_eq!(answer["roapMessage"]["seq"], "3");
        assert_eq!(answer["roapMessage"]["sdps"][0], "v=0 answer");
        assert_eq!(answer["roapMessage"]["headers"][0], "noOkInTransaction");
        let error: Value = serde_json::from_str(&parsed.failed("no")).unwrap();
        assert_eq!(error["roapMessage"]["errorType"], "FAILED");
        assert_eq!(error["roapMessage"]["seq"], "3");
    }
}
