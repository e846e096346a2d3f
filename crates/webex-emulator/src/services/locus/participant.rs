//! One participant's requests: leave (or remove someone), `/media` (local
//! mute state and ROAP, offers answered by the media server), participant
//! controls (mute, hand, roles), and the callee's answers to a call (alert,
//! decline).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Value, json};

use super::fields::{self, boolean, string};
use super::media_fault::{self, MediaFaultKind, MediaFaults};
use super::roap;
use super::{close_left_media, delta_answer, locus_id, locus_reply, participant_id};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::JsonBody;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::media::{MediaServer, MediaSessionKey};
use crate::world::meetings::call::CalleeDevice;
use crate::world::meetings::errors::{self, bad_request, participant_not_found};
use crate::world::meetings::media::LocalMedia;
use crate::world::meetings::moderation::ParticipantPatch;

/// `PUT .../participant/{id}/leave` [Δ]: the caller leaves with
/// `device.url` (every device without one), or a host removes someone.
/// The media sessions of the devices that left (everyone's, when the last
/// one leaving ends the meeting) are closed.
pub(crate) async fn leave(
    State(state): State<AppState>,
    Extension(media): Extension<Arc<dyn MediaServer>>,
    caller: Caller,
    Path((locus, participant)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (locus, participant) = (locus_id(&locus)?, participant_id(&participant)?);
    let body = fields::object(&raw)?;
    let device = string(&body, &["device", "url"])?;
    let mut data = lock(&state.data);
    data.leave(locus, caller.person, participant, device)?;
    close_left_media(&data, locus, media.as_ref());
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// `PUT .../participant/{id}/media`: the device's mute state and ROAP.
/// An offer is answered by the media server; a TURN discovery with an
/// empty `mediaId` (a transport reset) closes the device's media session.
/// The answer always has a `locus` (a delta against the body's `sequence`
/// when it has one) and `mediaConnections` with the device's `mediaId`.
/// An armed media fault (`media_fault.rs`) spoils the answer to an offer.
pub(crate) async fn media(
    State(state): State<AppState>,
    Extension(media): Extension<Arc<dyn MediaServer>>,
    Extension(faults): Extension<Arc<MediaFaults>>,
    caller: Caller,
    Path((locus, participant)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (locus, participant) = (locus_id(&locus)?, participant_id(&participant)?);
    let body = fields::object(&raw)?;
    let device_url = string(&body, &["device", "url"])?
        .ok_or_else(|| bad_request("device.url is required."))?
        .to_owned();
    let sdp = roap::local_sdp(&body)?
        .ok_or_else(|| bad_request("localMedias[0].localSdp is required."))?;
    let (media_id, audio, video) = {
        let data = lock(&state.data);
        let found = data
            .meetings
            .locus(locus)
            .and_then(|l| l.participant(participant))
            .ok_or_else(participant_not_found)?;
        let device = found
            .devices
            .iter()
            .find(|d| d.url == device_url && !d.left)
            .map(|d| (d.media_id, d.audio_muted, d.video_muted))
            .ok_or_else(participant_not_found)?;
        if found.person != caller.person {
            return Err(not_yourself());
        }
        device
    };
    let key = MediaSessionKey {
        locus,
        participant,
        device_url: device_url.clone(),
        media_id,
    };
    // The media server is asked without the data lock: opening a session
    // binds a socket, and its task takes the data lock to report flow.
    let mut answered = None;
    let mut reset = false;
    let fault = match sdp.offer_sdp() {
        Some(_) => faults.take(caller.person),
        None => None,
    };
    let remote_sdp = match (sdp.message_type(), sdp.offer_sdp()) {
        (Some("OFFER"), None) => Some(sdp.failed("The offer has no SDP.")),
        (Some("OFFER"), Some(_)) if fault == Some(MediaFaultKind::RoapError) => {
            Some(sdp.failed("Injected by the emulator."))
        }
        (Some("OFFER"), Some(offer)) => Some(match media.answer(&key, offer) {
            Ok(answer) => {
                let text = match fault {
                    Some(MediaFaultKind::DropMLine) => media_fault::drop_last_m_line(&answer.sdp),
                    Some(MediaFaultKind::Unreachable) => {
                        media_fault::move_candidates(&answer.sdp, media_fault::unused_udp_port()?)
                    }
                    _ => answer.sdp,
                };
                let remote = sdp.answer_with(&text);
                answered = Some(answer.lines);
                remote
            }
            Err(error) => sdp.failed(&error.to_string()),
        }),
        (Some("TURN_DISCOVERY_REQUEST"), _) => {
            if roap::requested_media_id(&body) == Some("") {
                media.close(media_id);
                reset = true;
            }
            sdp.answer()
        }
        _ => None,
    };
    let mut data = lock(&state.data);
    let local = LocalMedia {
        device_url,
        audio_muted: sdp.audio_muted.unwrap_or(audio),
        video_muted: sdp.video_muted.unwrap_or(video),
    };
    data.update_local_media(locus, caller.person, participant, &local)?;
    if let Some(lines) = answered {
        data.record_media_answer(&key, lines)?;
    }
    if reset {
        data.reset_media(&key)?;
    }
    let mut out = locus_reply(&state, &data, locus, caller.person, fields::since(&body))?;
    let mut connection = json!({"mediaId": media_id.to_string()});
    if let (Some(answer), Value::Object(fields)) = (remote_sdp, &mut connection) {
        fields.insert("remoteSdp".into(), Value::String(answer));
    }
    if let Value::Object(fields) = &mut out {
        fields.insert("mediaConnections".into(), json!([connection]));
    }
    Ok(Json(out))
}

/// `PATCH .../participant/{id}/controls` [Δ]: `audio.muted`,
/// `video.muted`, `hand.raised`, `role.roles` or `role.moderator`.
pub(crate) async fn controls(
    State(state): State<AppState>,
    caller: Caller,
    Path((locus, participant)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (locus, participant) = (locus_id(&locus)?, participant_id(&participant)?);
    let body = fields::object(&raw)?;
    let mut patch = ParticipantPatch {
        audio_muted: boolean(&body, &["audio", "muted"])?,
        video_muted: boolean(&body, &["video", "muted"])?,
        hand_raised: boolean(&body, &["hand", "raised"])?,
        ..ParticipantPatch::default()
    };
    if boolean(&body, &["role", "moderator"])? == Some(true) {
        patch.roles.push(("MODERATOR".to_owned(), true));
    }
    if let Some(roles) = fields::at(&body, &["role", "roles"]) {
        let roles = roles
            .as_array()
            .ok_or_else(|| bad_request("role.roles must be an array."))?;
        for role in roles {
            let kind = role.get("type").and_then(Value::as_str);
            let has = role.get("hasRole").and_then(Value::as_bool);
            let (Some(kind), Some(has)) = (kind, has) else {
                return Err(bad_request("Each role needs a type and hasRole."));
            };
            patch.roles.push((kind.to_owned(), has));
        }
    }
    let mut data = lock(&state.data);
    data.update_participant(locus, caller.person, participant, &patch)?;
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// `PUT {locusUrl}/participant/alert` [Δ]: the callee's device is ringing.
pub(crate) async fn alert(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let body = fields::object(&raw)?;
    let device = callee_device(&body)?;
    let mut data = lock(&state.data);
    data.alert(locus, caller.person, &device)?;
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// `PUT {locusUrl}/participant/decline` [Δ]: the callee declines (the
/// optional `reason` is accepted and not kept).
pub(crate) async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let body = fields::object(&raw)?;
    callee_device(&body)?;
    string(&body, &["reason"])?;
    let mut data = lock(&state.data);
    data.decline(locus, caller.person)?;
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// The `device` (and `correlationId`) of an alert or decline body.
fn callee_device(body: &serde_json::Map<String, Value>) -> Result<CalleeDevice, ApiError> {
    let url = string(body, &["device", "url"])?
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| bad_request("device.url is required."))?;
    Ok(CalleeDevice {
        url: url.to_owned(),
        device_type: string(body, &["device", "deviceType"])?
            .unwrap_or("WEB")
            .to_owned(),
        correlation_id: string(body, &["correlationId"])?.map(str::to_owned),
    })
}

/// The 403 for someone else's participant.
fn not_yourself() -> ApiError {
    errors::forbidden(errors::NOT_YOURSELF, "This is not your participant.")
}
