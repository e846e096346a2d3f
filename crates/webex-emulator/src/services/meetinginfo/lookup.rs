//! Which meeting a meeting-info request names, and the errors for requests
//! that name none.
//!
//! Fields, first match wins: `sipUrl`, `meetingKey`, `meetingUrl`,
//! `meetingUUID`, `userId` (a user uuid or a Hydra person id, with
//! `orgId`: that person's personal room, created on first use),
//! `conversationUrl` (the space's meeting, for its members), `locusId`.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::meetings::meeting::Destination;

/// wbxappapi's code for a meeting it cannot find (invented: the real one is
/// not known).
pub(crate) const NOT_FOUND_CODE: u64 = 404_001;

/// wbxappapi's code for a request that names no meeting (invented).
pub(crate) const BAD_REQUEST_CODE: u64 = 400_001;

/// An error with wbxappapi's `code`.
pub(crate) fn coded(error: ApiError, code: u64) -> ApiError {
    let mut fields = Map::new();
    fields.insert("code".to_owned(), Value::from(code));
    error.with_fields(fields)
}

/// 404: no such meeting.
pub(crate) fn not_found() -> ApiError {
    coded(ApiError::not_found("Meeting not found."), NOT_FOUND_CODE)
}

/// 400 with wbxappapi's code.
pub(crate) fn bad_request(message: &str) -> ApiError {
    coded(ApiError::bad_request(message), BAD_REQUEST_CODE)
}

/// The number of the meeting `body` names, for `caller`.
///
/// # Errors
///
/// 404 when it names an unknown meeting (or a space the caller is not in);
/// 400 when it names none or a field has the wrong type.
pub(crate) fn meeting_number(
    data: &mut Data,
    body: &Map<String, Value>,
    caller: Uuid,
) -> Result<String, ApiError> {
    let text = |key: &str| -> Result<Option<String>, ApiError> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            Some(Value::Number(n)) if key == "meetingKey" => Ok(Some(n.to_string())),
            Some(_) => Err(bad_request(&format!("{key} must be a non-empty string."))),
        }
    };
    let destination = if let Some(sip) = text("sipUrl")? {
        Destination::Sip(sip)
    } else if let Some(key) = text("meetingKey")? {
        Destination::Number(key)
    } else if let Some(link) = text("meetingUrl")? {
        Destination::Link(link)
    } else if let Some(id) = text("meetingUUID")? {
        Destination::Id(Uuid::try_parse(&id).map_err(|_| not_found())?)
    } else if let Some(user) = text("userId")? {
        let person = ids::decode_uuid(&user, HydraType::People).ok_or_else(not_found)?;
        return data
            .personal_room(person)
            .map(|m| m.number.clone())
            .map_err(|_| not_found());
    } else if let Some(url) = text("conversationUrl")? {
        let room = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .and_then(|id| Uuid::try_parse(id).ok())
            .ok_or_else(not_found)?;
        return data
            .room_meeting(room, caller)
            .map(|m| m.number.clone())
            .map_err(|_| not_found());
    } else if let Some(locus) = text("locusId")? {
        let locus = Uuid::try_parse(&locus).map_err(|_| not_found())?;
        return data
            .meetings
            .locus(locus)
            .map(|l| l.meeting.clone())
            .ok_or_else(not_found);
    } else {
        return Err(bad_request("Not enough information to find a meeting."));
    };
    data.meetings
        .book
        .find(&destination)
        .map(str::to_owned)
        .ok_or_else(not_found)
}
