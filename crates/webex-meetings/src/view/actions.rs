//! In-meeting actions: what the user may do now, from the display hints Locus sends for the
//! user's roles (`docs/protocol/locus-sync.md`, *In-meeting actions*).
//!
//! The JS SDK also folds in user policies from the meeting-info permission token; the Locus
//! core does not see those, and the JS SDK treats missing policy information as permissive,
//! so the hint alone decides here.

use crate::locus::{DisplayHints, Participant};

use super::member::roles_of;

/// The hint the lobby (not yet joined) keeps of the `joined` list.
const INTERSTITIAL_HINTS: &[&str] = &["VOIP_IS_ENABLED"];

/// What the user may do now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InMeetingActions {
    /// `ADD_GUEST`.
    pub can_invite_new_participants: bool,
    /// `ROSTER_WAITING_TO_JOIN`.
    pub can_admit_participant: bool,
    /// `LOCK_CONTROL_LOCK` and `LOCK_STATUS_UNLOCKED`.
    pub can_lock: bool,
    /// `LOCK_CONTROL_UNLOCK` and `LOCK_STATUS_LOCKED`.
    pub can_unlock: bool,
    /// `RECORDING_CONTROL_START`.
    pub can_start_recording: bool,
    /// `RECORDING_CONTROL_STOP`.
    pub can_stop_recording: bool,
    /// `RECORDING_CONTROL_PAUSE`.
    pub can_pause_recording: bool,
    /// `RECORDING_CONTROL_RESUME`.
    pub can_resume_recording: bool,
    /// `RAISE_HAND`.
    pub can_raise_hand: bool,
    /// `LOWER_ALL_HANDS`.
    pub can_lower_all_hands: bool,
    /// `LOWER_SOMEONE_ELSES_HAND` (implied by the moderator and cohost lists).
    pub can_lower_someone_elses_hand: bool,
    /// `LEAVE_TRANSFER_HOST_END_MEETING` or `LEAVE_END_MEETING`.
    pub both_leave_and_end_meeting_available: bool,
    /// `MUTE_ALL`.
    pub can_mute_all: bool,
    /// `UNMUTE_ALL`.
    pub can_unmute_all: bool,
    /// `ENABLE_HARD_MUTE`.
    pub can_enable_hard_mute: bool,
    /// `DISABLE_HARD_MUTE`.
    pub can_disable_hard_mute: bool,
    /// `ENABLE_MUTE_ON_ENTRY`.
    pub can_enable_mute_on_entry: bool,
    /// `DISABLE_MUTE_ON_ENTRY`.
    pub can_disable_mute_on_entry: bool,
    /// `ENABLE_REACTIONS`.
    pub can_enable_reactions: bool,
    /// `DISABLE_REACTIONS`.
    pub can_disable_reactions: bool,
    /// `REACTIONS_ACTIVE` → true, `REACTIONS_INACTIVE` → false, neither → as before (`None`
    /// before either was ever seen).
    pub can_send_reactions: Option<bool>,
    /// `SHARE_CONTROL`.
    pub can_update_share_control: bool,
    /// `SHARE_WHITEBOARD`.
    pub can_share_whiteboard: bool,
    /// `SHARE_CONTENT`.
    pub can_share_content: bool,
    /// `WAITING_FOR_OTHERS`.
    pub waiting_for_others_to_join: bool,
}

impl InMeetingActions {
    /// The actions the hints allow; `previous` keeps `can_send_reactions` when the hints say
    /// nothing about it.
    pub(crate) fn from_hints(hints: &[String], previous: Option<&InMeetingActions>) -> Self {
        let has = |hint: &str| hints.iter().any(|h| h == hint);
        let can_send_reactions = if has("REACTIONS_ACTIVE") {
            Some(true)
        } else if has("REACTIONS_INACTIVE") {
            Some(false)
        } else {
            previous.and_then(|p| p.can_send_reactions)
        };
        InMeetingActions {
            can_invite_new_participants: has("ADD_GUEST"),
            can_admit_participant: has("ROSTER_WAITING_TO_JOIN"),
            can_lock: has("LOCK_CONTROL_LOCK") && has("LOCK_STATUS_UNLOCKED"),
            can_unlock: has("LOCK_CONTROL_UNLOCK") && has("LOCK_STATUS_LOCKED"),
            can_start_recording: has("RECORDING_CONTROL_START"),
            can_stop_recording: has("RECORDING_CONTROL_STOP"),
            can_pause_recording: has("RECORDING_CONTROL_PAUSE"),
            can_resume_recording: has("RECORDING_CONTROL_RESUME"),
            can_raise_hand: has("RAISE_HAND"),
            can_lower_all_hands: has("LOWER_ALL_HANDS"),
            can_lower_someone_elses_hand: has("LOWER_SOMEONE_ELSES_HAND"),
            both_leave_and_end_meeting_available: has("LEAVE_TRANSFER_HOST_END_MEETING")
                || has("LEAVE_END_MEETING"),
            can_mute_all: has("MUTE_ALL"),
            can_unmute_all: has("UNMUTE_ALL"),
            can_enable_hard_mute: has("ENABLE_HARD_MUTE"),
            can_disable_hard_mute: has("DISABLE_HARD_MUTE"),
            can_enable_mute_on_entry: has("ENABLE_MUTE_ON_ENTRY"),
            can_disable_mute_on_entry: has("DISABLE_MUTE_ON_ENTRY"),
            can_enable_reactions: has("ENABLE_REACTIONS"),
            can_disable_reactions: has("DISABLE_REACTIONS"),
            can_send_reactions,
            can_update_share_control: has("SHARE_CONTROL"),
            can_share_whiteboard: has("SHARE_WHITEBOARD"),
            can_share_content: has("SHARE_CONTENT"),
            waiting_for_others_to_join: has("WAITING_FOR_OTHERS"),
        }
    }
}

/// The user's display hints: the `joined` list once joined (before, only its interstitial
/// hints), plus the cohost and moderator lists for those roles (each also allowing to lower
/// someone else's hand).
pub(crate) fn user_display_hints(
    hints: Option<&DisplayHints>,
    me: Option<&Participant>,
) -> Vec<String> {
    let Some(hints) = hints else {
        return Vec::new();
    };
    let joined = me.is_some_and(|me| me.state.as_deref() == Some("JOINED"));
    let mut out: Vec<String> = if joined {
        hints.joined.clone()
    } else {
        hints
            .joined
            .iter()
            .filter(|h| INTERSTITIAL_HINTS.contains(&h.as_str()))
            .cloned()
            .collect()
    };
    let roles = me.map(roles_of).unwrap_or_default();
    for (held, list) in [
        (roles.cohost, &hints.co_host),
        (roles.moderator, &hints.moderator),
    ] {
        if held {
            out.extend(list.iter().cloned());
            out.push("LOWER_SOMEONE_ELSES_HAND".to_owned());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
