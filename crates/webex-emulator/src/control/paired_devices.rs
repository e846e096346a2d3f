//! Admin operations on simulated room devices: create one, read the PIN it
//! shows, and act on the device itself (volume, mute), which tells the
//! paired people with `lyra.space_updated` like any other change.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::Control;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::kit::ids;
use crate::kit::lock;
use crate::services::lyra;
use crate::world::paired_devices::audio::AudioChange;
use crate::world::paired_devices::{PairedDevice, PairedDeviceError};

/// `{"name", "model"?}`: a device to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NewPairedDevice {
    /// The name people search for.
    pub name: String,
    /// The product name; `Cisco Room Kit` (volume 0–100 in steps of 5)
    /// without one. A model containing `Desk Mini` has 0–70 in steps of 10.
    pub model: Option<String>,
}

impl NewPairedDevice {
    /// A device named `name` of the default model.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            model: None,
        }
    }

    /// The same, of `model`.
    #[must_use]
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }
}

/// A simulated room device, as the admin API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmulatedPairedDevice {
    /// Its id (the Lyra space id).
    pub id: String,
    /// Its Lyra space URL.
    pub url: String,
    /// Its name.
    pub name: String,
    /// Its product name.
    pub model: String,
    /// The token it plays over ultrasound
    /// (`GET {proximity}/ultrasound/advertisements?token=`).
    pub ultrasound_token: String,
    /// The volume level.
    pub volume: i64,
    /// The lowest level.
    pub volume_min: i64,
    /// The highest level.
    pub volume_max: i64,
    /// How much one increase or decrease changes the level.
    pub volume_step: i64,
    /// Whether the microphones are muted.
    pub muted: bool,
    /// The Hydra ids of the people paired with it.
    pub paired_person_ids: Vec<String>,
    /// The URLs of the conversations bound to it.
    pub bound_conversation_urls: Vec<String>,
}

/// `{"level": n}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VolumeRequest {
    level: i64,
}

/// `{"muted": bool}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MuteRequest {
    muted: bool,
}

/// The admin error of a device rule.
fn admin_error(error: &PairedDeviceError) -> ApiError {
    match error {
        PairedDeviceError::Unknown => ApiError::not_found("No such paired device."),
        other => ApiError::bad_request(other.to_string()),
    }
}

/// A device id.
fn device_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(id).map_err(|_| ApiError::not_found("No such paired device."))
}

impl Control {
    /// Creates a simulated room device.
    pub(crate) fn create_paired_device(
        &self,
        request: &NewPairedDevice,
    ) -> Result<EmulatedPairedDevice, ApiError> {
        let mut data = lock(&self.state.data);
        let uuid = data
            .create_paired_device(&request.name, request.model.as_deref())
            .map_err(|error| admin_error(&error))?;
        let device = data
            .paired_devices
            .find(uuid)
            .map_err(|error| admin_error(&error))?;
        Ok(self.describe_paired(device))
    }

    /// The device `id` as it is now.
    pub(crate) fn paired_device(&self, id: &str) -> Result<EmulatedPairedDevice, ApiError> {
        let data = lock(&self.state.data);
        let device = data
            .paired_devices
            .find(device_id(id)?)
            .map_err(|error| admin_error(&error))?;
        Ok(self.describe_paired(device))
    }

    /// The PIN device `id` shows (404 when it shows none).
    pub(crate) fn paired_device_pin(&self, id: &str) -> Result<String, ApiError> {
        lock(&self.state.data)
            .shown_pin(device_id(id)?)
            .map_err(|error| admin_error(&error))?
            .ok_or_else(|| ApiError::not_found("The device shows no PIN: none was requested."))
    }

    /// Changes device `id`'s audio on the device itself.
    pub(crate) fn change_paired_device_audio(
        &self,
        id: &str,
        change: AudioChange,
    ) -> Result<EmulatedPairedDevice, ApiError> {
        let uuid = device_id(id)?;
        let mut data = lock(&self.state.data);
        data.change_audio(uuid, None, change)
            .map_err(|error| admin_error(&error))?;
        // The Rust door skips the HTTP middleware that drains after requests.
        data.drain("");
        let device = data
            .paired_devices
            .find(uuid)
            .map_err(|error| admin_error(&error))?;
        Ok(self.describe_paired(device))
    }

    fn describe_paired(&self, device: &PairedDevice) -> EmulatedPairedDevice {
        let audio = device.audio;
        EmulatedPairedDevice {
            id: device.uuid.to_string(),
            url: format!(
                "{}/spaces/{}",
                lyra::SPEC.url(&self.state.endpoint.base_url()),
                device.uuid
            ),
            name: device.name.clone(),
            model: device.model.clone(),
            ultrasound_token: device.ultrasound_token.clone(),
            volume: audio.level,
            volume_min: audio.range.min,
            volume_max: audio.range.max,
            volume_step: audio.range.step,
            muted: audio.muted,
            paired_person_ids: device
                .paired_people()
                .into_iter()
                .map(ids::person_id)
                .collect(),
            bound_conversation_urls: device
                .bindings
                .iter()
                .map(|binding| binding.conversation_url.clone())
                .collect(),
        }
    }
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &[
    "POST /_emulator/paired-devices",
    "GET /_emulator/paired-devices/{id}",
    "GET /_emulator/paired-devices/{id}/pin",
    "POST /_emulator/paired-devices/{id}/volume",
    "POST /_emulator/paired-devices/{id}/mute",
];

/// The paired-device admin routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/paired-devices", post(create))
        .route("/_emulator/paired-devices/{id}", get(one))
        .route("/_emulator/paired-devices/{id}/pin", get(pin))
        .route("/_emulator/paired-devices/{id}/volume", post(volume))
        .route("/_emulator/paired-devices/{id}/mute", post(mute))
        .with_state(control)
}

/// `POST /_emulator/paired-devices` with `{"name", "model"?}`: 201, the device.
async fn create(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<EmulatedPairedDevice>), ApiError> {
    let request: NewPairedDevice = body::json(&raw)?;
    Ok((
        StatusCode::CREATED,
        Json(control.create_paired_device(&request)?),
    ))
}

/// `GET /_emulator/paired-devices/{id}`.
async fn one(
    State(control): State<Arc<Control>>,
    Path(id): Path<String>,
) -> Result<Json<EmulatedPairedDevice>, ApiError> {
    Ok(Json(control.paired_device(&id)?))
}

/// `GET /_emulator/paired-devices/{id}/pin`: `{"pin"}`.
async fn pin(
    State(control): State<Arc<Control>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({"pin": control.paired_device_pin(&id)?})))
}

/// `POST /_emulator/paired-devices/{id}/volume` with `{"level": n}`: the
/// device; a level outside its range is a 400.
async fn volume(
    State(control): State<Arc<Control>>,
    Path(id): Path<String>,
    raw: Bytes,
) -> Result<Json<EmulatedPairedDevice>, ApiError> {
    let request: VolumeRequest = body::json(&raw)?;
    Ok(Json(control.change_paired_device_audio(
        &id,
        AudioChange::Level(request.level),
    )?))
}

/// `POST /_emulator/paired-devices/{id}/mute` with `{"muted": bool}`: the
/// device.
async fn mute(
    State(control): State<Arc<Control>>,
    Path(id): Path<String>,
    raw: Bytes,
) -> Result<Json<EmulatedPairedDevice>, ApiError> {
    let request: MuteRequest = body::json(&raw)?;
    Ok(Json(control.change_paired_device_audio(
        &id,
        AudioChange::Mute(request.muted),
    )?))
}
