//! `GET /v1/messages` and `GET /v1/messages/direct`: newest first, with
//! `before`, `beforeMessage`, `parentId` (and `mentionedPeople` for rooms).
//!
//! The next link's cursor is `beforeMessage=<last id>`, the parameter
//! Webex itself pages with, so clients that re-add their own parameters
//! (webexpythonsdk) keep working.

use std::time::SystemTime;

use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::kit::pagination::{self, NextLink};
use crate::kit::query::Params;
use crate::services::hydra;
use crate::views::message_json;
use crate::world::Data;
use crate::world::messages::{Message, parse_id};
use crate::world::rooms::{self, RoomKind};

/// The message bots get when listing a group room without
/// `mentionedPeople=me`, as on Webex.
const BOT_NEEDS_MENTIONS: &str = "Failed to get activity.";

/// The filters both lists take: `parentId`, `before`, `beforeMessage`.
struct Filters {
    parent: Option<Uuid>,
    before: Option<SystemTime>,
    before_seq: Option<u64>,
}

impl Filters {
    /// Parses the filters; `beforeMessage` must be a known message
    /// (deleted ones count).
    fn parse(params: &Params, data: &Data) -> Result<Self, ApiError> {
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
        let before_seq = match params.get("beforeMessage") {
            Some(id) => Some(
                data.messages
                    .seq_of(parse_id(id, "beforeMessage")?)
                    .ok_or_else(|| ApiError::not_found("beforeMessage is not a known message."))?,
            ),
            None => None,
        };
        Ok(Self {
            parent,
            before,
            before_seq,
        })
    }

    fn matches(&self, message: &Message) -> bool {
        self.parent
            .is_none_or(|parent| message.parent == Some(parent))
            && self
                .before
                .is_none_or(|before| message.created.time < before)
            && self.before_seq.is_none_or(|seq| message.created.seq < seq)
    }
}

/// One page of `room`'s messages that `caller` may see and that pass
/// `keep`, newest first; and the `beforeMessage` cursor of the next page.
fn page(
    data: &Data,
    room: Uuid,
    caller: Uuid,
    max: usize,
    keep: impl Fn(&Message) -> bool,
) -> (Vec<Value>, Option<String>) {
    let mut matching = data
        .messages
        .of_room(room)
        .rev()
        .filter(|m| data.can_see_message(m, caller))
        .filter(|m| keep(m));
    let page: Vec<&Message> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = match page.last() {
        Some(last) if more => Some(ids::uuid_id(HydraType::Message, last.uuid)),
        _ => None,
    };
    let items = page.iter().map(|m| message_json(data, m, true)).collect();
    (items, next)
}

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
    let data = lock(&state.data);
    let filters = Filters::parse(&params, &data)?;
    let room = data.member_room(room_uuid, caller.person)?;
    if room.kind == RoomKind::Group && data.is_bot(caller.person) && mentioned.is_none() {
        return Err(ApiError::forbidden(BOT_NEEDS_MENTIONS));
    }
    let (items, next) = page(&data, room_uuid, caller.person, max, |m| {
        filters.matches(m) && (mentioned.is_none() || m.mentioned_people.contains(&caller.person))
    });
    let next = next.map(|cursor| NextLink {
        path: "messages",
        params: &params,
        filters: &["roomId", "parentId", "mentionedPeople", "before"],
        max,
        cursor: ("beforeMessage", cursor),
    });
    Ok(pagination::respond(
        &hydra::url(&state),
        items,
        Map::new(),
        next,
    ))
}

/// `GET /v1/messages/direct?personId=|personEmail=`: the caller's 1:1
/// messages with that person, newest first (`parentId`, `before`,
/// `beforeMessage` and `max` as for `GET /v1/messages`). Without a direct
/// room yet, the list is empty.
pub(super) async fn list_direct(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(50, 1000)?;
    let data = lock(&state.data);
    let other = data.person_by_id_or_email(params.get("personId"), params.get("personEmail"))?;
    if other == caller.person {
        return Err(ApiError::bad_request(
            "personId or personEmail must name someone other than the caller.",
        ));
    }
    let filters = Filters::parse(&params, &data)?;
    let (items, next) = match data.rooms.direct_between(caller.person, other) {
        Some(room) => page(&data, room, caller.person, max, |m| filters.matches(m)),
        None => (Vec::new(), None),
    };
    let next = next.map(|cursor| NextLink {
        path: "messages/direct",
        params: &params,
        filters: &["personId", "personEmail", "parentId", "before"],
        max,
        cursor: ("beforeMessage", cursor),
    });
    Ok(pagination::respond(
        &hydra::url(&state),
        items,
        Map::new(),
        next,
    ))
}
