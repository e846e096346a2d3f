//! The Locus DTO: a locus as one participant sees it (with their own
//! `self`), as a neutral observer sees it (without `self`), whole or as a
//! delta against an earlier sequence number.
//!
//! A delta carries `url`, `sequence`, `baseSequence`, `syncUrl` and
//! `participants` (possibly empty), plus every top-level section,
//! participant and `self` that changed after the base sequence. Sequences
//! are single entries with a zero range.

mod hints;
mod participant;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::kit::clock;
use crate::views::meeting_urls::{datachannel_url, locus_url, reaction_channel_url};
use crate::world::Data;
use crate::world::meetings::locus::{Locus, LocusKind, LocusState, MediaShare};
use crate::world::meetings::meeting::{Meeting, SIP_DOMAIN};

/// Who looks at a locus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Viewer {
    /// A person, who gets their participant as `self`.
    Person(Uuid),
    /// The admin API: no `self`.
    Observer,
}

/// `{"entries": [n], "rangeStart": 0, "rangeEnd": 0}`.
pub(crate) fn sequence_json(n: u64) -> Value {
    json!({"entries": [n], "rangeStart": 0, "rangeEnd": 0})
}

/// Renders loci for one emulator.
pub(crate) struct Dto<'a> {
    /// The emulator's base URL.
    pub(crate) base: &'a str,
    /// The world.
    pub(crate) data: &'a Data,
}

impl Dto<'_> {
    /// The whole locus as `viewer` sees it.
    pub(crate) fn full(&self, locus: &Locus, viewer: Viewer) -> Value {
        self.render(locus, viewer, None)
    }

    /// What changed after `since` (a sequence the locus had), as `viewer`
    /// sees it; the whole locus when `since` is not one of its sequences.
    pub(crate) fn since(&self, locus: &Locus, viewer: Viewer, since: Option<u64>) -> Value {
        let since = since.filter(|n| (locus.first_sequence..=locus.sequence).contains(n));
        self.render(locus, viewer, since)
    }

    /// `since` is `None` for the whole locus.
    fn render(&self, locus: &Locus, viewer: Viewer, since: Option<u64>) -> Value {
        let changed = |stamp: u64| since.is_none_or(|base| stamp > base);
        let url = locus_url(self.base, locus.id);
        let meeting = self.data.meetings.book.get(&locus.meeting);
        let mut out = Map::new();
        out.insert("url".into(), Value::String(url.clone()));
        if since.is_none() {
            out.insert("created".into(), time(locus.created));
            if let Some(meeting) = meeting {
                out.insert("meeting".into(), json!({"startTime": time(locus.created)}));
                if let Some(room) = meeting.room {
                    out.insert(
                        "conversationUrl".into(),
                        Value::String(format!(
                            "{}/conversation/api/v1/conversations/{room}",
                            self.base
                        )),
                    );
                }
            }
        }
        if changed(locus.stamps.info) {
            out.insert("info".into(), self.info(locus, meeting));
        }
        if changed(locus.stamps.host) {
            out.insert("host".into(), self.host(locus));
        }
        if changed(locus.stamps.full_state) {
            out.insert("fullState".into(), full_state(locus));
        }
        if changed(locus.stamps.controls) {
            out.insert("controls".into(), self.controls(locus));
        }
        if changed(locus.stamps.media_shares) {
            out.insert("mediaShares".into(), self.media_shares(locus, &url));
        }
        let participants: Vec<Value> = locus
            .participants
            .iter()
            .filter(|p| changed(p.changed_at))
            .map(|p| self.participant(locus, p, &url))
            .collect();
        // Always present, empty in a delta that changed nobody: clients
        // upsert participants, and some read the field as always there.
        out.insert("participants".into(), Value::Array(participants));
        if let Viewer::Person(person) = viewer
            && let Some(me) = locus.participant_of(person)
            && changed(me.changed_at)
        {
            let mut me_json = self.participant(locus, me, &url);
            if let Value::Object(fields) = &mut me_json {
                fields.insert("enableDTMF".into(), Value::Bool(false));
            }
            out.insert("self".into(), me_json);
        }
        out.insert("sequence".into(), sequence_json(locus.sequence));
        if let Some(base) = since {
            out.insert("baseSequence".into(), sequence_json(base));
        }
        out.insert(
            "syncUrl".into(),
            Value::String(format!("{url}/sync?since={}", locus.sequence)),
        );
        Value::Object(out)
    }

    /// `info`: a call's SIP URI is the address dialled; only a meeting has
    /// a number and a name.
    fn info(&self, locus: &Locus, meeting: Option<&Meeting>) -> Value {
        let mut out = json!({
            "owner": meeting.map_or(locus.host, |m| m.host).to_string(),
            "isPmr": meeting.is_some_and(|m| m.personal_room),
            "isUnifiedSpaceMeeting": false,
            "datachannelUrl": datachannel_url(self.base, locus.id),
            "displayHints": hints::display_hints(locus),
        });
        let Value::Object(fields) = &mut out else {
            return out;
        };
        match &locus.kind {
            LocusKind::Call { address } => {
                fields.insert("sipUri".into(), Value::String(address.clone()));
            }
            LocusKind::Meeting => {
                let sip = meeting.map_or_else(
                    || format!("{}@{SIP_DOMAIN}", locus.meeting),
                    Meeting::sip_uri,
                );
                fields.insert("sipUri".into(), Value::String(sip));
                fields.insert(
                    "webExMeetingId".into(),
                    Value::String(locus.meeting.clone()),
                );
                fields.insert("meetingId".into(), Value::String(locus.meeting.clone()));
                fields.insert(
                    "webExMeetingName".into(),
                    meeting.map_or(Value::Null, |m| Value::String(m.title.clone())),
                );
            }
        }
        out
    }

    /// `host`.
    fn host(&self, locus: &Locus) -> Value {
        let name = self
            .data
            .people
            .get(locus.host)
            .map(|p| p.display_name.clone())
            .unwrap_or_default();
        json!({"id": locus.host.to_string(), "name": name})
    }

    /// `controls`.
    fn controls(&self, locus: &Locus) -> Value {
        let c = &locus.controls;
        json!({
            "lock": {"locked": c.locked},
            "record": {
                "recording": c.recording,
                "paused": c.paused,
                "meta": {
                    "lastModified": time(c.record_modified.at),
                    "modifiedBy": c.record_modified.by.to_string(),
                },
            },
            "muteOnEntry": {"enabled": c.mute_on_entry},
            "disallowUnmute": {"enabled": c.disallow_unmute},
            "shareControl": {"control": c.share_control},
            "reactions": {
                "enabled": c.reactions,
                "showDisplayNameWithReactions": c.reaction_names,
                "reactionChannelUrl": reaction_channel_url(self.base, locus.id),
            },
            "raiseHand": {"enabled": c.raise_hand},
            "video": {"enabled": c.video},
            "viewTheParticipantList": {"enabled": c.view_participant_list},
        })
    }

    /// `mediaShares`.
    fn media_shares(&self, locus: &Locus, url: &str) -> Value {
        Value::Array(
            locus
                .shares
                .iter()
                .map(|share| media_share(share, url))
                .collect(),
        )
    }
}

