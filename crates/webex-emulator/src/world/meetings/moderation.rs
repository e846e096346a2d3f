//! Meeting-wide controls (lock, recording, reactions, mute on entry, ...)
//! and participant controls (mute, hand, roles, layout), with who may
//! change what.

use std::time::SystemTime;

use uuid::Uuid;

use super::Notice;
use super::errors::{self, forbidden, inactive};
use super::join::require_moderator;
use super::locus::{Locus, LocusState};
use super::participant::{Modified, Participant};
use crate::bus::LocusChange;
use crate::kit::error::ApiError;
use crate::world::Data;

/// A change of meeting-wide controls; `None` leaves a control alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ControlsPatch {
    /// `lock.locked`.
    pub(crate) locked: Option<bool>,
    /// `record.recording` and `record.paused`.
    pub(crate) record: Option<(bool, bool)>,
    /// `reactions.enabled`.
    pub(crate) reactions: Option<bool>,
    /// `reactions.showDisplayNameWithReactions`.
    pub(crate) reaction_names: Option<bool>,
    /// `muteOnEntry.enabled`.
    pub(crate) mute_on_entry: Option<bool>,
    /// `disallowUnmute.enabled`.
    pub(crate) disallow_unmute: Option<bool>,
    /// `shareControl.control`.
    pub(crate) share_control: Option<String>,
    /// `raiseHand.enabled`.
    pub(crate) raise_hand: Option<bool>,
    /// `video.enabled`.
    pub(crate) video: Option<bool>,
    /// `viewTheParticipantList.enabled`.
    pub(crate) view_participant_list: Option<bool>,
    /// `hand.raised: false`: lower every hand.
    pub(crate) lower_all_hands: bool,
    /// `audio.muted`: mute (or ask to unmute) everyone but the moderators.
    pub(crate) mute_all: Option<bool>,
}

impl ControlsPatch {
    /// Whether it changes nothing.
    pub(crate) fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A change of one participant's controls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParticipantPatch {
    /// `audio.muted`.
    pub(crate) audio_muted: Option<bool>,
    /// `video.muted`.
    pub(crate) video_muted: Option<bool>,
    /// `hand.raised`.
    pub(crate) hand_raised: Option<bool>,
    /// `role.roles`: (role, hasRole) for `COHOST` and `PRESENTER`, or
    /// `MODERATOR` to make them the host.
    pub(crate) roles: Vec<(String, bool)>,
    /// `layout.type` of the caller's own device.
    pub(crate) layout: Option<String>,
}

impl Data {
    /// Applies `patch` to the meeting-wide controls.
    ///
    /// # Errors
    ///
    /// 403 unless `actor` is a host or cohost; 400 for an empty patch or an
    /// unknown share control; 409 once the meeting ended.
    pub(crate) fn update_controls(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        patch: &ControlsPatch,
    ) -> Result<(), ApiError> {
        if patch.is_empty() {
            return Err(errors::bad_request("No control to change."));
        }
        if let Some(control) = &patch.share_control
            && !matches!(control.as_str(), "ANYONE" | "MODERATOR_PRESENTER")
        {
            return Err(errors::bad_request(
                "shareControl.control must be ANYONE or MODERATOR_PRESENTER.",
            ));
        }
        self.change_locus(locus_id, LocusChange::ControlsUpdated, |locus, seq| {
            live(locus)?;
            require_moderator(locus, actor)?;
            let now = SystemTime::now();
            let c = &mut locus.controls;
            set(&mut c.locked, patch.locked);
            if let Some((recording, paused)) = patch.record {
                c.recording = recording;
                c.paused = recording && paused;
                c.record_modified = Modified { by: actor, at: now };
            }
            set(&mut c.reactions, patch.reactions);
            set(&mut c.reaction_names, patch.reaction_names);
            set(&mut c.mute_on_entry, patch.mute_on_entry);
            set(&mut c.disallow_unmute, patch.disallow_unmute);
            if let Some(control) = &patch.share_control {
                c.share_control.clone_from(control);
            }
            set(&mut c.raise_hand, patch.raise_hand);
            set(&mut c.video, patch.video);
            set(&mut c.view_participant_list, patch.view_participant_list);
            // Every participant shows `disallowUnmute` in its audio control.
            let all = patch.disallow_unmute.is_some();
            for p in locus.participants.iter_mut() {
                if all {
                    p.changed_at = seq;
                }
                if !p.present() {
                    continue;
                }
                let mut changed = false;
                if patch.lower_all_hands && p.controls.hand_raised {
                    p.controls.hand_raised = false;
                    changed = true;
                }
                if let Some(muted) = patch.mute_all
                    && !p.controls.roles.moderates()
                {
                    apply_remote_audio(p, muted, actor, now);
                    changed = true;
                }
                if changed {
                    p.changed_at = seq;
                }
            }
            locus.stamps.controls = seq;
            locus.stamps.info = seq;
            if patch.locked.is_some() {
                locus.stamps.full_state = seq;
            }
            Ok(((), Notice::default()))
        })
    }

