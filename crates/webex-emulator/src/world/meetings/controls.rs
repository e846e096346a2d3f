//! A locus's meeting-wide controls.

use super::participant::Modified;

/// Who may share content (`shareControl.control`).
pub(crate) const SHARE_ANYONE: &str = "ANYONE";

/// Meeting-wide controls.
#[derive(Clone, Debug)]
pub(crate) struct LocusControls {
    /// Locked: newcomers who are not hosts wait in the lobby.
    pub(crate) locked: bool,
    /// Recording.
    pub(crate) recording: bool,
    /// Recording paused.
    pub(crate) paused: bool,
    /// Who changed the recording last (`record.meta`).
    pub(crate) record_modified: Modified,
    /// Reactions allowed.
    pub(crate) reactions: bool,
    /// Reactions show the sender's name.
    pub(crate) reaction_names: bool,
    /// Newcomers join muted.
    pub(crate) mute_on_entry: bool,
    /// Muted participants may not unmute themselves.
    pub(crate) disallow_unmute: bool,
    /// Who may share.
    pub(crate) share_control: String,
    /// Raising hands allowed.
    pub(crate) raise_hand: bool,
    /// Video allowed.
    pub(crate) video: bool,
    /// Attendees may see the participant list.
    pub(crate) view_participant_list: bool,
}

impl LocusControls {
    /// The controls of a new locus, created by `creator`.
    pub(crate) fn new(created: Modified) -> Self {
        Self {
            locked: false,
            recording: false,
            paused: false,
            record_modified: created,
            reactions: true,
            reaction_names: true,
            mute_on_entry: false,
            disallow_unmute: false,
            share_control: SHARE_ANYONE.to_owned(),
            raise_hand: true,
            video: true,
            view_participant_list: true,
        }
    }
}
