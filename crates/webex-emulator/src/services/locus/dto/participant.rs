//! One participant of the DTO, with its devices, status and controls.

use serde_json::{Value, json};

use super::{Dto, time};
use crate::world::meetings::lobby::KEEP_ALIVE_SECS;
use crate::world::meetings::locus::Locus;
use crate::world::meetings::participant::{Participant, ParticipantDevice, ParticipantState};

impl Dto<'_> {
    /// One participant.
    pub(super) fn participant(&self, locus: &Locus, p: &Participant, url: &str) -> Value {
        let person = self.data.people.get(p.person);
        let participant_url = format!("{url}/participant/{}", p.id);
        let sharing = locus.shares[0]
            .floor
            .as_ref()
            .is_some_and(|floor| floor.beneficiary == p.id);
        let device = p.active_device();
        let status = |muted: bool| if muted { "RECVONLY" } else { "SENDRECV" };
        let devices: Vec<Value> = p
            .devices
            .iter()
            .filter(|d| !d.left)
            .map(|d| device_json(d, p.state, &participant_url))
            .collect();
        let mut roles = Vec::new();
        for (has, name) in [
            (p.controls.roles.moderator, "MODERATOR"),
            (p.controls.roles.cohost, "COHOST"),
            (p.controls.roles.presenter, "PRESENTER"),
            (true, "ATTENDEE"),
        ] {
            if has {
                roles.push(json!({"type": name, "hasRole": true}));
            }
        }
        let mut audio = json!({
            "muted": p.controls.audio_muted,
            "disallowUnmute": locus.controls.disallow_unmute,
            "requestedToUnmute": p.controls.requested_to_unmute,
        });
        if let (Some(modified), Value::Object(fields)) = (p.controls.audio_modified, &mut audio) {
            fields.insert(
                "meta".into(),
                json!({"lastModified": time(modified.at), "modifiedBy": modified.by.to_string()}),
            );
            if p.controls.requested_to_unmute {
                fields.insert("lastModifiedRequestedToUnmute".into(), time(modified.at));
            }
        }
        let mut controls = json!({
            "audio": audio,
            "video": {"muted": p.controls.video_muted},
            "hand": {"raised": p.controls.hand_raised},
            "role": {"roles": roles},
        });
        if let (Some(layout), Value::Object(fields)) = (&p.controls.layout, &mut controls) {
            fields.insert("layouts".into(), json!([{"type": layout}]));
        }
        let mut out = json!({
            "id": p.id.to_string(),
            "url": participant_url,
            "state": p.state.as_str(),
            "type": "USER",
            "identity": p.person.to_string(),
            "person": {
                "id": p.person.to_string(),
                "name": person.map(|x| x.display_name.as_str()),
                "email": person.map(|x| x.email.as_str()),
                "orgId": self.data.org.uuid.to_string(),
                "isExternal": p.external,
            },
            "guest": false,
            "moderator": p.controls.roles.moderator,
            "isCreator": p.creator,
            "removed": p.removed,
            "hideInRoster": false,
            "devices": devices,
            "status": {
                "audioStatus": status(device.is_none_or(|d| d.audio_muted)),
                "videoStatus": status(device.is_none_or(|d| d.video_muted)),
                "videoSlidesStatus": if sharing { "SENDRECV" } else { "RECVONLY" },
                "csis": [],
            },
            "controls": controls,
        });
        if let (Some(reason), Value::Object(fields)) = (p.reason, &mut out) {
            fields.insert("reason".into(), Value::String(reason.as_str().to_owned()));
        }
        out
    }
}

/// A device's media sessions: none until media reached the media server,
/// then one per answered m-line, active unless its direction is inactive
/// (a session shown inactive while its direction is not makes the JS SDK
/// reconnect).
fn media_sessions(d: &ParticipantDevice) -> Value {
    if !d.media_flowing {
        return json!([]);
    }
    d.media_lines
        .iter()
        .map(|line| {
            let state = if line.direction == "inactive" {
                "inactive"
            } else {
                "active"
            };
            json!({
                "mediaType": line.media_type,
                "mediaContent": line.content,
                "direction": line.direction,
                "state": state,
            })
        })
        .collect()
}

/// One device of a participant.
fn device_json(d: &ParticipantDevice, state: ParticipantState, participant_url: &str) -> Value {
    let device_state = if d.waiting { "IDLE" } else { state.as_str() };
    let mut out = json!({
        "url": d.url,
        "deviceType": d.device_type,
        "state": device_state,
        "correlationId": d.correlation_id,
        "keepAliveUrl": format!("{participant_url}/keepAlive"),
        "keepAliveSecs": KEEP_ALIVE_SECS,
        "mediaSessions": media_sessions(d),
    });
    if d.waiting
        && let Value::Object(fields) = &mut out
    {
        fields.insert("intent".into(), json!({"type": "WAIT"}));
    }
    out
}
