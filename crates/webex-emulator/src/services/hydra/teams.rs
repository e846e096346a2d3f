//! The Hydra `teams` endpoints.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::AppState;
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
use crate::world::teams::{Team, parse_id};

/// The Hydra JSON of a team.
pub(crate) fn team_json(team: &Team) -> Value {
    let mut json = json!({
        "id": ids::uuid_id(HydraType::Team, team.uuid),
        "name": team.name,
        "creatorId": ids::person_id(team.creator),
        "created": clock::rfc3339_millis(team.created.time),
    });
    if let (Some(description), Some(object)) = (&team.description, json.as_object_mut()) {
        object.insert("description".into(), description.clone().into());
    }
    json
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    super::collection(
        "teams",
        get(list).post(create),
        get(get_one).put(update).delete(remove),
    )
}

/// The body of `POST /teams` and `PUT /teams/{id}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TeamBody {
    name: Option<String>,
    description: Option<String>,
}

/// `POST /v1/teams`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: TeamBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?;
    let mut data = lock(&state.data);
    let description = request.description.filter(|d| !d.is_empty());
    let uuid = data.create_team(caller.person, name, description);
    let team = data.member_team(uuid, caller.person)?;
    Ok(Json(team_json(team)))
}

/// `GET /v1/teams`: the caller's teams, newest first.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(100, 1000)?;
    let data = lock(&state.data);
    let items: Vec<_> = data
        .team_memberships
        .of_person(caller.person)
        .filter_map(|m| data.teams.get(m.team))
        .map(|team| (pagination::newest_first_key(team.created.seq), team))
        .collect();
    let list = List {
        path: "teams",
        params: &params,
        filters: &[],
        max,
    };
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        team_json,
        Map::new(),
    ))
}

/// `GET /v1/teams/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let data = lock(&state.data);
    let team = data.member_team(uuid, caller.person)?;
    Ok(Json(team_json(team)))
}

/// Checks that `caller` moderates the team.
fn require_moderator(data: &Data, team: Uuid, caller: Uuid) -> Result<(), ApiError> {
    data.member_team(team, caller)?;
    if data.is_team_moderator(team, caller) {
        Ok(())
    } else {
        Err(ApiError::forbidden("Only team moderators can do this."))
    }
}

/// `PUT /v1/teams/{id}`: name and description, by a team moderator.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let request: TeamBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?;
    let mut data = lock(&state.data);
    require_moderator(&data, uuid, caller.person)?;
    if let Some(team) = data.teams.get_mut(uuid) {
        team.name = name.to_owned();
        if let Some(description) = request.description {
            team.description = Some(description).filter(|d| !d.is_empty());
        }
    }
    let team = data.member_team(uuid, caller.person)?;
    Ok(Json(team_json(team)))
}

/// `DELETE /v1/teams/{id}`: by a team moderator; deletes the team's rooms.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = parse_id(&id)?;
    let mut data = lock(&state.data);
    require_moderator(&data, uuid, caller.person)?;
    let rooms: Vec<Uuid> = data
        .rooms
        .all()
        .filter(|room| room.team == Some(uuid))
        .map(|room| room.uuid)
        .collect();
    for room in rooms {
        data.delete_room(room, caller.person);
    }
    data.team_memberships.remove_team(uuid);
    data.teams.remove(uuid);
    Ok(StatusCode::NO_CONTENT)
}
