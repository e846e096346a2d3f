//! The Hydra `rooms` routes.

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
use crate::world::rooms::{Room, RoomKind, parse_id};

/// The Hydra JSON of a room, as `viewer` sees it.
pub(crate) fn room_json(data: &Data, room: &Room, viewer: Uuid, org_id: &str) -> Value {
    let mut json = json!({
        "id": ids::uuid_id(HydraType::Room, room.uuid),
        "title": data.room_title(room, viewer),
        "type": room.kind.as_str(),
        "isLocked": data.is_locked(room.uuid),
        "lastActivity": clock::rfc3339_millis(room.last_activity.time),
        "creatorId": ids::person_id(room.creator),
        "created": clock::rfc3339_millis(room.created.time),
        "ownerId": org_id,
        "isAnnouncementOnly": room.announcement_only,
        "isReadOnly": false,
        "isPublic": false,
    });
    if let Some(object) = json.as_object_mut() {
        if let Some(team) = room.team {
            object.insert("teamId".into(), ids::uuid_id(HydraType::Team, team).into());
        }
        if let Some(description) = &room.description {
            object.insert("description".into(), description.clone().into());
        }
    }
    json
}

/// The routes; `rooms/` with a trailing slash too, as the JS SDK writes it.
pub(crate) fn routes() -> Router<AppState> {
    super::collection(
        "rooms",
        get(list).post(create),
        get(get_one).put(update).delete(remove),
    )
}

/// The body of `POST /rooms` and `PUT /rooms/{id}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoomBody {
    title: Option<String>,
    team_id: Option<String>,
    is_locked: Option<bool>,
    is_announcement_only: Option<bool>,
    description: Option<String>,
}

/// Parses a team id and checks that `caller` is in the team.
fn member_team(data: &Data, id: &str, caller: Uuid) -> Result<Uuid, ApiError> {
    let team = crate::world::teams::parse_id(id)?;
    data.member_team(team, caller)?;
    Ok(team)
}

/// `POST /v1/rooms`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: RoomBody = body::json(&raw)?;
    let title = body::required(request.title.as_deref(), "title")?;
    let mut data = lock(&state.data);
    let team = match request.team_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Some(member_team(&data, id, caller.person)?),
        None => None,
    };
    let locked = request.is_locked.unwrap_or(false);
    if request.is_announcement_only == Some(true) && !locked {
        return Err(ApiError::bad_request(
            "isAnnouncementOnly requires a locked room.",
        ));
    }
    let uuid = data.create_group_room(caller.person, title, team, locked);
    if let Some(room) = data.rooms.get_mut(uuid) {
        room.description = request.description.filter(|d| !d.is_empty());
        room.announcement_only = request.is_announcement_only.unwrap_or(false);
    }
    let room = data
        .rooms
        .get(uuid)
        .ok_or_else(|| ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    Ok(Json(room_json(
        &data,
        room,
        caller.person,
        &state.org.hydra_id,
    )))
}

/// `GET /v1/rooms`: the caller's rooms, or all rooms of a team the caller
/// is in; newest first unless `sortBy` says otherwise.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(100, 1000)?;
    let kind = match params.get("type") {
        None => None,
        Some("direct") => Some(RoomKind::Direct),
        Some("group") => Some(RoomKind::Group),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "type must be direct or group, not '{other}'."
            )));
        }
    };
    let sort = params.get("sortBy").unwrap_or("created");
    if !matches!(sort, "id" | "lastactivity" | "created") {
        return Err(ApiError::bad_request(format!(
            "sortBy must be id, lastactivity or created, not '{sort}'."
        )));
    }
    let data = lock(&state.data);
    let team = match params.get("teamId") {
        Some(id) => Some(member_team(&data, id, caller.person)?),
        None => None,
    };
    let items: Vec<_> = data
        .rooms
        .all()
        .filter(|room| match team {
            Some(team) => room.team == Some(team),
            None => data.is_member(room.uuid, caller.person),
        })
        .filter(|room| kind.is_none_or(|kind| room.kind == kind))
        .map(|room| {
            let key = match sort {
                "id" => ids::uuid_id(HydraType::Room, room.uuid),
                "lastactivity" => pagination::newest_first_key(room.last_activity.seq),
                _ => pagination::newest_first_key(room.created.seq),
            };
            (key, room)
        })
        .collect();
    let list = List {
        path: "rooms",
        params: &params,
        filters: &["teamId", "type", "sortBy"],
        max,
    };
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        |room| room_json(&data, room, caller.person, &state.org.hydra_id),
        Map::new(),
    ))
}

