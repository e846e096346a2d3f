//! The Hydra `team/memberships` endpoints.

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
use crate::world::team_memberships::TeamMembership;
use crate::world::teams::parse_id as parse_team_id;

/// The Hydra JSON of a team membership.
fn team_membership_json(data: &Data, membership: &TeamMembership) -> Value {
    let person = data.people.get(membership.person);
    json!({
        "id": ids::pair_id(HydraType::TeamMembership, membership.person, membership.team),
        "teamId": ids::uuid_id(HydraType::Team, membership.team),
        "personId": ids::person_id(membership.person),
        "personEmail": person.map(|p| p.email.clone()).unwrap_or_default(),
        "personDisplayName": person.map(|p| p.display_name.clone()).unwrap_or_default(),
        "personOrgId": data.org.hydra_id,
        "isModerator": membership.moderator,
        "created": clock::rfc3339_millis(membership.created.time),
    })
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    super::collection(
        "team/memberships",
        get(list).post(create),
        get(get_one).put(update).delete(remove),
    )
}

/// Parses a team membership id: 400 when it is not one.
fn parse_id(id: &str) -> Result<(Uuid, Uuid), ApiError> {
    ids::decode_uuid_pair(id, HydraType::TeamMembership)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid team membership id '{id}'.")))
}

/// The membership of `person` in `team`, for a caller in the team.
fn visible(
    data: &Data,
    (person, team): (Uuid, Uuid),
    caller: Uuid,
) -> Result<TeamMembership, ApiError> {
    data.member_team(team, caller)?;
    data.team_memberships
        .get(team, person)
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found("Could not find a team membership with the provided ID.")
        })
}

/// The body of `POST /team/memberships`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    team_id: Option<String>,
    person_id: Option<String>,
    person_email: Option<String>,
    is_moderator: Option<bool>,
}

/// `POST /v1/team/memberships`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: CreateBody = body::json(&raw)?;
    let team = parse_team_id(body::required(request.team_id.as_deref(), "teamId")?)?;
    let mut data = lock(&state.data);
    let person = data.person_by_id_or_email(
        request.person_id.as_deref(),
        request.person_email.as_deref(),
    )?;
    data.member_team(team, caller.person)?;
    let moderator = request.is_moderator.unwrap_or(false);
    if moderator && !data.is_team_moderator(team, caller.person) {
        return Err(ApiError::forbidden(
            "Only team moderators can add moderators.",
        ));
    }
    if data.team_memberships.get(team, person).is_some() {
        return Err(ApiError::conflict(
            "The person is already a member of the team.",
        ));
    }
    let created = data.tick();
    data.team_memberships.insert(TeamMembership {
        person,
        team,
        moderator,
        created,
    });
    if let Some(general) = data.general_room(team)
        && !data.is_member(general, person)
    {
        data.add_member(general, person, false, caller.person);
    }
    let membership = visible(&data, (person, team), caller.person)?;
    Ok(Json(team_membership_json(&data, &membership)))
}

/// `GET /v1/team/memberships?teamId=...`: oldest first.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let team = parse_team_id(params.require("teamId")?)?;
    let max = params.max(100, 1000)?;
    let data = lock(&state.data);
    data.member_team(team, caller.person)?;
    let items: Vec<_> = data
        .team_memberships
        .of_team(team)
        .map(|m| (pagination::oldest_first_key(m.created.seq), m))
        .collect();
    let list = List {
        path: "team/memberships",
        params: &params,
        filters: &["teamId"],
        max,
    };
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        |m| team_membership_json(&data, m),
        Map::new(),
    ))
}

/// `GET /v1/team/memberships/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let key = parse_id(&id)?;
    let data = lock(&state.data);
    let membership = visible(&data, key, caller.person)?;
    Ok(Json(team_membership_json(&data, &membership)))
}

/// The body of `PUT /team/memberships/{id}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    is_moderator: Option<bool>,
}

/// `PUT /v1/team/memberships/{id}`: `isModerator`, by a team moderator.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (person, team) = parse_id(&id)?;
    let request: UpdateBody = body::json(&raw)?;
    let mut data = lock(&state.data);
    let current = visible(&data, (person, team), caller.person)?;
    if let Some(moderator) = request.is_moderator.filter(|m| *m != current.moderator) {
        if !data.is_team_moderator(team, caller.person) {
            return Err(ApiError::forbidden(
                "Only team moderators can change moderators.",
            ));
        }
        if let Some(membership) = data.team_memberships.get_mut(team, person) {
            membership.moderator = moderator;
        }
    }
    let membership = visible(&data, (person, team), caller.person)?;
    Ok(Json(team_membership_json(&data, &membership)))
}

/// `DELETE /v1/team/memberships/{id}`: leave, or (moderators) remove.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (person, team) = parse_id(&id)?;
    let mut data = lock(&state.data);
    visible(&data, (person, team), caller.person)?;
    if person != caller.person && !data.is_team_moderator(team, caller.person) {
        return Err(ApiError::forbidden(
            "Only team moderators can remove people from a team.",
        ));
    }
    data.team_memberships.remove(team, person);
    let rooms: Vec<Uuid> = data
        .rooms
        .all()
        .filter(|room| room.team == Some(team) && data.is_member(room.uuid, person))
        .map(|room| room.uuid)
        .collect();
    for room in rooms {
        data.emit_membership(room, person, EventKind::Deleted, caller.person);
        data.remove_member(room, person);
    }
    Ok(StatusCode::NO_CONTENT)
}
