//! What the client derives from the merged locus (`docs/protocol/locus-sync.md`, *Derived
//! state*), as plain data: the meeting's and this client's state, the members, the controls,
//! the share floor and the in-meeting actions. A [`MeetingView`] is computed after every
//! accepted update; events are the difference of two of them ([`crate::events`]).

mod actions;
mod ended;
mod fsm;
mod member;
mod state;

use std::sync::Arc;

use crate::locus::{LocusState, Participant, ParticipantDevice, Sequence};

pub use actions::InMeetingActions;
pub use ended::EndReason;
pub(crate) use fsm::remote_response;
pub use fsm::{FsmError, FsmState, FsmTransition};
pub use member::{Member, MemberStatus, Roles};
pub use state::{MeetingState, ParticipantState};

use member::{MemberContext, roles_of};

/// The meeting as this client sees it after the last accepted update.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MeetingView {
    /// The locus URL.
    pub locus_url: String,
    /// The merged state's sequence.
    pub sequence: Sequence,
    /// The meeting number (`info.webExMeetingId`).
    pub meeting_number: Option<String>,
    /// The meeting's SIP URI (`info.sipUri`).
    pub sip_uri: Option<String>,
    /// `fullState.state`.
    pub meeting_state: Option<MeetingState>,
    /// `fullState.type` (`MEETING`, `CALL`, `SIP_BRIDGE`).
    pub meeting_type: Option<String>,
    /// This client's participant id.
    pub self_id: Option<String>,
    /// This client's participant URL.
    pub self_url: Option<String>,
    /// `self.state`.
    pub self_state: Option<ParticipantState>,
    /// The state of the other side of a 1:1 call (`CALL`, `SIP_BRIDGE`); `None` for a
    /// meeting.
    pub partner_state: Option<ParticipantState>,
    /// What else is derived about this client.
    pub me: SelfView,
    /// The host's user id.
    pub host_id: Option<String>,
    /// Every member ever seen (members are never deleted; one who left shows it in its
    /// status), in the order first seen; participants hidden from the roster are left out.
    /// Shared: the next view reuses the member of every participant that did not change.
    pub members: Vec<Arc<Member>>,
    /// Meeting-wide controls.
    pub controls: ControlsView,
    /// Who holds the share floors.
    pub floor: FloorView,
    /// Keep-alive while waiting in the lobby (`None` when not in the lobby).
    pub keep_alive: Option<KeepAlive>,
    /// Where floor requests go.
    pub media_share_urls: MediaShareUrls,
    /// Where reactions are sent (`controls.reactions.reactionChannelUrl`).
    pub reaction_channel_url: Option<String>,
    /// Where to register for the LLM data channel (`info.datachannelUrl`).
    pub datachannel_url: Option<String>,
    /// The user's display hints (sorted).
    pub display_hints: Vec<String>,
    /// What the user may do now.
    pub in_meeting_actions: InMeetingActions,
    /// The meeting state machine (driven by the meeting's actions).
    pub fsm: FsmState,
    /// Set when Locus says the meeting is over for this client.
    pub ended: Option<EndReason>,
    /// What the members were derived from, so the next view reuses unchanged ones.
    reuse: MemberSources,
}

/// Where a view's members came from: the state, each participant's revision, and what a
/// member depends on besides its participant. Not part of a view's value: it compares equal
/// and prints nothing.
#[derive(Clone, Default)]
struct MemberSources {
    state: u64,
    /// Per participant of the state, in its order: `None` for one hidden from the roster,
    /// else its revision and its member's position in `members`.
    revisions: Vec<Option<(u64, usize)>>,
    context: MemberContextKey,
}

/// What every member depends on besides its participant.
#[derive(Clone, Default, PartialEq, Eq)]
struct MemberContextKey {
    self_id: Option<String>,
    host_id: Option<String>,
    floor_beneficiary: Option<String>,
    recording_by: Option<String>,
}

impl PartialEq for MemberSources {
    fn eq(&self, _: &MemberSources) -> bool {
        true
    }
}

impl Eq for MemberSources {}

impl std::fmt::Debug for MemberSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
}

/// What is derived about this client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelfView {
    /// Waiting in the lobby: `self.state IDLE` and this device's intent `WAIT`.
    pub in_lobby: bool,
    /// Muted server-side (`self.controls.audio.muted`).
    pub audio_muted_by_server: bool,
    /// Video muted server-side.
    pub video_muted_by_server: bool,
    /// Unmuting is allowed (`!self.controls.audio.disallowUnmute`).
    pub unmute_allowed: bool,
    /// The host asked this client to unmute.
    pub requested_to_unmute: bool,
    /// The roles held.
    pub roles: Roles,
    /// The correlation id this device joined with.
    pub correlation_id: Option<String>,
    /// This device's state in the locus.
    pub device_state: Option<String>,
}

