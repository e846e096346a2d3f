//! Admin operations on WDM devices: list a person's devices, set the
//! per-user device limit, and make devices expire now, so tests can count
//! devices and reach the limit and the TTL without waiting.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::time::Instant;
use uuid::Uuid;

use super::Control;
use crate::kit::body;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::services::wdm;
use crate::world::devices::Device;

/// A registered device, as the admin API lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmulatedDevice {
    /// The device's uuid (the last segment of its `url`).
    pub id: String,
    /// Its WDM `url`.
    pub url: String,
    /// The owner's Hydra person id.
    pub person_id: String,
    /// The `name` it registered with.
    pub name: Option<String>,
    /// The `deviceType` it registered with.
    pub device_type: Option<String>,
    /// The `model` it registered with.
    pub model: Option<String>,
    /// Its `ttl` in seconds; `None` for a device that never expires.
    pub ttl: Option<u64>,
    /// When it was registered (RFC 3339).
    pub creation_time: String,
    /// When it was last registered or refreshed (RFC 3339).
    pub modification_time: String,
}

/// `{"limit": n}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitRequest {
    limit: usize,
}

/// `{"personId": ...}`, every person's devices without it.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PersonFilter {
    person_id: Option<String>,
}

impl Control {
    /// The live devices of `person_id` (a Hydra person id or uuid), oldest
    /// first.
    pub(crate) fn devices(&self, person_id: &str) -> Result<Vec<EmulatedDevice>, ApiError> {
        let owner = person_uuid(person_id)?;
        let data = lock(&self.state.data);
        Ok(data
            .devices
            .of_owner(owner)
            .into_iter()
            .map(|device| self.describe(device))
            .collect())
    }

    /// Sets how many live devices one person may hold; registrations past
    /// it get WDM's "excessive device registrations" error.
    pub(crate) fn set_device_limit(&self, limit: usize) -> Result<(), ApiError> {
        if limit == 0 {
            return Err(ApiError::bad_request("limit must be at least 1."));
        }
        lock(&self.state.data).devices.limit = limit;
        Ok(())
    }

    /// Makes the live devices of `person_id` (of everyone with `None`)
    /// expire now, as if their `ttl` ran out: refreshes get 404 and their
    /// websockets close. Returns how many.
    pub(crate) fn expire_devices(&self, person_id: Option<&str>) -> Result<usize, ApiError> {
        let owner = person_id.map(person_uuid).transpose()?;
        Ok(lock(&self.state.data)
            .devices
            .expire_now(owner, Instant::now()))
    }

    fn describe(&self, device: &Device) -> EmulatedDevice {
        let text = |name: &str| {
            device
                .fields
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        EmulatedDevice {
            id: device.uuid.to_string(),
            url: wdm::url(&self.state, device.uuid),
            person_id: ids::person_id(device.owner),
            name: text("name"),
            device_type: text("deviceType"),
            model: text("model"),
            ttl: device.ttl,
            creation_time: clock::rfc3339_millis(device.created.time),
            modification_time: clock::rfc3339_millis(device.modified.time),
        }
    }
}

/// The uuid of a Hydra person id (or of a bare uuid).
fn person_uuid(person_id: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(person_id, HydraType::People)
        .ok_or_else(|| ApiError::bad_request(format!("{person_id:?} is not a person id.")))
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &[
    "GET /_emulator/devices",
    "POST /_emulator/devices/limit",
    "POST /_emulator/devices/expire",
];

/// The device admin routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/devices", get(list))
        .route("/_emulator/devices/limit", post(set_limit))
        .route("/_emulator/devices/expire", post(expire))
        .with_state(control)
}

/// `GET /_emulator/devices?personId=...`: `{"items": [...]}`, oldest first.
async fn list(
    State(control): State<Arc<Control>>,
    Query(filter): Query<PersonFilter>,
) -> Result<Json<Value>, ApiError> {
    let person_id = filter
        .person_id
        .ok_or_else(|| ApiError::bad_request("personId is required."))?;
    Ok(Json(json!({"items": control.devices(&person_id)?})))
}

/// `POST /_emulator/devices/limit` with `{"limit": n}`.
async fn set_limit(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<StatusCode, ApiError> {
    let request: LimitRequest = body::json(&raw)?;
    control.set_device_limit(request.limit)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /_emulator/devices/expire` with `{"personId": ...}` or `{}`:
/// `{"devices": n}`.
async fn expire(State(control): State<Arc<Control>>, raw: Bytes) -> Result<Json<Value>, ApiError> {
    let filter: PersonFilter = if raw.is_empty() {
        PersonFilter::default()
    } else {
        body::json(&raw)?
    };
    let count = control.expire_devices(filter.person_id.as_deref())?;
    Ok(Json(json!({"devices": count})))
}