    /// Applies `patch` to `target`'s controls.
    ///
    /// # Errors
    ///
    /// 403 when `actor` may not (others' controls need a host or cohost,
    /// raising someone else's hand is never allowed, unmuting oneself is not
    /// while `disallowUnmute` holds after a host muted); 404 for an unknown
    /// participant; 400 for an unknown role or an empty patch.
    pub(crate) fn update_participant(
        &mut self,
        locus_id: Uuid,
        actor: Uuid,
        target: Uuid,
        patch: &ParticipantPatch,
    ) -> Result<(), ApiError> {
        if *patch == ParticipantPatch::default() {
            return Err(errors::bad_request("No control to change."));
        }
        for (role, has) in &patch.roles {
            if !matches!(role.as_str(), "MODERATOR" | "COHOST" | "PRESENTER") {
                return Err(errors::bad_request(&format!("Unknown role {role}.")));
            }
            if role == "MODERATOR" && !has {
                return Err(errors::bad_request(
                    "The host role is given to someone else, not taken away.",
                ));
            }
        }
        let change = if patch.roles.is_empty() {
            LocusChange::ParticipantControlsUpdated
        } else {
            LocusChange::ParticipantRolesUpdated
        };
        self.change_locus(locus_id, change, |locus, seq| {
            live(locus)?;
            let me = locus
                .participant_of(actor)
                .filter(|p| p.present())
                .ok_or_else(|| forbidden(errors::NOT_JOINED, "You are not in the meeting."))?;
            let moderates = me.controls.roles.moderates();
            let is_host = me.controls.roles.moderator;
            let disallow = locus.controls.disallow_unmute;
            let own = locus
                .participant(target)
                .ok_or_else(errors::participant_not_found)?
                .person
                == actor;
            if !own && !moderates {
                return Err(errors::not_moderator());
            }
            if patch.layout.is_some() && !own {
                return Err(forbidden(errors::NOT_YOURSELF, "A layout is your own."));
            }
            if patch.hand_raised == Some(true) && !own {
                return Err(forbidden(
                    errors::NOT_YOURSELF,
                    "Only you can raise your hand.",
                ));
            }
            if patch.roles.iter().any(|(role, _)| role == "MODERATOR") && !is_host {
                return Err(errors::not_moderator());
            }
            if !patch.roles.is_empty() && !moderates {
                return Err(errors::not_moderator());
            }
            let now = SystemTime::now();
            let p = locus
                .participant_mut(target)
                .ok_or_else(errors::participant_not_found)?;
            if let Some(muted) = patch.audio_muted {
                if own {
                    let held = p.controls.audio_muted
                        && p.controls.audio_modified.is_some_and(|m| m.by != actor);
                    if !muted && held && disallow && !moderates {
                        return Err(forbidden(
                            errors::UNMUTE_DISALLOWED,
                            "A host muted you and does not allow unmuting.",
                        ));
                    }
                    p.controls.audio_muted = muted;
                    p.controls.requested_to_unmute = false;
                    p.controls.audio_modified = Some(Modified { by: actor, at: now });
                } else {
                    apply_remote_audio(p, muted, actor, now);
                }
            }
            if let Some(muted) = patch.video_muted {
                p.controls.video_muted = muted;
            }
            if let Some(raised) = patch.hand_raised {
                p.controls.hand_raised = raised;
            }
            if let Some(layout) = &patch.layout {
                p.controls.layout = Some(layout.clone());
            }
            let mut new_host = None;
            for (role, has) in &patch.roles {
                match role.as_str() {
                    "COHOST" => p.controls.roles.cohost = *has,
                    "PRESENTER" => p.controls.roles.presenter = *has,
                    _ => {
                        p.controls.roles.moderator = true;
                        new_host = Some(p.person);
                    }
                }
            }
            p.changed_at = seq;
            if let Some(host) = new_host
                && host != actor
            {
                if let Some(old) = locus.participants.iter_mut().find(|p| p.person == actor) {
                    old.controls.roles.moderator = false;
                    old.changed_at = seq;
                }
                locus.host = host;
                locus.stamps.host = seq;
            }
            Ok(((), Notice::default()))
        })
    }
}

/// A host muting someone, or asking them to unmute (a host cannot turn
/// someone's microphone on).
fn apply_remote_audio(p: &mut Participant, muted: bool, actor: Uuid, now: SystemTime) {
    if muted {
        p.controls.audio_muted = true;
        p.controls.requested_to_unmute = false;
    } else {
        p.controls.requested_to_unmute = true;
    }
    p.controls.audio_modified = Some(Modified { by: actor, at: now });
}

/// Sets `slot` when `value` is given.
fn set(slot: &mut bool, value: Option<bool>) {
    if let Some(value) = value {
        *slot = value;
    }
}

/// 409 once the meeting ended.
pub(crate) fn live(locus: &Locus) -> Result<(), ApiError> {
    if locus.state == LocusState::Inactive {
        return Err(inactive());
    }
    Ok(())
}