/// Meeting-wide controls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ControlsView {
    /// Locked.
    pub locked: bool,
    /// Recording.
    pub recording: RecordingState,
    /// Reactions enabled.
    pub reactions_enabled: bool,
    /// Mute on entry.
    pub mute_on_entry: bool,
    /// Unmuting disallowed (hard mute).
    pub disallow_unmute: bool,
}

/// The recording's state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RecordingState {
    /// Recording (also while paused).
    pub recording: bool,
    /// Paused.
    pub paused: bool,
}

/// Who holds the share floors (a participant id, while the floor is granted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FloorView {
    /// The content (screen) share.
    pub content: Option<String>,
    /// The whiteboard share.
    pub whiteboard: Option<String>,
}

/// The URLs of the share floors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MediaShareUrls {
    /// `mediaShares[name=content].url`.
    pub content: Option<String>,
    /// `mediaShares[name=whiteboard].url`.
    pub whiteboard: Option<String>,
}

/// Keep-alive while in the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeepAlive {
    /// Where to `GET`.
    pub url: String,
    /// Locus's interval in seconds (the JS SDK sends every `(secs − 1) × 750` ms).
    pub secs: u64,
}

impl MeetingView {
    /// The member with this participant id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().map(|m| &**m).find(|m| m.id == id)
    }

    /// This client's member.
    pub fn self_member(&self) -> Option<&Member> {
        self.self_id.as_deref().and_then(|id| self.member(id))
    }

    /// Derives the view of `state` for the device `device_url`; `previous` is the view before
    /// (for what Locus only says when it changes).
    pub fn derive(
        state: &LocusState,
        device_url: &str,
        fsm: FsmState,
        previous: Option<&MeetingView>,
    ) -> MeetingView {
        let locus = state.locus();
        let me = locus.self_.as_ref();
        let joined_with = me.and_then(|me| device_of(me, device_url));
        let controls = locus.controls.as_ref();
        let record = controls.and_then(|c| c.record.as_ref());
        let recording = RecordingState {
            recording: record.is_some_and(|r| r.recording),
            paused: record.is_some_and(|r| r.paused),
        };
        let floor = floor_of(locus.media_shares.as_deref().unwrap_or_default());
        let self_id = me.map(|me| me.id.clone());
        let host_id = locus.host.as_ref().and_then(|h| h.id.clone());
        let recording_by = record
            .filter(|r| r.recording)
            .and_then(|r| r.meta.as_ref())
            .and_then(|m| m.modified_by.as_deref());
        let cx = MemberContext {
            self_id: self_id.as_deref(),
            host_id: host_id.as_deref(),
            floor_beneficiary: floor.content.as_deref(),
            recording_by,
        };
        let (members, reuse) = derive_members(state, &cx, previous);
        let me_view = self_view(me, joined_with);
        let keep_alive = joined_with.filter(|_| me_view.in_lobby).and_then(|d| {
            Some(KeepAlive {
                url: d.keep_alive_url.clone()?,
                secs: d.keep_alive_secs?,
            })
        });
        let display_hints = actions::user_display_hints(
            locus.info.as_ref().and_then(|i| i.display_hints.as_ref()),
            me,
        );
        let in_meeting_actions =
            InMeetingActions::from_hints(&display_hints, previous.map(|p| &p.in_meeting_actions));
        let full_state = locus.full_state.as_ref();
        let share_url = |name: &str| {
            locus
                .media_shares
                .as_deref()
                .unwrap_or_default()
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.url.clone())
        };
        MeetingView {
            locus_url: locus.url.clone(),
            sequence: locus.sequence.clone(),
            meeting_number: locus
                .info
                .as_ref()
                .and_then(|i| i.web_ex_meeting_id.clone()),
            sip_uri: locus.info.as_ref().and_then(|i| i.sip_uri.clone()),
            meeting_state: full_state
                .and_then(|f| f.state.as_deref())
                .map(MeetingState::parse),
            meeting_type: full_state.and_then(|f| f.r#type.clone()),
            self_url: me.and_then(|me| me.url.clone()),
            self_state: me
                .and_then(|me| me.state.as_deref())
                .map(ParticipantState::parse),
            partner_state: ended::partner_state(locus),
            ended: ended::end_reason(locus),
            me: me_view,
            self_id,
            host_id,
            members,
            controls: ControlsView {
                locked: controls
                    .and_then(|c| c.lock.as_ref())
                    .is_some_and(|l| l.locked),
                recording,
                reactions_enabled: controls
                    .and_then(|c| c.reactions.as_ref())
                    .is_some_and(|r| r.enabled),
                mute_on_entry: controls
                    .and_then(|c| c.mute_on_entry.as_ref())
                    .is_some_and(|e| e.enabled),
                disallow_unmute: controls
                    .and_then(|c| c.disallow_unmute.as_ref())
                    .is_some_and(|e| e.enabled),
            },
            floor,
            keep_alive,
            media_share_urls: MediaShareUrls {
                content: share_url("content"),
                whiteboard: share_url("whiteboard"),
            },
            reaction_channel_url: controls
                .and_then(|c| c.reactions.as_ref())
                .and_then(|r| r.reaction_channel_url.clone()),
            datachannel_url: locus.info.as_ref().and_then(|i| i.datachannel_url.clone()),
            display_hints,
            in_meeting_actions,
            fsm,
            reuse,
        }
    }
}

