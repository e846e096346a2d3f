//! The meeting data channel (`docs/protocol/datachannel.md`): the
//! out-of-media channel the JS SDK calls LLM. A participant registers a
//! device to a meeting's channel at the Locus DTO's `info.datachannelUrl`
//! and gets a websocket URL, framed and authorized like Mercury
//! ([`socket`]); reactions posted to `controls.reactions.reactionChannelUrl`
//! are relayed over it as `relay.event` envelopes with `relayType` `react`
//! to the other participants' registered devices ([`hub`]).
//!
//! Clients find the service through the Locus DTO, not the catalog. Only
//! the meeting's joined participants may register or react.

mod hub;
mod socket;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) use self::hub::DataChannels;
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::{Listing, ServiceSpec};
use crate::world::meetings::participant::ParticipantState;

/// The data-channel service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "datachannel",
    base_path: "/datachannel/api/v1",
    listing: Listing::Unlisted,
};

/// The routes; registrations and sockets live in `hub`.
pub(crate) fn routes(hub: Arc<DataChannels>) -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/locus/{locus}/registrations"), post(register))
        .route(&SPEC.path("/locus/{locus}/reactions"), post(react))
        .route(
            &SPEC.path("/registrations/{id}/messages"),
            get(socket::upgrade),
        )
        .layer(Extension(hub))
}

/// Checks that `person` is in the meeting of locus `locus` (joined, not in
/// the lobby and not left); the locus id as a key, and the person's
/// display name.
fn joined(state: &AppState, locus: &str, person: Uuid) -> Result<(String, String), ApiError> {
    let data = lock(&state.data);
    let (id, locus) = Uuid::try_parse(locus)
        .ok()
        .and_then(|id| Some((id, data.meetings.locus(id)?)))
        .ok_or_else(|| ApiError::not_found("No meeting has this locus id."))?;
    match locus.participant_of(person) {
        Some(participant) if participant.state == ParticipantState::Joined => {
            let name = data
                .people
                .get(person)
                .map(|person| person.display_name.clone())
                .unwrap_or_default();
            Ok((id.to_string(), name))
        }
        _ => Err(ApiError::forbidden(
            "Only the meeting's joined participants may use its data channel.",
        )),
    }
}

/// `POST locus/{locus}/registrations` body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationRequest {
    device_url: Option<String>,
}

/// `POST locus/{locus}/registrations`: `{webSocketUrl, binding}`.
async fn register(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<DataChannels>>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: RegistrationRequest = body::json(&raw)?;
    let device_url = body::required(request.device_url.as_deref(), "deviceUrl")?;
    let (locus, _) = joined(&state, &locus, caller.person)?;
    let id = hub.register(&locus, caller.person, device_url);
    let socket = SPEC.url(&state.endpoint.websocket_base_url());
    Ok(Json(json!({
        "webSocketUrl": format!("{socket}/registrations/{id}/messages"),
        "binding": format!("emulator.datachannel.{locus}"),
    })))
}

/// `POST locus/{locus}/reactions` body.
#[derive(Deserialize)]
struct ReactionRequest {
    sender: Option<Sender>,
    reaction: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sender {
    participant_id: Option<String>,
}

/// `POST locus/{locus}/reactions`: relays the reaction to the other
/// participants' data-channel sockets of the meeting.
async fn react(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<DataChannels>>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<StatusCode, ApiError> {
    let request: ReactionRequest = body::json(&raw)?;
    let participant = body::required(
        request.sender.and_then(|s| s.participant_id).as_deref(),
        "sender.participantId",
    )?
    .to_owned();
    let reaction = match request.reaction {
        Some(reaction @ Value::Object(_)) => reaction,
        _ => return Err(ApiError::bad_request("reaction is required.")),
    };
    let (locus, name) = joined(&state, &locus, caller.person)?;
    let data = json!({
        "eventType": "relay.event",
        "relayType": "react",
        "sender": {"participantId": participant, "displayName": name},
        "reaction": reaction,
    });
    hub.relay(&locus, caller.person, &data);
    Ok(StatusCode::NO_CONTENT)
}
