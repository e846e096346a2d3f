//! The Locus DTO (`docs/protocol/locus-sync.md`): serde types of what Locus sends in HTTP
//! answers and Mercury `locus.*` events.
//!
//! Fields Locus always sends are plain, the others `Option`; unknown fields are ignored, so a
//! newer Locus does not break the client. Sequence numbers are `u64` (real ones are larger than
//! 2^53). Values the client only compares (states, types, reasons) stay strings: an unknown
//! value is still a value, and [`crate::view`] turns the ones it knows into enums.

use serde::{Deserialize, Serialize};

use super::LocusError;

/// A Locus DTO: a full one (join answer, `GET {locusUrl}`, most Mercury events) or a delta
/// (with [`base_sequence`](Self::base_sequence); only the sections that changed, and only the
/// participants that changed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Locus {
    /// The locus URL (`{locus}/loci/{locusId}`); it changes when moving to a breakout.
    pub url: String,
    /// Where this DTO sits in the locus's history.
    pub sequence: Sequence,
    /// Deltas only: the sequence this delta applies on top of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_sequence: Option<Sequence>,
    /// Where to fetch what changed since this DTO (a delta, or an empty body when nothing did).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_url: Option<String>,
    /// When the locus was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The meeting's state as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_state: Option<FullState>,
    /// Meeting identifiers and display hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// The meeting's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Host>,
    /// Meeting-wide controls (lock, recording, reactions, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<Controls>,
    /// The participants (in a delta: only those that changed).
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// This client's participant, with self-only fields.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<Participant>,
    /// The share floors (`content`, `whiteboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_shares: Option<Vec<MediaShare>>,
    /// The conversation (space) of the meeting, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_url: Option<String>,
    /// The loci this one replaces (breakouts, moves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Vec<Replaces>>,
    /// Links to related services (`links.services.record.url`, ...), kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<serde_json::Value>,
}

impl Locus {
    /// Parses a Locus DTO from JSON text; a malformed one is a [`LocusError`], never a panic.
    pub fn from_json(bytes: &[u8]) -> Result<Locus, LocusError> {
        serde_json::from_slice(bytes).map_err(LocusError::malformed)
    }

    /// Parses a Locus DTO from a JSON value already read (a Mercury event's `locus`).
    pub fn from_value(value: serde_json::Value) -> Result<Locus, LocusError> {
        serde_json::from_value(value).map_err(LocusError::malformed)
    }

    /// A delta carries `baseSequence`; a full DTO does not.
    pub fn is_delta(&self) -> bool {
        self.base_sequence.is_some()
    }
}

/// A Locus sequence: entries, and a range of older entries folded into `rangeStart..=rangeEnd`
/// (both 0 when there is no range).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Sequence {
    /// The sequence numbers, ascending.
    pub entries: Vec<u64>,
    /// First number of the folded range (0: none). Required: an object without it is not a
    /// locus sequence.
    pub range_start: u64,
    /// Last number of the folded range (0: none). Required, like `rangeStart`.
    pub range_end: u64,
    /// Locus's opaque marker of this sequence's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Locus's hash of the sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_hash: Option<u64>,
}

impl Sequence {
    /// A sequence of these entries and no range.
    pub fn of(entries: impl Into<Vec<u64>>) -> Sequence {
        Sequence {
            entries: entries.into(),
            ..Sequence::default()
        }
    }

    /// Empty: no entries and no range.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.range_start == 0 && self.range_end == 0
    }
}

/// `fullState`: the meeting as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FullState {
    /// `INITIALIZING`, `ACTIVE`, `TERMINATING`, `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `MEETING`, `CALL`, `SIP_BRIDGE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Whether anyone is in the meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// How many are in the meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Whether the meeting is locked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
    /// This client was removed from the locus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<bool>,
    /// The session (used by the record service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// When the meeting was last active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active: Option<String>,
}

/// `info`: identifiers and what the client may show or do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Info {
    /// The meeting's SIP URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_uri: Option<String>,
    /// The meeting number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_ex_meeting_id: Option<String>,
    /// The meeting id (the meeting number in the JS SDK's `meetingNumber`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    /// The owner's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Whether the meeting is a unified space meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_unified_space_meeting: Option<bool>,
    /// Where to register for the LLM data channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datachannel_url: Option<String>,
    /// Display hints per audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_hints: Option<DisplayHints>,
}

/// `info.displayHints`: what the client may show, per audience.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DisplayHints {
    /// For anyone joined.
    #[serde(default)]
    pub joined: Vec<String>,
    /// For the moderator (host).
    #[serde(default)]
    pub moderator: Vec<String>,
    /// For cohosts.
    #[serde(default)]
    pub co_host: Vec<String>,
}

/// `host`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Host {
    /// The host's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The host's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `controls`: meeting-wide controls (the ones the client derives state from are typed; each
/// absent one is `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Controls {
    /// `lock`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<LockControl>,
    /// `record`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<RecordControl>,
    /// `reactions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<ReactionsControl>,
    /// `muteOnEntry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute_on_entry: Option<Enabled>,
    /// `disallowUnmute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_unmute: Option<Enabled>,
}

