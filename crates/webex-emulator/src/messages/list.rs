//! `GET /v1/messages`: newest first, with `before`, `beforeMessage`,
//! `parentId` and `mentionedPeople`.
//!
//! The next link's cursor is `beforeMessage=<last id>`, the parameter
//! Webex itself pages with, so clients that re-add their own parameters
//! (webexpythonsdk) keep working.

use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value};

use super::parse_id;
use crate::clock;
use crate::error::ApiError;
use crate::ids::{self, HydraType};
use crate::pagination::{self, NextLink};
use crate::query::Params;
use crate::rooms::{self, RoomKind};
use crate::state::{AppState, lock};
use crate::tokens::Caller;

/// The message bots get when listing a group room without
/// `mentionedPeople=me`, as on Webex.
const BOT_NEEDS_MENTIONS: &str = "Failed to get activity.";

/// `GET /v1/messages`.
pub(super) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let room_uuid = rooms::parse_id(params.require("roomId")?)?;
    let mentioned = params.get("mentionedPeople");
    let max = params.max(50, if mentioned.is_some() { 100 } else { 1000 })?;
    if let Some(mentioned) = mentioned {
        let me = mentioned == "me"
            || ids::decode_uuid(mentioned, HydraType::People) == Some(caller.person);
        if !me {
            return Err(ApiError::bad_request(
                "mentionedPeople: only me or the person ID of the current user may be specified.",
            ));
        }
    }
    let parent = match params.get("parentId") {
        Some(id) => Some(parse_id(id, "parentId")?),
        None => None,
    };
    let before = match params.get("before") {
        Some(text) => Some(clock::parse_iso(text).ok_or_else(|| {
            ApiError::bad_request(format!("before must be an ISO 8601 time, not '{text}'."))
        })?),
        None => None,
    };
    let data = lock(&state.data);
    let before_seq = match params.get("beforeMessage") {
        Some(id) => Some(
            data.messages
                .seq_of(parse_id(id, "beforeMessage")?)
                .ok_or_else(|| ApiError::not_found("beforeMessage is not a known message."))?,
        ),
        None => None,
    };
    let room = data.member_room(room_uuid, caller.person)?;
    if room.kind == RoomKind::Group && data.is_bot(caller.person) && mentioned.is_none() {
        return Err(ApiError::forbidden(BOT_NEEDS_MENTIONS));
    }
    let mut matching = data
        .messages
        .of_room(room_uuid)
        .rev()
        .filter(|m| data.can_see_message(m, caller.person))
        .filter(|m| parent.is_none_or(|parent| m.parent == Some(parent)))
        .filter(|m| mentioned.is_none() || m.mentioned_people.contains(&caller.person))
        .filter(|m| before.is_none_or(|before| m.created.time < before))
        .filter(|m| before_seq.is_none_or(|seq| m.created.seq < seq));
    let page: Vec<&super::Message> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = match page.last() {
        Some(last) if more => Some(ids::uuid_id(HydraType::Message, last.uuid)),
        _ => None,
    };
    let items: Vec<Value> = page.iter().map(|m| data.message_json(m, true)).collect();
    let next = next.map(|cursor| NextLink {
        path: "messages",
        params: &params,
        filters: &["roomId", "parentId", "mentionedPeople", "before"],
        max,
        cursor: ("beforeMessage", cursor),
    });
    Ok(pagination::respond(&state, items, Map::new(), next))
}
