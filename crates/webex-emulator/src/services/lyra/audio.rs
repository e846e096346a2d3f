//! A space's audio: `GET/PUT {space}/audio` and the action endpoints
//! (`.../microphones/actions/{mute|un-mute}/invoke`,
//! `.../volume/actions/{increase|decrease|set}/invoke`). Each answers the
//! audio state after the change.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

use super::{SPEC, base, own_device, space_id, view};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::paired_devices::audio::AudioChange;

/// The audio routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &SPEC.path("/spaces/{id}/audio"),
            get(get_audio).put(put_audio),
        )
        .route(
            &SPEC.path("/spaces/{id}/audio/microphones/actions/{action}/invoke"),
            post(microphones),
        )
        .route(
            &SPEC.path("/spaces/{id}/audio/volume/actions/{action}/invoke"),
            post(volume),
        )
}

/// Applies `change` for the caller and answers the new state.
fn apply(
    state: &AppState,
    caller: &Caller,
    id: &str,
    change: Option<AudioChange>,
) -> Result<Json<Value>, ApiError> {
    let uuid = space_id(id)?;
    let mut data = lock(&state.data);
    let audio = match change {
        Some(change) => data.change_audio(uuid, Some(caller.person), change),
        None => data
            .paired_devices
            .paired_with(uuid, caller.person)
            .map(|device| device.audio),
    }
    .map_err(|error| view::error(&error))?;
    let url = view::space_url(&base(state), uuid);
    Ok(Json(view::audio(&url, &audio)))
}

/// `GET {space}/audio`.
async fn get_audio(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    apply(&state, &caller, &id, None)
}

/// `{"level"}`.
#[derive(Deserialize)]
struct Level {
    level: Value,
}

/// `{"muted"}`.
#[derive(Deserialize)]
struct Microphones {
    muted: bool,
}

/// The body of `PUT {space}/audio`: the state a client reports, with the
/// device it reports from.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AudioReport {
    device_url: Option<String>,
    volume: Option<Level>,
    microphones: Option<Microphones>,
}

/// A whole-number level.
fn level(value: &Value) -> Result<i64, ApiError> {
    value
        .as_i64()
        .ok_or_else(|| ApiError::bad_request(format!("level must be a whole number, not {value}.")))
}

/// `PUT {space}/audio` with `{"deviceUrl", "volume"?: {"level"},
/// "microphones"?: {"muted"}}`.
async fn put_audio(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let report: AudioReport = body::json(&raw)?;
    let device_url = report
        .device_url
        .ok_or_else(|| ApiError::bad_request("deviceUrl is required."))?;
    own_device(&lock(&state.data), caller.person, &device_url)?;
    if let Some(volume) = &report.volume {
        let _level_set: Json<Value> = apply(
            &state,
            &caller,
            &id,
            Some(AudioChange::Level(level(&volume.level)?)),
        )?;
    }
    let change = report.microphones.map(|m| AudioChange::Mute(m.muted));
    apply(&state, &caller, &id, change)
}

/// `POST {space}/audio/microphones/actions/{mute|un-mute}/invoke`.
async fn microphones(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let muted = match action.as_str() {
        "mute" => true,
        "un-mute" => false,
        _ => return Err(ApiError::not_found(format!("Unknown action {action:?}."))),
    };
    apply(&state, &caller, &id, Some(AudioChange::Mute(muted)))
}

/// `POST {space}/audio/volume/actions/{increase|decrease|set}/invoke`;
/// `set` takes `{"level": n}`.
async fn volume(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let change = match action.as_str() {
        "increase" => AudioChange::Step(true),
        "decrease" => AudioChange::Step(false),
        "set" => AudioChange::Level(level(&body::json::<Level>(&raw)?.level)?),
        _ => return Err(ApiError::not_found(format!("Unknown action {action:?}."))),
    };
    apply(&state, &caller, &id, Some(change))
}