/// `controls.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LockControl {
    /// Whether the meeting is locked.
    #[serde(default)]
    pub locked: bool,
}

/// `controls.record`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecordControl {
    /// Whether the meeting is being recorded.
    #[serde(default)]
    pub recording: bool,
    /// Whether the recording is paused.
    #[serde(default)]
    pub paused: bool,
    /// Who changed it last, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<ControlMeta>,
}

/// `meta` of a control: who changed it last.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ControlMeta {
    /// The participant (or user) id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// `controls.reactions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReactionsControl {
    /// Whether reactions are enabled.
    #[serde(default)]
    pub enabled: bool,
    /// Where reactions are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_channel_url: Option<String>,
    /// Whether names are shown with reactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_display_name_with_reactions: Option<bool>,
}

/// A control that is only on or off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Enabled {
    /// On or off.
    #[serde(default)]
    pub enabled: bool,
}

/// A participant (also the shape of `self`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Participant {
    /// The participant id (the key members are upserted by).
    pub id: String,
    /// `{locusUrl}/participant/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `IDLE`, `NOTIFIED`, `JOINED`, `LEFT`, `DECLINED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `USER`, `RESOURCE_ROOM`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// The person behind the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
    /// A guest (not signed in to the host's org).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<bool>,
    /// The host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<bool>,
    /// Removed from the locus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<bool>,
    /// Why the state changed (`MOVED`, `INACTIVE`, `MEDIA_RELEASED`, `FORCED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Not shown in the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_in_roster: Option<bool>,
    /// The participant's devices.
    #[serde(default)]
    pub devices: Vec<ParticipantDevice>,
    /// Media status as Locus sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ParticipantStatus>,
    /// Per-participant controls (server-side mute, hand, roles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls: Option<ParticipantControls>,
}

/// `person` of a participant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Person {
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The org id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
}

/// A device of a participant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParticipantDevice {
    /// The WDM device URL.
    #[serde(default)]
    pub url: String,
    /// `WEB`, `PROVISIONAL`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    /// The device's state in the locus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The correlation id the device joined with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// What the device intends (`WAIT` in the lobby, `OBSERVE`, `MOVE_MEDIA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    /// Where to send keep-alives while in the lobby.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_alive_url: Option<String>,
    /// How often, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_alive_secs: Option<u64>,
}

/// A device's `intent`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Intent {
    /// `WAIT`, `OBSERVE`, `MOVE_MEDIA` or empty.
    #[serde(default)]
    pub r#type: String,
}

/// A participant's `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParticipantStatus {
    /// `SENDRECV`, `RECVONLY`, `SENDONLY`, `INACTIVE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_status: Option<String>,
    /// As `audioStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_status: Option<String>,
    /// As `audioStatus`, for the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_slides_status: Option<String>,
}

/// A participant's `controls`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParticipantControls {
    /// Server-side audio mute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<MuteControl>,
    /// Server-side video mute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<MuteControl>,
    /// Raised hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hand: Option<HandControl>,
    /// Roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleControl>,
}

/// Server-side mute of one medium.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MuteControl {
    /// Muted by the server (by someone else, or by yourself server-side).
    #[serde(default)]
    pub muted: bool,
    /// Unmuting is not allowed (hard mute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_unmute: Option<bool>,
    /// The host asked this participant to unmute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_to_unmute: Option<bool>,
}

/// A raised hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HandControl {
    /// Raised or not.
    #[serde(default)]
    pub raised: bool,
}

/// `controls.role`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleControl {
    /// The roles, each held or not.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// A role (`MODERATOR`, `COHOST`, `PRESENTER`, `ATTENDEE`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Role {
    /// The role's name.
    pub r#type: String,
    /// Whether the participant holds it.
    #[serde(default)]
    pub has_role: bool,
}

/// A share floor (`mediaShares[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MediaShare {
    /// `content` or `whiteboard`.
    pub name: String,
    /// Where floor requests go.
    #[serde(default)]
    pub url: String,
    /// Who holds the floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Floor>,
}

/// A share floor's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Floor {
    /// `GRANTED`, `RELEASED`, `ACCEPTED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<String>,
    /// Who the floor is granted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Beneficiary>,
    /// The share instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_instance_id: Option<String>,
}

/// A floor's beneficiary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Beneficiary {
    /// The participant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The participant URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The sharing device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
}

