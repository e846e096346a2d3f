//! Meeting-wide requests: `PATCH/PUT {locusUrl}/controls` (lock, admit,
//! recording, reactions, layout, mute on entry, hard mute, share control,
//! raise hand, video, participant list, lower all hands, mute all),
//! `POST {locusUrl}/end` and `PUT {locusUrl}/mediashares/{share}` (floor).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::fields::{self, boolean, string};
use super::{close_left_media, delta_answer, locus_id, locus_reply, participant_id};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::JsonBody;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::media::MediaServer;
use crate::world::meetings::errors::{bad_request, locus_not_found, participant_not_found};
use crate::world::meetings::locus::ShareKind;
use crate::world::meetings::moderation::{ControlsPatch, ParticipantPatch};
use crate::world::meetings::shares::FloorGrant;

/// Body keys that accompany controls without being one.
const NOT_CONTROLS: [&str; 4] = [
    "sequence",
    "requestingParticipantId",
    "authorizingLocusUrl",
    "deviceUrl",
];

/// Controls the emulator does not model; refused rather than dropped.
const KNOWN: [&str; 13] = [
    "lock",
    "record",
    "reactions",
    "muteOnEntry",
    "disallowUnmute",
    "shareControl",
    "raiseHand",
    "video",
    "viewTheParticipantList",
    "hand",
    "audio",
    "admit",
    "layout",
];

/// `PATCH/PUT {locusUrl}/controls` [Δ].
pub(crate) async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let body = fields::object(&raw)?;
    if let Some(unknown) = body
        .keys()
        .find(|key| !KNOWN.contains(&key.as_str()) && !NOT_CONTROLS.contains(&key.as_str()))
    {
        return Err(bad_request(&format!(
            "The emulator does not support the {unknown} control."
        )));
    }
    let admit = admitted(&body)?;
    let layout = string(&body, &["layout", "type"])?;
    let patch = controls_patch(&body)?;
    if admit.is_none() && layout.is_none() && patch.is_empty() {
        return Err(bad_request("No control to change."));
    }
    let mut data = lock(&state.data);
    if let Some(ids) = &admit {
        data.admit(locus, caller.person, ids)?;
    }
    if let Some(layout) = layout {
        let me = data
            .meetings
            .locus(locus)
            .ok_or_else(locus_not_found)?
            .participant_of(caller.person)
            .map(|p| p.id)
            .ok_or_else(participant_not_found)?;
        let patch = ParticipantPatch {
            layout: Some(layout.to_owned()),
            ..ParticipantPatch::default()
        };
        data.update_participant(locus, caller.person, me, &patch)?;
    }
    if !patch.is_empty() {
        data.update_controls(locus, caller.person, &patch)?;
    }
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// `admit.participantIds`.
fn admitted(body: &Map<String, Value>) -> Result<Option<Vec<Uuid>>, ApiError> {
    let Some(ids) = fields::at(body, &["admit", "participantIds"]) else {
        return Ok(None);
    };
    let ids = ids
        .as_array()
        .ok_or_else(|| bad_request("admit.participantIds must be an array."))?;
    ids.iter()
        .map(|id| {
            id.as_str()
                .ok_or_else(participant_not_found)
                .and_then(participant_id)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The meeting-wide controls a body changes.
fn controls_patch(body: &Map<String, Value>) -> Result<ControlsPatch, ApiError> {
    let record = match (
        boolean(body, &["record", "recording"])?,
        boolean(body, &["record", "paused"])?,
    ) {
        (None, None) => None,
        (recording, paused) => Some((recording.unwrap_or(true), paused.unwrap_or(false))),
    };
    let hand = boolean(body, &["hand", "raised"])?;
    if hand == Some(true) {
        return Err(bad_request("hand.raised can only lower every hand."));
    }
    Ok(ControlsPatch {
        locked: boolean(body, &["lock", "locked"])?,
        record,
        reactions: boolean(body, &["reactions", "enabled"])?,
        reaction_names: boolean(body, &["reactions", "showDisplayNameWithReactions"])?,
        mute_on_entry: boolean(body, &["muteOnEntry", "enabled"])?
            .or(boolean(body, &["audio", "muteOnEntry"])?),
        disallow_unmute: boolean(body, &["disallowUnmute", "enabled"])?
            .or(boolean(body, &["audio", "disallowUnmute"])?),
        share_control: string(body, &["shareControl", "control"])?.map(str::to_owned),
        raise_hand: boolean(body, &["raiseHand", "enabled"])?,
        video: boolean(body, &["video", "enabled"])?,
        view_participant_list: boolean(body, &["viewTheParticipantList", "enabled"])?,
        lower_all_hands: hand == Some(false),
        mute_all: boolean(body, &["audio", "muted"])?,
    })
}

/// `POST {locusUrl}/end` [Δ]: ends the meeting for everyone, closing
/// their media sessions.
pub(crate) async fn end(
    State(state): State<AppState>,
    Extension(media): Extension<Arc<dyn MediaServer>>,
    caller: Caller,
    Path(locus): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let body = fields::object(&raw)?;
    let mut data = lock(&state.data);
    data.end_meeting(locus, caller.person)?;
    close_left_media(&data, locus, media.as_ref());
    delta_answer(&state, &data, locus, caller.person, &body)
}

/// `PUT {locusUrl}/mediashares/{share}`: `floor.disposition` `GRANTED`
/// (with `beneficiary.url`) or `RELEASED`.
pub(crate) async fn floor(
    State(state): State<AppState>,
    caller: Caller,
    Path((locus, share)): Path<(String, String)>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let locus = locus_id(&locus)?;
    let kind = ShareKind::parse(&share).ok_or_else(locus_not_found)?;
    let body = fields::object(&raw)?;
    let disposition = string(&body, &["floor", "disposition"])?
        .ok_or_else(|| bad_request("floor.disposition is required."))?;
    let mut data = lock(&state.data);
    match disposition {
        "GRANTED" => {
            let beneficiary = string(&body, &["floor", "beneficiary", "url"])?
                .and_then(fields::last_segment)
                .ok_or_else(|| bad_request("floor.beneficiary.url is required."))?;
            let device_url = fields::at(&body, &["floor", "beneficiary", "devices"])
                .and_then(|devices| devices.get(0))
                .and_then(|device| device.get("url"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let share_instance = match string(&body, &["floor", "shareInstanceId"])? {
                Some(id) => id.to_owned(),
                None => Uuid::new_v4().to_string(),
            };
            let grant = FloorGrant {
                beneficiary: participant_id(beneficiary)?,
                device_url,
                share_instance,
                resource_url: string(&body, &["resourceUrl"])?.map(str::to_owned),
            };
            data.grant_floor(locus, caller.person, kind, grant)?;
        }
        "RELEASED" => {
            data.release_floor(locus, caller.person, kind)?;
        }
        other => {
            return Err(bad_request(&format!(
                "floor.disposition must be GRANTED or RELEASED, not {other}."
            )));
        }
    }
    Ok(Json(locus_reply(
        &state,
        &data,
        locus,
        caller.person,
        None,
    )?))
}
