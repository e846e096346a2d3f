//! Reading loci: `GET {locusUrl}` (the whole locus), `GET syncUrl` (what
//! changed since a sequence; an empty body when nothing did), `GET loci`
//! (every locus the caller is in) and the lobby keep-alive.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::dto::{Dto, Viewer};
use super::{locus_id, participant_id};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::views::meeting_urls::locus_url;
use crate::world::meetings::errors::{NOT_JOINED, bad_request, forbidden, locus_not_found};
use crate::world::meetings::locus::Locus;

/// Only people who ever were in a locus may read it.
fn readable(locus: &Locus, person: uuid::Uuid) -> Result<(), ApiError> {
    if locus.participant_of(person).is_none() {
        return Err(forbidden(
            NOT_JOINED,
            "You are not a participant of this meeting.",
        ));
    }
    Ok(())
}

/// `GET {locusUrl}`: the whole locus.
pub(crate) async fn locus(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = locus_id(&locus)?;
    let data = lock(&state.data);
    let locus = data.meetings.locus(id).ok_or_else(locus_not_found)?;
    readable(locus, caller.person)?;
    let base = state.endpoint.base_url();
    let dto = Dto {
        base: &base,
        data: &data,
    };
    Ok(Json(dto.full(locus, Viewer::Person(caller.person))))
}

/// `GET {locusUrl}/sync?since=<n>`: 200 with an empty body when `since`
/// is current, a delta when it is an earlier sequence of this locus, the
/// whole locus otherwise.
pub(crate) async fn sync(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = locus_id(&locus)?;
    let since = match query.get("since") {
        None => None,
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| bad_request("since must be a sequence number."))?,
        ),
    };
    let data = lock(&state.data);
    let locus = data.meetings.locus(id).ok_or_else(locus_not_found)?;
    readable(locus, caller.person)?;
    if since == Some(locus.sequence) {
        return Ok(StatusCode::OK.into_response());
    }
    let base = state.endpoint.base_url();
    let dto = Dto {
        base: &base,
        data: &data,
    };
    Ok(Json(dto.since(locus, Viewer::Person(caller.person), since)).into_response())
}

/// `GET {locus}/loci`: `{loci, locusUrls}` of every locus the caller is in
/// or waiting for.
pub(crate) async fn list(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let data = lock(&state.data);
    let base = state.endpoint.base_url();
    let dto = Dto {
        base: &base,
        data: &data,
    };
    let loci = data.meetings.loci_of(caller.person);
    let urls: Vec<String> = loci.iter().map(|l| locus_url(&base, l.id)).collect();
    let dtos: Vec<Value> = loci
        .iter()
        .map(|l| dto.full(l, Viewer::Person(caller.person)))
        .collect();
    Json(json!({"loci": dtos, "locusUrls": urls}))
}

/// `GET .../participant/{id}/keepAlive`: 200 `{}` while the participant is
/// in the meeting or its lobby.
pub(crate) async fn keep_alive(
    State(state): State<AppState>,
    caller: Caller,
    Path((locus, participant)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (locus, participant) = (locus_id(&locus)?, participant_id(&participant)?);
    lock(&state.data).keep_alive(locus, participant, caller.person)?;
    Ok(Json(json!({})))
}
