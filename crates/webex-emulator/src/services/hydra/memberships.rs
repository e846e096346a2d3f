//! The Hydra `memberships` routes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::bus::EventKind;
use crate::bus::RoomChange;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::kit::pagination::{self, List};
use crate::kit::query::Params;
use crate::services::hydra;
use crate::world::Data;
use crate::world::memberships::{Membership, parse_id};
use crate::world::rooms::{self, RoomKind};

/// The Hydra JSON of a membership.
pub(crate) fn membership_json(data: &Data, membership: &Membership) -> Value {
    let person = data.people.get(membership.person);
    let room_type = data
        .rooms
        .get(membership.room)
        .map_or(RoomKind::Group, |room| room.kind);
    json!({
        "id": ids::pair_id(HydraType::Membership, membership.person, membership.room),
        "roomId": ids::uuid_id(HydraType::Room, membership.room),
        "personId": ids::person_id(membership.person),
        "personEmail": person.map(|p| p.email.clone()).unwrap_or_default(),
        "personDisplayName": person.map(|p| p.display_name.clone()).unwrap_or_default(),
        "personOrgId": data.org.hydra_id,
        "isModerator": membership.moderator,
        "isMonitor": false,
        "isRoomHidden": membership.hidden,
        "roomType": room_type.as_str(),
        "created": clock::rfc3339_millis(membership.created.time),
    })
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    super::collection(
        "memberships",
        get(list).post(create),
        get(get_one).put(update).delete(remove),
    )
}

/// The body of `POST /memberships`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    room_id: Option<String>,
    person_id: Option<String>,
    person_email: Option<String>,
    is_moderator: Option<bool>,
}

/// The body of `PUT /memberships/{id}` (the JS SDK sends the whole object).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    is_moderator: Option<bool>,
    is_room_hidden: Option<bool>,
}

/// Parses a membership id from the path: 400 when it is not one.
fn parse_path_id(id: &str) -> Result<(Uuid, Uuid), ApiError> {
    parse_id(id).ok_or_else(|| ApiError::bad_request(format!("Invalid membership id '{id}'.")))
}

/// The membership of `person` in `room`, for `caller`: 404 for an unknown
/// room or membership, 403 when the caller is not in the room.
fn visible(
    data: &Data,
    (person, room): (Uuid, Uuid),
    caller: Uuid,
) -> Result<&Membership, ApiError> {
    data.member_room(room, caller)?;
    data.memberships
        .get(room, person)
        .ok_or_else(|| ApiError::not_found("Could not find a membership with the provided ID."))
}

/// Emits a room update (and Mercury's `lock`/`unlock`) when a moderator
/// change flipped the room's lock.
fn emit_lock_change(data: &mut Data, room: Uuid, was_locked: bool, actor: Uuid) {
    let locked = data.is_locked(room);
    if locked != was_locked {
        data.emit_room(room, EventKind::Updated, actor);
        let change = if locked {
            RoomChange::Lock
        } else {
            RoomChange::Unlock
        };
        data.emit_room_settings(room, change, actor);
    }
}

/// `POST /v1/memberships`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: CreateBody = body::json(&raw)?;
    let room_id = body::required(request.room_id.as_deref(), "roomId")?;
    let room_uuid = rooms::parse_id(room_id)?;
    let mut data = lock(&state.data);
    let person = data.person_by_id_or_email(
        request.person_id.as_deref(),
        request.person_email.as_deref(),
    )?;
    let room = data.visible_room(room_uuid, caller.person)?.clone();
    if room.kind == RoomKind::Direct {
        return Err(ApiError::bad_request(
            "People cannot be added to a direct room.",
        ));
    }
    let moderator = request.is_moderator.unwrap_or(false);
    let joining_team_room = person == caller.person
        && !data.is_member(room_uuid, caller.person)
        && !data.is_locked(room_uuid);
    if !(data.can_moderate(&room, caller.person) || (joining_team_room && !moderator)) {
        return Err(ApiError::forbidden(
            "Only moderators can add people to a locked room.",
        ));
    }
    if data.is_member(room_uuid, person) {
        return Err(ApiError::conflict(
            "The person is already a member of the room.",
        ));
    }
    let was_locked = data.is_locked(room_uuid);
    data.add_member(room_uuid, person, moderator, caller.person);
    emit_lock_change(&mut data, room_uuid, was_locked, caller.person);
    let membership = data
        .memberships
        .get(room_uuid, person)
        .ok_or_else(|| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(Json(membership_json(&data, membership)))
}