/// The members of `state`, reusing the previous view's member of every participant that did
/// not change since (when nothing else a member depends on changed either).
fn derive_members(
    state: &LocusState,
    cx: &MemberContext<'_>,
    previous: Option<&MeetingView>,
) -> (Vec<Arc<Member>>, MemberSources) {
    let (state_id, revisions) = state.revisions();
    let context = MemberContextKey {
        self_id: cx.self_id.map(str::to_owned),
        host_id: cx.host_id.map(str::to_owned),
        floor_beneficiary: cx.floor_beneficiary.map(str::to_owned),
        recording_by: cx.recording_by.map(str::to_owned),
    };
    let reusable = previous
        .filter(|p| p.reuse.state == state_id && p.reuse.context == context)
        .map(|p| (&p.reuse.revisions, &p.members));
    let participants = &state.locus().participants;
    let mut members = Vec::with_capacity(participants.len());
    let mut sources = Vec::with_capacity(participants.len());
    for (at, (p, &revision)) in participants.iter().zip(revisions).enumerate() {
        if p.hide_in_roster == Some(true) {
            sources.push(None);
            continue;
        }
        let unchanged = reusable.and_then(|(before, members)| match before.get(at) {
            Some(Some((r, position))) if *r == revision => members.get(*position),
            _ => None,
        });
        let member = match unchanged {
            Some(member) => member.clone(),
            None => Arc::new(Member::derive(p, cx)),
        };
        sources.push(Some((revision, members.len())));
        members.push(member);
    }
    let reuse = MemberSources {
        state: state_id,
        revisions: sources,
        context,
    };
    (members, reuse)
}

/// The self device whose URL is this device's (`joinedWith`).
fn device_of<'a>(me: &'a Participant, device_url: &str) -> Option<&'a ParticipantDevice> {
    me.devices.iter().find(|d| d.url == device_url)
}

fn self_view(me: Option<&Participant>, joined_with: Option<&ParticipantDevice>) -> SelfView {
    let Some(me) = me else {
        return SelfView::default();
    };
    let audio = me.controls.as_ref().and_then(|c| c.audio.as_ref());
    let video = me.controls.as_ref().and_then(|c| c.video.as_ref());
    let intent = joined_with
        .and_then(|d| d.intent.as_ref())
        .map(|i| i.r#type.as_str());
    SelfView {
        in_lobby: me.state.as_deref() == Some("IDLE") && intent == Some("WAIT"),
        audio_muted_by_server: audio.is_some_and(|a| a.muted),
        video_muted_by_server: video.is_some_and(|v| v.muted),
        unmute_allowed: !audio.and_then(|a| a.disallow_unmute).unwrap_or(false),
        requested_to_unmute: audio.and_then(|a| a.requested_to_unmute).unwrap_or(false),
        roles: roles_of(me),
        correlation_id: joined_with.and_then(|d| d.correlation_id.clone()),
        device_state: joined_with.and_then(|d| d.state.clone()),
    }
}

fn floor_of(shares: &[crate::locus::MediaShare]) -> FloorView {
    let holder = |name: &str| {
        shares
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.floor.as_ref())
            .filter(|f| f.disposition.as_deref() == Some("GRANTED"))
            .and_then(|f| f.beneficiary.as_ref())
            .and_then(|b| b.id.clone())
    };
    FloorView {
        content: holder("content"),
        whiteboard: holder("whiteboard"),
    }
}

#[cfg(test)]
mod tests;