/// An entry of `replaces[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Replaces {
    /// The replaced locus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locus_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOINED: &str = r#"{"url":"https://e.test/locus/api/v1/loci/L","created":"2026-11-29T18:58:00.608Z",
      "info":{"sipUri":"21234567890@emulator.local","webExMeetingId":"21234567890","meetingId":"21234567890","owner":"u1",
        "displayHints":{"joined":["LOCK_STATUS_UNLOCKED","ROSTER_IN_MEETING","RAISE_HAND","SHARE_CONTENT"],"moderator":["LOCK_CONTROL_LOCK","MUTE_ALL"]}},
      "host":{"id":"u1","name":"Emu User"},
      "fullState":{"active":true,"count":1,"locked":false,"state":"ACTIVE","type":"MEETING","lastActive":"x","sessionId":"s"},
      "controls":{"lock":{"locked":false},"record":{"recording":false,"paused":false,"meta":{"lastModified":"x","modifiedBy":"u1"}},
        "muteOnEntry":{"enabled":false},"disallowUnmute":{"enabled":false},"shareControl":{"control":"ANYONE"}},
      "participants":[{"id":"p1","url":"https://e.test/locus/api/v1/loci/L/participant/p1","state":"JOINED","type":"USER","identity":"u1",
        "person":{"id":"u1","name":"Emu User","email":"emu@example.test","orgId":"o","isExternal":false},
        "guest":false,"moderator":true,"isCreator":true,"removed":false,
        "devices":[{"url":"https://e.test/wdm/api/v1/devices/d1","deviceType":"WEB","state":"JOINED","correlationId":"c1",
          "keepAliveUrl":"https://e.test/k","keepAliveSecs":20,"mediaSessions":[]}],
        "status":{"audioStatus":"RECVONLY","videoStatus":"RECVONLY","videoSlidesStatus":"RECVONLY","csis":[]},
        "controls":{"audio":{"muted":false,"disallowUnmute":false,"requestedToUnmute":false},"video":{"muted":false},"hand":{"raised":false},
          "role":{"roles":[{"type":"MODERATOR","hasRole":true},{"type":"ATTENDEE","hasRole":true}]}}}],
      "self":{"id":"p1","state":"JOINED","devices":[]},
      "mediaShares":[{"name":"content","url":"https://e.test/ms/c","floor":{"disposition":"RELEASED"}}],
      "sequence":{"entries":[1001],"rangeStart":0,"rangeEnd":0},"syncUrl":"https://e.test/locus/api/v1/loci/L/sync",
      "somethingNew":{"nested":[1,2,3]}}"#;

    #[test]
    fn a_join_answer_as_the_browser_client_gets_it_parses() {
        let locus = Locus::from_json(JOINED.as_bytes()).unwrap();
        assert_eq!(locus.sequence, Sequence::of([1001]));
        assert!(!locus.is_delta());
        let p = &locus.participants[0];
        assert_eq!(p.person.as_ref().unwrap().name.as_deref(), Some("Emu User"));
        assert_eq!(p.devices[0].keep_alive_secs, Some(20));
        assert_eq!(
            p.controls
                .as_ref()
                .unwrap()
                .role
                .as_ref()
                .unwrap()
                .roles
                .len(),
            2
        );
        assert_eq!(locus.self_.as_ref().unwrap().id, "p1");
        let value: serde_json::Value = serde_json::from_str(JOINED).unwrap();
        assert_eq!(Locus::from_value(value).unwrap(), locus);
    }

    #[test]
    fn malformed_dtos_are_typed_errors() {
        let cases: &[(&str, &str)] = &[
            ("not json", "expected"),
            ("[]", "invalid length"),
            ("null", "invalid type"),
            (
                r#"{"sequence":{"entries":[1],"rangeStart":0,"rangeEnd":0}}"#,
                "missing field `url`",
            ),
            (r#"{"url":"u"}"#, "missing field `sequence`"),
            (
                r#"{"url":"u","sequence":{"entries":[1],"rangeEnd":0}}"#,
                "missing field `rangeStart`",
            ),
            (
                r#"{"url":"u","sequence":{"entries":[-1],"rangeStart":0,"rangeEnd":0}}"#,
                "invalid value",
            ),
            (
                r#"{"url":"u","sequence":{"entries":[1.5],"rangeStart":0,"rangeEnd":0}}"#,
                "invalid type",
            ),
            (
                r#"{"url":"u","sequence":{"entries":[],"rangeStart":0,"rangeEnd":0},"participants":[{"state":"JOINED"}]}"#,
                "missing field `id`",
            ),
            (
                r#"{"url":"u","sequence":{"entries":[],"rangeStart":0,"rangeEnd":0},"self":7}"#,
                "invalid type",
            ),
        ];
        for (json, expected) in cases {
            let LocusError::Malformed { reason } = Locus::from_json(json.as_bytes()).unwrap_err();
            assert!(reason.contains(expected), "{json}: {reason}");
        }
    }

    #[test]
    fn a_delta_carries_its_base_and_only_what_changed() {
        let json = r#"{"url":"u","baseSequence":{"entries":[5],"rangeStart":0,"rangeEnd":0},
            "sequence":{"entries":[6],"rangeStart":0,"rangeEnd":0,"since":"x","sequenceHash":42},
            "participants":[{"id":"p2","state":"LEFT"}]}"#;
        let locus = Locus::from_json(json.as_bytes()).unwrap();
        assert!(locus.is_delta());
        assert_eq!(locus.sequence.sequence_hash, Some(42));
        assert!(locus.controls.is_none() && locus.self_.is_none());
        // What is sent back in [Δ] bodies has the wire's names.
        let sent = serde_json::to_value(&locus.sequence).unwrap();
        assert_eq!(sent["rangeStart"], 0);
        assert_eq!(sent["entries"][0], 6);
    }
}
