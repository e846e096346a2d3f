//! Lyra's JSON: a space (a room device) as one person sees it, its audio
//! state, its bindings, and the errors of the device rules.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::kit::error::ApiError;
use crate::world::paired_devices::audio::AudioState;
use crate::world::paired_devices::pairing::Binding;
use crate::world::paired_devices::{PairedDevice, PairedDeviceError};

/// A space's `url`: `{lyra}/spaces/{uuid}`.
pub(crate) fn space_url(base: &str, uuid: Uuid) -> String {
    format!("{base}/spaces/{uuid}")
}

/// The space as `viewer` sees it: `occupants.self` says whether they are
/// paired (from any of their devices); `occupants.pinChallenge` says that
/// the device pairs by PIN, which every simulated device does (another of
/// the viewer's devices may pair too).
pub(crate) fn space(base: &str, device: &PairedDevice, viewer: Uuid) -> Value {
    let url = space_url(base, device.uuid);
    let verified = device.is_paired(viewer);
    let mut occupants = json!({"pinChallenge": true});
    if verified {
        occupants["self"] = json!({"verified": true});
    }
    json!({
        "url": url,
        "id": device.uuid.to_string(),
        "identity": {
            "id": device.uuid.to_string(),
            "displayName": device.name,
            "type": "SPACE",
        },
        "occupants": occupants,
        "devices": [{"productName": device.model}],
    })
}

/// The audio state at `{space url}/audio`.
pub(crate) fn audio(space_url: &str, audio: &AudioState) -> Value {
    json!({
        "url": format!("{space_url}/audio"),
        "volume": {
            "level": audio.level,
            "min": audio.range.min,
            "max": audio.range.max,
            "step": audio.range.step,
        },
        "microphones": {"muted": audio.muted},
    })
}

/// One binding.
pub(crate) fn binding(space_url: &str, binding: &Binding) -> Value {
    json!({
        "id": binding.id.to_string(),
        "url": format!("{space_url}/bindings/{}", binding.id),
        "conversationUrl": binding.conversation_url,
    })
}

/// The HTTP answer to a broken device rule.
pub(crate) fn error(error: &PairedDeviceError) -> ApiError {
    let status = match error {
        PairedDeviceError::Unknown => StatusCode::NOT_FOUND,
        PairedDeviceError::NotPaired | PairedDeviceError::WrongPin => StatusCode::FORBIDDEN,
        PairedDeviceError::AlreadyPaired => StatusCode::CONFLICT,
        PairedDeviceError::VolumeOutOfRange { .. } | PairedDeviceError::Invalid(_) => {
            StatusCode::BAD_REQUEST
        }
    };
    ApiError::new(status, error.to_string())
}
