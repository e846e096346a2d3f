//! Members with their statuses (`docs/protocol/locus-sync.md`, *Members*), derived from the
//! merged participants as the JS SDK's `Member` is.

use crate::locus::Participant;

/// Where a member is, as the roster shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberStatus {
    /// Joined.
    InMeeting,
    /// Waiting in the lobby (idle with a device that waits or observes).
    InLobby,
    /// Anything else: no device, left, declined, invited, idle without waiting.
    NotInMeeting,
}

/// The roles a member holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Roles {
    /// `MODERATOR` (the host role).
    pub moderator: bool,
    /// `COHOST`.
    pub cohost: bool,
    /// `PRESENTER`.
    pub presenter: bool,
}

/// A meeting member: one participant, as the client shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Member {
    /// The participant id.
    pub id: String,
    /// The participant URL (`{locusUrl}/participant/{id}`), where requests about this member
    /// go.
    pub url: Option<String>,
    /// The display name (`person.name`).
    pub name: Option<String>,
    /// The user id (`person.id`).
    pub person_id: Option<String>,
    /// The email (`person.email`).
    pub email: Option<String>,
    /// Where the member is.
    pub status: MemberStatus,
    /// The raw participant state (`JOINED`, `LEFT`, ...).
    pub state: Option<String>,
    /// The meeting's host.
    pub is_host: bool,
    /// This client.
    pub is_self: bool,
    /// A guest.
    pub is_guest: bool,
    /// Holds the moderator flag.
    pub is_moderator: bool,
    /// A user (not a room device).
    pub is_user: bool,
    /// A room device.
    pub is_device: bool,
    /// Audio muted (server-side mute wins; otherwise what the media status says).
    pub is_audio_muted: bool,
    /// Video muted (as audio).
    pub is_video_muted: bool,
    /// Muted server-side (by the host or by itself).
    pub is_audio_muted_by_server: bool,
    /// Holds the content share floor.
    pub is_content_sharing: bool,
    /// Started the recording that is running.
    pub is_recording: bool,
    /// Hand raised.
    pub is_hand_raised: bool,
    /// The roles held.
    pub roles: Roles,
}

/// What derivation needs besides the participant.
pub(crate) struct MemberContext<'a> {
    pub(crate) self_id: Option<&'a str>,
    pub(crate) host_id: Option<&'a str>,
    pub(crate) floor_beneficiary: Option<&'a str>,
    pub(crate) recording_by: Option<&'a str>,
}

impl Member {
    pub(crate) fn derive(p: &Participant, cx: &MemberContext<'_>) -> Member {
        let person = p.person.as_ref();
        let person_id = person.and_then(|person| person.id.clone());
        let matches =
            |id: Option<&str>| id.is_some_and(|id| id == p.id || person_id.as_deref() == Some(id));
        let controls = p.controls.as_ref();
        let audio_remote = controls
            .and_then(|c| c.audio.as_ref())
            .is_some_and(|a| a.muted);
        let video_remote = controls
            .and_then(|c| c.video.as_ref())
            .is_some_and(|v| v.muted);
        let status = p.status.as_ref();
        Member {
            url: p.url.clone(),
            name: person.and_then(|person| person.name.clone()),
            email: person.and_then(|person| person.email.clone()),
            status: status_of(p),
            state: p.state.clone(),
            is_host: cx
                .host_id
                .is_some_and(|host| person_id.as_deref() == Some(host)),
            is_self: cx.self_id == Some(p.id.as_str()),
            is_guest: p.guest.unwrap_or(false),
            is_moderator: p.moderator.unwrap_or(false),
            is_user: p.r#type.as_deref() == Some("USER"),
            is_device: p.r#type.as_deref() == Some("RESOURCE_ROOM"),
            is_audio_muted: muted(audio_remote, status.and_then(|s| s.audio_status.as_deref())),
            is_video_muted: muted(video_remote, status.and_then(|s| s.video_status.as_deref())),
            is_audio_muted_by_server: audio_remote,
            is_content_sharing: matches(cx.floor_beneficiary),
            is_recording: matches(cx.recording_by),
            is_hand_raised: controls
                .and_then(|c| c.hand.as_ref())
                .is_some_and(|h| h.raised),
            roles: roles_of(p),
            person_id,
            id: p.id.clone(),
        }
    }
}

/// Server-side mute wins; else `RECVONLY` is muted and `SENDRECV` unmuted.
fn muted(remote: bool, media_status: Option<&str>) -> bool {
    remote || media_status == Some("RECVONLY")
}

fn status_of(p: &Participant) -> MemberStatus {
    if p.devices.is_empty() {
        return MemberStatus::NotInMeeting;
    }
    match p.state.as_deref() {
        Some("JOINED") => MemberStatus::InMeeting,
        Some("IDLE")
            if p.devices
                .iter()
                .any(|d| is_waiting_intent(d.intent.as_ref().map(|i| i.r#type.as_str()))) =>
        {
            MemberStatus::InLobby
        }
        _ => MemberStatus::NotInMeeting,
    }
}

fn is_waiting_intent(intent: Option<&str>) -> bool {
    matches!(intent, Some("WAIT") | Some("OBSERVE"))
}

pub(crate) fn roles_of(p: &Participant) -> Roles {
    let mut roles = Roles::default();
    let held = p
        .controls
        .as_ref()
        .and_then(|c| c.role.as_ref())
        .map(|r| r.roles.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|role| role.has_role);
    for role in held {
        match role.r#type.as_str() {
            "MODERATOR" => roles.moderator = true,
            "COHOST" => roles.cohost = true,
            "PRESENTER" => roles.presenter = true,
            _ => {}
        }
    }
    roles
}