/// `GET /v1/rooms/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let data = lock(&state.data);
    let room = data.visible_room(uuid, caller.person)?;
    Ok(Json(room_json(
        &data,
        room,
        caller.person,
        &state.org.hydra_id,
    )))
}

/// `PUT /v1/rooms/{id}`: title, lock, announcement mode, description.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let request: RoomBody = body::json(&raw)?;
    let mut data = lock(&state.data);
    let room = data.member_room(uuid, caller.person)?.clone();
    let locked = data.is_locked(uuid);
    let title = match room.kind {
        RoomKind::Group => body::required(request.title.as_deref(), "title")?.to_owned(),
        // A direct room's title is the other member's name; not settable.
        RoomKind::Direct => room.title.clone(),
    };
    let want_locked = request.is_locked.unwrap_or(locked);
    if want_locked && room.kind == RoomKind::Direct {
        return Err(ApiError::bad_request("Direct rooms cannot be locked."));
    }
    let announcement = request
        .is_announcement_only
        .unwrap_or(room.announcement_only);
    if announcement && !want_locked {
        return Err(ApiError::bad_request(
            "isAnnouncementOnly requires a locked room.",
        ));
    }
    let description = match request.description {
        Some(description) => Some(description).filter(|d| !d.is_empty()),
        None => room.description.clone(),
    };
    let changed = title != room.title
        || want_locked != locked
        || announcement != room.announcement_only
        || description != room.description;
    if changed {
        if !data.can_moderate(&room, caller.person) {
            return Err(ApiError::forbidden(
                "Only moderators can change a locked room.",
            ));
        }
        let renamed = title != room.title
            || announcement != room.announcement_only
            || description != room.description;
        apply_lock(&mut data, uuid, locked, want_locked, caller.person);
        if let Some(stored) = data.rooms.get_mut(uuid) {
            stored.title = title;
            stored.announcement_only = announcement;
            stored.description = description;
        }
        data.emit_room(uuid, EventKind::Updated, caller.person);
        if want_locked != locked {
            let change = if want_locked {
                RoomChange::Lock
            } else {
                RoomChange::Unlock
            };
            data.emit_room_settings(uuid, change, caller.person);
        }
        if renamed {
            data.emit_room_settings(uuid, RoomChange::Update, caller.person);
        }
    }
    let room = data.visible_room(uuid, caller.person)?;
    Ok(Json(room_json(
        &data,
        room,
        caller.person,
        &state.org.hydra_id,
    )))
}

/// Locking makes the caller a moderator; unlocking removes every moderator
/// (a room is locked exactly when it has one).
fn apply_lock(data: &mut Data, room: Uuid, was: bool, want: bool, caller: Uuid) {
    if want && !was {
        data.set_moderator(room, caller, true, caller);
    } else if !want && was {
        let moderators: Vec<Uuid> = data
            .memberships
            .of_room(room)
            .filter(|m| m.moderator)
            .map(|m| m.person)
            .collect();
        for person in moderators {
            data.set_moderator(room, person, false, caller);
        }
    }
}

/// `DELETE /v1/rooms/{id}`.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = parse_id(&id)?;
    let mut data = lock(&state.data);
    let room = data.member_room(uuid, caller.person)?.clone();
    if room.is_general {
        return Err(ApiError::bad_request(
            "The General room of a team cannot be deleted.",
        ));
    }
    if !data.can_moderate(&room, caller.person) {
        return Err(ApiError::forbidden(
            "Only moderators can delete a locked room.",
        ));
    }
    data.delete_room(uuid, caller.person);
    Ok(StatusCode::NO_CONTENT)
}
