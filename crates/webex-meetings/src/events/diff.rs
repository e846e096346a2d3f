//! Events as the difference of two views.

use std::collections::HashMap;
use std::sync::Arc;

use super::{MeetingEvent, Share};
use crate::view::{MeetingView, Member};

/// The events that lead from `previous` (`None`: nothing known yet) to `current`, in a fixed
/// order: meeting state, self state, lobby, members, controls, self mute, floors, actions, end.
pub fn diff(previous: Option<&MeetingView>, current: &MeetingView) -> Vec<MeetingEvent> {
    let mut events = Vec::new();
    let prev = previous;
    if prev.is_some_and(|p| p.locus_url != current.locus_url) {
        events.push(MeetingEvent::LocusUrlChanged {
            url: current.locus_url.clone(),
        });
    }
    let prev_state = prev.and_then(|p| p.meeting_state.clone());
    if prev_state != current.meeting_state {
        events.push(MeetingEvent::StateChanged {
            previous: prev_state,
            current: current.meeting_state.clone(),
        });
    }
    let prev_self = prev.and_then(|p| p.self_state.clone());
    if prev_self != current.self_state {
        events.push(MeetingEvent::SelfStateChanged {
            previous: prev_self,
            current: current.self_state.clone(),
        });
    }
    let was_in_lobby = prev.is_some_and(|p| p.me.in_lobby);
    if current.me.in_lobby && !was_in_lobby {
        events.push(MeetingEvent::LobbyWaiting);
    }
    if was_in_lobby
        && !current.me.in_lobby
        && current.self_state == Some(crate::view::ParticipantState::Joined)
    {
        events.push(MeetingEvent::Admitted);
    }
    members(prev, current, &mut events);
    controls(prev, current, &mut events);
    self_mute(prev, current, &mut events);
    floor(
        prev,
        current,
        Share::Content,
        |v| v.floor.content.as_deref(),
        &mut events,
    );
    floor(
        prev,
        current,
        Share::Whiteboard,
        |v| v.floor.whiteboard.as_deref(),
        &mut events,
    );
    if prev.map(|p| &p.in_meeting_actions) != Some(&current.in_meeting_actions) {
        events.push(MeetingEvent::ActionsUpdated(
            current.in_meeting_actions.clone(),
        ));
    }
    if let Some(reason) = current.ended
        && prev.and_then(|p| p.ended) != Some(reason)
    {
        events.push(MeetingEvent::Ended { reason });
    }
    events
}

fn members(prev: Option<&MeetingView>, current: &MeetingView, events: &mut Vec<MeetingEvent>) {
    let before = prev.map(|p| p.members.as_slice()).unwrap_or_default();
    let mut added = Vec::new();
    let mut updated = Vec::new();
    // Members are never deleted and keep the order first seen, so the previous members are
    // usually the same positions: compared in place (an unchanged member is the same `Arc`).
    let aligned = before.len() <= current.members.len()
        && before
            .iter()
            .zip(&current.members)
            .all(|(b, c)| Arc::ptr_eq(b, c) || b.id == c.id);
    if aligned {
        for (old, member) in before.iter().zip(&current.members) {
            if !Arc::ptr_eq(old, member) && old != member {
                updated.push((**member).clone());
            }
        }
        added.extend(
            current.members[before.len()..]
                .iter()
                .map(|m| (**m).clone()),
        );
    } else {
        let by_id: HashMap<&str, &Arc<Member>> =
            before.iter().map(|m| (m.id.as_str(), m)).collect();
        for member in &current.members {
            match by_id.get(member.id.as_str()) {
                None => added.push((**member).clone()),
                Some(old) if !Arc::ptr_eq(old, member) && *old != member => {
                    updated.push((**member).clone());
                }
                Some(_) => {}
            }
        }
    }
    if !added.is_empty() || !updated.is_empty() {
        events.push(MeetingEvent::MembersUpdated { added, updated });
    }
}

fn controls(prev: Option<&MeetingView>, current: &MeetingView, events: &mut Vec<MeetingEvent>) {
    let before = prev.map(|p| p.controls.clone()).unwrap_or_default();
    let now = &current.controls;
    if before.locked != now.locked {
        events.push(if now.locked {
            MeetingEvent::Locked
        } else {
            MeetingEvent::Unlocked
        });
    }
    if before.recording != now.recording {
        events.push(MeetingEvent::Recording(now.recording));
    }
    if (
        before.reactions_enabled,
        before.mute_on_entry,
        before.disallow_unmute,
    ) != (
        now.reactions_enabled,
        now.mute_on_entry,
        now.disallow_unmute,
    ) {
        events.push(MeetingEvent::ControlsUpdated(now.clone()));
    }
}

fn self_mute(prev: Option<&MeetingView>, current: &MeetingView, events: &mut Vec<MeetingEvent>) {
    let before = prev.map(|p| p.me.clone()).unwrap_or_default();
    let now = &current.me;
    if before.audio_muted_by_server != now.audio_muted_by_server {
        events.push(if now.audio_muted_by_server {
            MeetingEvent::SelfMutedByOthers
        } else {
            MeetingEvent::SelfUnmutedByOthers
        });
    }
    if before.video_muted_by_server != now.video_muted_by_server {
        events.push(if now.video_muted_by_server {
            MeetingEvent::SelfVideoMutedByOthers
        } else {
            MeetingEvent::SelfVideoUnmutedByOthers
        });
    }
    if now.requested_to_unmute && !before.requested_to_unmute {
        events.push(MeetingEvent::SelfRequestedToUnmute);
    }
    if prev.is_some_and(|_| before.roles != now.roles) {
        events.push(MeetingEvent::SelfRolesChanged(now.roles.clone()));
    }
}

fn floor(
    prev: Option<&MeetingView>,
    current: &MeetingView,
    share: Share,
    holder: impl Fn(&MeetingView) -> Option<&str>,
    events: &mut Vec<MeetingEvent>,
) {
    let before = prev.and_then(&holder);
    let now = holder(current);
    if before == now {
        return;
    }
    if let Some(previous) = before {
        events.push(MeetingEvent::FloorReleased {
            share,
            previous: previous.to_owned(),
        });
    }
    if let Some(beneficiary) = now {
        events.push(MeetingEvent::FloorGranted {
            share,
            beneficiary: beneficiary.to_owned(),
        });
    }
}