/// `fullState`.
fn full_state(locus: &Locus) -> Value {
    json!({
        "active": locus.state == LocusState::Active,
        "count": locus.joined_count(),
        "locked": locus.controls.locked,
        "state": locus.state.as_str(),
        "type": locus.kind.as_str(),
        "lastActive": time(locus.last_active),
        "sessionId": locus.session.to_string(),
    })
}

/// One media share with its floor.
fn media_share(share: &MediaShare, url: &str) -> Value {
    let name = share.kind.as_str();
    let floor = match &share.floor {
        Some(floor) => json!({
            "disposition": "GRANTED",
            "beneficiary": {
                "id": floor.beneficiary.to_string(),
                "url": format!("{url}/participant/{}", floor.beneficiary),
                "deviceUrl": floor.device_url,
            },
            "requester": {
                "id": floor.requester.to_string(),
                "url": format!("{url}/participant/{}", floor.requester),
            },
            "shareInstanceId": floor.share_instance,
            "granted": time(floor.granted),
        }),
        None => match &share.released {
            Some((instance, at)) => json!({
                "disposition": "RELEASED",
                "shareInstanceId": instance,
                "released": time(*at),
            }),
            None => json!({"disposition": "RELEASED"}),
        },
    };
    let mut out = json!({
        "name": name,
        "url": format!("{url}/mediashares/{name}"),
        "floor": floor,
    });
    if let (Some(resource), Value::Object(fields)) = (
        share.floor.as_ref().and_then(|f| f.resource_url.as_ref()),
        &mut out,
    ) {
        fields.insert("resourceUrl".into(), Value::String(resource.clone()));
    }
    out
}

/// A time as Locus writes it.
pub(super) fn time(at: std::time::SystemTime) -> Value {
    Value::String(clock::rfc3339_millis(at))
}
