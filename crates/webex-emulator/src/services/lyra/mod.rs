//! Lyra, the service of room devices as spaces (`{lyra}/spaces/...`):
//! read a space, pair with it by PIN (`occupants/@me`), bind conversations
//! to it and control its audio. Every change reaches the paired people as
//! `lyra.space_updated` ([`render`]).
//!
//! A person sees every space (they find them by search or ultrasound); the
//! audio, bindings and leaving need them paired (403 otherwise). The
//! `deviceUrl` a client pairs from must be one of its live WDM devices.

mod audio;
mod bindings;
pub(crate) mod render;
mod view;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::query::Params;
use crate::kit::service::{Listing, ServiceSpec};
use crate::world::Data;

/// The Lyra service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "lyra",
    base_path: "/lyra/api/v1",
    listing: Listing::Base,
};

/// The renderer of `lyra.space_updated`, for the emulator at `base_url`.
pub(crate) fn renderer(base_url: &str) -> render::SpaceUpdates {
    render::SpaceUpdates::new(SPEC.url(base_url))
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/spaces"), get(list))
        .route(&SPEC.path("/spaces/{id}"), get(get_one))
        .route(
            &SPEC.path("/spaces/{id}/occupants/@me"),
            put(join).delete(leave),
        )
        .merge(bindings::routes())
        .merge(audio::routes())
}

/// The Lyra base URL of this emulator.
fn base(state: &AppState) -> String {
    SPEC.url(&state.endpoint.base_url())
}

/// The device uuid of a space id; anything else is an unknown space.
fn space_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(id).map_err(|_| ApiError::not_found("Space not found."))
}

/// Checks that `device_url` is one of `person`'s WDM devices.
fn own_device(data: &Data, person: Uuid, device_url: &str) -> Result<(), ApiError> {
    let uuid = url::Url::parse(device_url)
        .ok()
        .and_then(|url| url.path_segments()?.next_back().map(str::to_owned))
        .and_then(|last| Uuid::try_parse(&last).ok());
    match uuid {
        Some(uuid) if data.devices.owned(uuid, person).is_some() => Ok(()),
        _ => Err(ApiError::bad_request(format!(
            "deviceUrl {device_url:?} is not a registered device of the user."
        ))),
    }
}

/// `GET {lyra}/spaces`: `{"items": [...]}`, the spaces the caller is paired
/// with.
async fn list(State(state): State<AppState>, caller: Caller) -> Json<Value> {
    let data = lock(&state.data);
    let base = base(&state);
    let items: Vec<Value> = data
        .paired_devices
        .all()
        .filter(|device| device.is_paired(caller.person))
        .map(|device| view::space(&base, device, caller.person))
        .collect();
    Json(json!({"items": items}))
}

/// `GET {lyra}/spaces/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = space_id(&id)?;
    let data = lock(&state.data);
    let device = data
        .paired_devices
        .find(uuid)
        .map_err(|error| view::error(&error))?;
    Ok(Json(view::space(&base(&state), device, caller.person)))
}

/// `{"type", "data"?}`.
#[derive(Deserialize)]
struct Pass {
    #[serde(rename = "type")]
    kind: String,
    data: Option<Value>,
}

/// The body of `PUT .../occupants/@me`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JoinRequest {
    pass: Pass,
    device_url: String,
    verification_initiation: Option<String>,
}

/// `PUT {lyra}/spaces/{id}/occupants/@me`: `MANUAL` with
/// `verificationInitiation: "PIN"` makes the device show a PIN;
/// `PIN_ANSWER` with the PIN as `data` pairs. 204 either way.
async fn join(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<StatusCode, ApiError> {
    let uuid = space_id(&id)?;
    let request: JoinRequest = body::json(&raw)?;
    let mut data = lock(&state.data);
    own_device(&data, caller.person, &request.device_url)?;
    let result = match (
        request.pass.kind.as_str(),
        request.verification_initiation.as_deref(),
    ) {
        ("MANUAL", Some("PIN")) => data.request_pin(uuid, caller.person, &request.device_url),
        ("PIN_ANSWER", _) => {
            let pin = match &request.pass.data {
                Some(Value::String(pin)) => pin.clone(),
                Some(Value::Number(pin)) => pin.to_string(),
                _ => return Err(ApiError::bad_request("pass.data must hold the PIN.")),
            };
            data.answer_pin(uuid, caller.person, &request.device_url, &pin)
        }
        (kind, _) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported pass type {kind:?}: this space needs PIN verification."
            )));
        }
    };
    result.map_err(|error| view::error(&error))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decodes a base64url query value (padded or not).
fn base64url(value: &str, name: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ApiError::bad_request(format!("{name} must be base64url.")))
}

/// `DELETE {lyra}/spaces/{id}/occupants/@me?deviceUrl=<base64url>`: leaves
/// from that device; without `deviceUrl`, from all the caller's devices.
async fn leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let uuid = space_id(&id)?;
    let device_url = params
        .get("deviceUrl")
        .map(|value| base64url(value, "deviceUrl"))
        .transpose()?;
    lock(&state.data)
        .leave_paired_device(uuid, caller.person, device_url.as_deref())
        .map_err(|error| view::error(&error))?;
    Ok(StatusCode::NO_CONTENT)
}
