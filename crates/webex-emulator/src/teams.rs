//! Teams: the store, the Hydra JSON and the `teams` routes.
//!
//! Creating a team also creates its General room (titled like the team);
//! the creator becomes a team moderator and a member of that room. Team
//! members see every room of the team and may join it; team moderators
//! moderate every room of the team.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::kit::auth::Caller;
use crate::kit::body;
use crate::kit::clock::{self, Stamp};
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::pagination::{self, List};
use crate::kit::query::Params;
use crate::state::{AppState, Data, lock};
use crate::team_memberships::TeamMembership;

/// A stored team.
#[derive(Clone, Debug)]
pub(crate) struct Team {
    pub(crate) uuid: Uuid,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) creator: Uuid,
    pub(crate) created: Stamp,
}

/// All teams.
#[derive(Default)]
pub(crate) struct TeamStore {
    teams: HashMap<Uuid, Team>,
}

impl TeamStore {
    /// The team with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Team> {
        self.teams.get(&uuid)
    }
}

/// Parses a team id: 400 when it is not one.
pub(crate) fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(id, HydraType::Team)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid teamId '{id}'.")))
}

impl Data {
    /// The team, if `person` is in it: 404 for an unknown team, else 403.
    pub(crate) fn member_team(&self, uuid: Uuid, person: Uuid) -> Result<&Team, ApiError> {
        let team = self
            .teams
            .get(uuid)
            .ok_or_else(|| ApiError::not_found("Could not find a team with the provided ID."))?;
        if self.team_memberships.get(uuid, person).is_some() {
            Ok(team)
        } else {
            Err(ApiError::forbidden("You are not a member of this team."))
        }
    }

    /// The Hydra JSON of a team.
    pub(crate) fn team_json(&self, team: &Team) -> Value {
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

    /// Creates a team, its moderator membership and its General room.
    fn create_team(&mut self, creator: Uuid, name: &str, description: Option<String>) -> Uuid {
        let created = self.tick();
        let team = Team {
            uuid: Uuid::new_v4(),
            name: name.to_owned(),
            description,
            creator,
            created,
        };
        let uuid = team.uuid;
        self.teams.teams.insert(uuid, team);
        let stamp = self.tick();
        self.team_memberships.insert(TeamMembership {
            person: creator,
            team: uuid,
            moderator: true,
            created: stamp,
        });
        let general = self.create_group_room(creator, name, Some(uuid), false);
        if let Some(room) = self.rooms.get_mut(general) {
            room.is_general = true;
        }
        uuid
    }

    /// The General room of a team.
    pub(crate) fn general_room(&self, team: Uuid) -> Option<Uuid> {
        self.rooms
            .all()
            .find(|room| room.team == Some(team) && room.is_general)
            .map(|room| room.uuid)
    }
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/teams", get(list).post(create))
        .route("/v1/teams/", get(list).post(create))
        .route("/v1/teams/{id}", get(get_one).put(update).delete(remove))
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
    raw: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: TeamBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?;
    let mut data = lock(&state.data);
    let description = request.description.filter(|d| !d.is_empty());
    let uuid = data.create_team(caller.person, name, description);
    let team = data.member_team(uuid, caller.person)?;
    Ok(Json(data.team_json(team)))
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
        &state.endpoint,
        list,
        items,
        |team| data.team_json(team),
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
    Ok(Json(data.team_json(team)))
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
    raw: Bytes,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let request: TeamBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?;
    let mut data = lock(&state.data);
    require_moderator(&data, uuid, caller.person)?;
    if let Some(team) = data.teams.teams.get_mut(&uuid) {
        team.name = name.to_owned();
        if let Some(description) = request.description {
            team.description = Some(description).filter(|d| !d.is_empty());
        }
    }
    let team = data.member_team(uuid, caller.person)?;
    Ok(Json(data.team_json(team)))
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
    data.teams.teams.remove(&uuid);
    Ok(StatusCode::NO_CONTENT)
}
