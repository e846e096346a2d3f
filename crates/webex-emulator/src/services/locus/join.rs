//! `POST loci/call` (join a meeting by address, creating its locus on the
//! first join, or call a person by email) and `POST {locusUrl}/participant` (join a live locus).
//! The answer is `{locus, mediaConnections: [{mediaId, remoteSdp?}]}` with
//! the whole locus as the joiner sees it; a TURN discovery request riding
//! in the join gets its response in `remoteSdp`.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::fields::{self, boolean, string};
use super::roap;
use super::{locus_id, locus_reply};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::JsonBody;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::meetings::errors::{bad_request, meeting_not_found};
use crate::world::meetings::join::{JoinRequest, Joined};
use crate::world::meetings::meeting::Destination;

/// `POST loci/call?alternateRedirect=true`.
pub(crate) async fn call(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let body = fields::object(&raw)?;
    let address = string(&body, &["invitee", "address"])?
        .ok_or_else(|| bad_request("invitee.address is required."))?;
    let destination = invitee(address).ok_or_else(meeting_not_found)?;
    let request = join_request(caller.person, &body)?;
    let remote_sdp = roap::local_sdp(&body)?.and_then(|sdp| sdp.join_answer());
    let mut data = lock(&state.data);
    let number = data.meetings.book.find(&destination).map(str::to_owned);
    let joined = match (number, destination) {
        (Some(number), _) => data.join_meeting(&number, &request)?,
        // An email that is no meeting's SIP URI calls that person.
        (None, Destination::Sip(address)) => data.start_call(&address, &request)?,
        (None, _) => return Err(meeting_not_found()),
    };
    reply(&state, &data, caller.person, joined, remote_sdp)
}

/// `POST {locusUrl}/participant?alternateRedirect=true`.
pub(crate) async fn participant(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let body = fields::object(&raw)?;
    let request = join_request(caller.person, &body)?;
    let remote_sdp = roap::local_sdp(&body)?.and_then(|sdp| sdp.join_answer());
    let mut data = lock(&state.data);
    let joined = data.join_locus(locus, &request)?;
    reply(&state, &data, caller.person, joined, remote_sdp)
}

/// The join answer.
fn reply(
    state: &crate::app::Shared,
    data: &crate::world::Data,
    person: Uuid,
    joined: Joined,
    remote_sdp: Option<String>,
) -> Result<Json<Value>, ApiError> {
    let mut out = locus_reply(state, data, joined.locus, person, None)?;
    let mut connection = json!({"mediaId": joined.media_id.to_string()});
    if let (Some(sdp), Value::Object(fields)) = (remote_sdp, &mut connection) {
        fields.insert("remoteSdp".into(), Value::String(sdp));
    }
    if let Value::Object(fields) = &mut out {
        fields.insert("mediaConnections".into(), json!([connection]));
    }
    Ok(Json(out))
}

/// What a join body asks for.
fn join_request(person: Uuid, body: &Map<String, Value>) -> Result<JoinRequest, ApiError> {
    let device_url = string(body, &["device", "url"])?
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| bad_request("device.url is required."))?;
    let device_type = string(body, &["device", "deviceType"])?.unwrap_or("WEB");
    let correlation_id = match string(body, &["correlationId"])? {
        Some(id) => id.to_owned(),
        None => Uuid::new_v4().to_string(),
    };
    let pin = match fields::at(body, &["pin"]) {
        None => None,
        Some(Value::String(pin)) => Some(pin.clone()),
        Some(Value::Number(pin)) => Some(pin.to_string()),
        Some(_) => return Err(bad_request("pin must be a string.")),
    };
    let supports_lobby = match fields::at(body, &["supportsNativeLobby"]) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_u64().is_some_and(|n| n > 0),
        Some(_) => return Err(bad_request("supportsNativeLobby must be 1 or 0.")),
    };
    Ok(JoinRequest {
        person,
        device_url: device_url.to_owned(),
        device_type: device_type.to_owned(),
        correlation_id,
        pin,
        moderator: boolean(body, &["moderator"])?.unwrap_or(false),
        supports_lobby,
    })
}

/// The meeting an invitee address names: a link, a SIP URI (or a
/// person's email), `wbxmn:<number>` or a bare number.
fn invitee(address: &str) -> Option<Destination> {
    let address = address.trim();
    if let Some(number) = address.strip_prefix("wbxmn:") {
        return Some(Destination::Number(number.to_owned()));
    }
    if address.contains("://") {
        return Some(Destination::Link(address.to_owned()));
    }
    if address.contains('@') {
        return Some(Destination::Sip(address.to_owned()));
    }
    let digits: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(Destination::Number(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitee_addresses() {
        assert_eq!(
            invitee("wbxmn:21234567890"),
            Some(Destination::Number("21234567890".into()))
        );
        assert_eq!(
            invitee("21234567890@emulator.local"),
            Some(Destination::Sip("21234567890@emulator.local".into()))
        );
        assert!(matches!(
            invitee("https://emulator.webex.com/meet/x"),
            Some(Destination::Link(_))
        ));
        assert_eq!(invitee("hello"), None);
        assert_eq!(invitee(""), None);
    }
}
