//! The user's recent room devices, kept by WDM: `GET {wdm}/devices/auxiliary`
//! (`{"items": [...]}`), `PUT {wdm}/devices/auxiliary/Room/{id}` (add; no
//! body; answers the device) and `DELETE {wdm}/devices/auxiliary/{id}`.
//! The routes live under WDM's base path, which the server passes in. Names
//! go out encrypted with a KMS key of the caller's.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::{AppState, Shared};
use crate::kit::auth::Caller;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::world::Data;

/// The routes, under `wdm_base_path`.
pub(crate) fn routes(wdm_base_path: &str) -> Router<AppState> {
    let path = |rest: &str| format!("{wdm_base_path}/devices/auxiliary{rest}");
    Router::new()
        .route(&path(""), get(list))
        .route(&path("/Room/{id}"), put(add))
        .route(&path("/{id}"), delete(remove))
}

/// The WDM JSON of a room device for `viewer`: a `LYRA_SPACE` whose
/// `deviceInfo.id` is the space id and whose name is encrypted for the viewer
/// (`metadata.encryptedUserAssignedName` with `encryptionKeyUrl`), as WDM sends
/// user-assigned names.
fn device_json(
    shared: &Shared,
    wdm_url: &str,
    data: &mut Data,
    uuid: Uuid,
    viewer: Uuid,
) -> Result<Value, ApiError> {
    let (key_url, name) = data
        .encrypted_device_name(uuid, viewer)
        .map_err(|_| not_found())?;
    let device = data.paired_devices.find(uuid).map_err(|_| not_found())?;
    let id = device.uuid.to_string();
    Ok(json!({
        "id": id,
        "url": format!("{wdm_url}/devices/auxiliary/{id}"),
        "deviceClass": "ROOM",
        "productName": device.model,
        "deviceInfo": {
            "id": id,
            "machineType": "LYRA_SPACE",
            "url": super::space_url(shared, device.uuid),
        },
        "metadata": {"encryptedUserAssignedName": name, "encryptionKeyUrl": key_url},
    }))
}

/// The WDM base URL, from the catalog.
fn wdm_url(shared: &Shared) -> String {
    let wdm = shared
        .catalog
        .service("wdm")
        .map_or("", |spec| spec.base_path);
    format!("{}{wdm}", shared.endpoint.base_url())
}

/// The answer for an unknown device or one not in the recents.
fn not_found() -> ApiError {
    ApiError::not_found("Auxiliary device not found.")
}

/// `GET {wdm}/devices/auxiliary`.
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let mut data = lock(&state.data);
    let wdm = wdm_url(&state);
    let recents: Vec<Uuid> = data
        .paired_devices
        .recents(caller.person)
        .into_iter()
        .map(|device| device.uuid)
        .collect();
    let items = recents
        .into_iter()
        .map(|uuid| device_json(&state, &wdm, &mut data, uuid, caller.person))
        .collect::<Result<Vec<Value>, ApiError>>()?;
    Ok(Json(json!({"items": items})))
}

/// `PUT {wdm}/devices/auxiliary/Room/{id}`: adds the device to the caller's
/// recents (again is fine) and answers it.
async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = Uuid::try_parse(&id).map_err(|_| not_found())?;
    let mut data = lock(&state.data);
    data.paired_devices
        .add_recent(caller.person, uuid)
        .map_err(|_| not_found())?;
    let wdm = wdm_url(&state);
    Ok(Json(device_json(
        &state,
        &wdm,
        &mut data,
        uuid,
        caller.person,
    )?))
}

/// `DELETE {wdm}/devices/auxiliary/{id}`.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = Uuid::try_parse(&id).map_err(|_| not_found())?;
    lock(&state.data)
        .paired_devices
        .remove_recent(caller.person, uuid)
        .map_err(|_| not_found())?;
    Ok(StatusCode::NO_CONTENT)
}