/// `GET /v1/memberships`: the members of a room, or the caller's own
/// memberships; oldest first.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(100, 1000)?;
    let data = lock(&state.data);
    let person = match (params.get("personId"), params.get("personEmail")) {
        (None, None) => None,
        (id, email) => Some(data.person_by_id_or_email(id, email)?),
    };
    let items: Vec<_> = match params.get("roomId") {
        Some(room_id) => {
            let room = rooms::parse_id(room_id)?;
            data.member_room(room, caller.person)?;
            data.memberships
                .of_room(room)
                .filter(|m| person.is_none_or(|person| m.person == person))
                .map(|m| (pagination::oldest_first_key(m.created.seq), m))
                .collect()
        }
        None => {
            if person.is_some_and(|person| person != caller.person) {
                return Err(ApiError::bad_request(
                    "roomId is required when listing the memberships of another person.",
                ));
            }
            data.memberships
                .of_person(caller.person)
                .map(|m| (pagination::oldest_first_key(m.created.seq), m))
                .collect()
        }
    };
    let list = List {
        path: "memberships",
        params: &params,
        filters: &["roomId", "personId", "personEmail"],
        max,
    };
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        |m| membership_json(&data, m),
        Map::new(),
    ))
}

/// `GET /v1/memberships/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let key = parse_path_id(&id)?;
    let data = lock(&state.data);
    let membership = visible(&data, key, caller.person)?;
    Ok(Json(membership_json(&data, membership)))
}

/// `PUT /v1/memberships/{id}`: `isModerator` (moderator rules) and
/// `isRoomHidden` (only one's own).
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (person, room_uuid) = parse_path_id(&id)?;
    let request: UpdateBody = body::json(&raw)?;
    let mut data = lock(&state.data);
    let current = visible(&data, (person, room_uuid), caller.person)?.clone();
    let room = data.member_room(room_uuid, caller.person)?.clone();

    if let Some(hidden) = request.is_room_hidden.filter(|h| *h != current.hidden) {
        if person != caller.person {
            return Err(ApiError::forbidden(
                "Only the member themselves can hide a room.",
            ));
        }
        if let Some(membership) = data.memberships.get_mut(room_uuid, person) {
            membership.hidden = hidden;
        }
        data.emit_membership(room_uuid, person, EventKind::Updated, caller.person);
        if hidden {
            data.emit_room_hidden(room_uuid, person);
        }
    }
    if let Some(moderator) = request.is_moderator.filter(|m| *m != current.moderator) {
        if room.kind == RoomKind::Direct {
            return Err(ApiError::bad_request("Direct rooms have no moderators."));
        }
        if !data.can_moderate(&room, caller.person) {
            return Err(ApiError::forbidden(
                "Only moderators can change moderators of a locked room.",
            ));
        }
        let was_locked = data.is_locked(room_uuid);
        data.set_moderator(room_uuid, person, moderator, caller.person);
        emit_lock_change(&mut data, room_uuid, was_locked, caller.person);
    }
    let membership = visible(&data, (person, room_uuid), caller.person)?;
    Ok(Json(membership_json(&data, membership)))
}

/// `DELETE /v1/memberships/{id}`: leave, or remove someone (moderator
/// rules).
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (person, room_uuid) = parse_path_id(&id)?;
    let mut data = lock(&state.data);
    visible(&data, (person, room_uuid), caller.person)?;
    let room = data.member_room(room_uuid, caller.person)?.clone();
    if room.kind == RoomKind::Direct {
        return Err(ApiError::forbidden(
            "Members cannot be removed from a direct room.",
        ));
    }
    if person != caller.person && !data.can_moderate(&room, caller.person) {
        return Err(ApiError::forbidden(
            "Only moderators can remove people from a locked room.",
        ));
    }
    let was_locked = data.is_locked(room_uuid);
    data.emit_membership(room_uuid, person, EventKind::Deleted, caller.person);
    data.remove_member(room_uuid, person);
    emit_lock_change(&mut data, room_uuid, was_locked, caller.person);
    Ok(StatusCode::NO_CONTENT)
}
