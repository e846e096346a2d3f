//! Views derived from merged loci, and the events between two of them.

use std::sync::Arc;

use super::*;
use crate::events::{MeetingEvent, Share, diff};
use crate::locus::testing::{DEVICE, URL, delta, full, participant, person, with_device};
use crate::locus::{
    Beneficiary, Controls, DisplayHints, Floor, FullState, Host, Info, LockControl, Locus,
    MediaShare, MuteControl, ParticipantControls, ParticipantStatus, RecordControl, Role,
    RoleControl,
};

fn meeting(n: u64) -> Locus {
    let mut locus = full(n);
    locus.full_state = Some(FullState {
        state: Some("ACTIVE".to_owned()),
        r#type: Some("MEETING".to_owned()),
        ..FullState::default()
    });
    locus.host = Some(Host {
        id: Some("u-host".to_owned()),
        name: Some("Host".to_owned()),
    });
    locus.info = Some(Info {
        web_ex_meeting_id: Some("21234567890".to_owned()),
        display_hints: Some(DisplayHints {
            joined: vec![
                "LOCK_STATUS_UNLOCKED".into(),
                "RAISE_HAND".into(),
                "VOIP_IS_ENABLED".into(),
            ],
            moderator: vec!["LOCK_CONTROL_LOCK".into(), "ROSTER_WAITING_TO_JOIN".into()],
            co_host: vec![],
        }),
        ..Info::default()
    });
    let host = with_device(
        person(participant("p-host", "JOINED"), "u-host", "Host"),
        "https://wdm.test/devices/h",
        "",
    );
    let me = with_device(
        person(participant("p-me", "JOINED"), "u-me", "Me"),
        DEVICE,
        "",
    );
    let guest = with_device(
        person(participant("p-guest", "IDLE"), "u-guest", "Guest"),
        "https://wdm.test/devices/g",
        "WAIT",
    );
    locus.participants = vec![host, me.clone(), guest];
    locus.self_ = Some(me);
    locus.media_shares = Some(vec![MediaShare {
        name: "content".into(),
        url: format!("{URL}/mediashares/c"),
        floor: Some(Floor {
            disposition: Some("RELEASED".into()),
            ..Floor::default()
        }),
    }]);
    locus
}

fn view_of(locus: Locus) -> MeetingView {
    MeetingView::derive(&LocusState::new(locus), DEVICE, FsmState::Joined, None)
}

fn with_roles(mut p: Participant, roles: &[&str]) -> Participant {
    p.controls
        .get_or_insert_with(ParticipantControls::default)
        .role = Some(RoleControl {
        roles: roles
            .iter()
            .map(|r| Role {
                r#type: (*r).to_owned(),
                has_role: true,
            })
            .collect(),
    });
    p
}

#[test]
fn members_have_their_statuses() {
    let view = view_of(meeting(1));
    let status = |id| view.member(id).unwrap().status;
    assert_eq!(status("p-host"), MemberStatus::InMeeting);
    assert_eq!(status("p-guest"), MemberStatus::InLobby);
    assert!(view.member("p-host").unwrap().is_host);
    assert!(view.self_member().unwrap().is_self);
    assert_eq!(view.self_member().unwrap().name.as_deref(), Some("Me"));
    assert_eq!(view.meeting_state, Some(MeetingState::Active));
    assert_eq!(view.self_state, Some(ParticipantState::Joined));
    assert_eq!(view.me.correlation_id.as_deref(), Some("corr-p-me"));
    assert_eq!(view.meeting_number.as_deref(), Some("21234567890"));
    assert_eq!(
        view.media_share_urls.content,
        Some(format!("{URL}/mediashares/c"))
    );
    assert_eq!(view.fsm, FsmState::Joined);

    let mut left = meeting(1);
    left.participants[0].state = Some("LEFT".into());
    left.participants[2].devices.clear();
    let view = view_of(left);
    assert_eq!(
        view.member("p-host").unwrap().status,
        MemberStatus::NotInMeeting
    );
    assert_eq!(
        view.member("p-guest").unwrap().status,
        MemberStatus::NotInMeeting
    );
}

#[test]
fn mute_is_server_mute_first_then_media_status() {
    let mut locus = meeting(1);
    let p = &mut locus.participants[0];
    p.status = Some(ParticipantStatus {
        audio_status: Some("RECVONLY".into()),
        video_status: Some("SENDRECV".into()),
        ..ParticipantStatus::default()
    });
    let view = view_of(locus.clone());
    let host = view.member("p-host").unwrap();
    assert!(host.is_audio_muted && !host.is_video_muted && !host.is_audio_muted_by_server);

    locus.participants[0].controls = Some(ParticipantControls {
        video: Some(MuteControl {
            muted: true,
            ..MuteControl::default()
        }),
        ..ParticipantControls::default()
    });
    let host = view_of(locus).member("p-host").unwrap().clone();
    assert!(host.is_video_muted);
}

#[test]
fn the_lobby_has_a_keep_alive_and_only_interstitial_hints() {
    let mut locus = meeting(1);
    let me = with_device(
        person(participant("p-me", "IDLE"), "u-me", "Me"),
        DEVICE,
        "WAIT",
    );
    locus.self_ = Some(me.clone());
    locus.participants[1] = me;
    let view = view_of(locus);
    assert!(view.me.in_lobby);
    let keep_alive = view.keep_alive.clone().expect("keep-alive while waiting");
    assert_eq!(keep_alive.secs, 20);
    assert!(keep_alive.url.ends_with("/participant/p-me/keepAlive"));
    assert_eq!(view.display_hints, ["VOIP_IS_ENABLED"]);
    assert_eq!(view.member("p-me").unwrap().status, MemberStatus::InLobby);
}

#[test]
fn actions_follow_the_hints_of_the_roles_held() {
    let attendee = view_of(meeting(1));
    assert!(attendee.in_meeting_actions.can_raise_hand);
    assert!(!attendee.in_meeting_actions.can_lock);
    assert!(!attendee.in_meeting_actions.can_admit_participant);

    let mut locus = meeting(1);
    let me = with_roles(locus.self_.take().unwrap(), &["MODERATOR"]);
    locus.self_ = Some(me);
    let host = view_of(locus);
    let actions = &host.in_meeting_actions;
    assert!(actions.can_lock && !actions.can_unlock);
    assert!(actions.can_admit_participant);
    assert!(actions.can_lower_someone_elses_hand);
    assert!(host.me.roles.moderator);
}

#[test]
fn can_send_reactions_keeps_its_value_when_the_hints_say_nothing() {
    let on = InMeetingActions::from_hints(&["REACTIONS_ACTIVE".to_owned()], None);
    assert_eq!(on.can_send_reactions, Some(true));
    let kept = InMeetingActions::from_hints(&[], Some(&on));
    assert_eq!(kept.can_send_reactions, Some(true));
    let off = InMeetingActions::from_hints(&["REACTIONS_INACTIVE".to_owned()], Some(&on));
    assert_eq!(off.can_send_reactions, Some(false));
    assert_eq!(
        InMeetingActions::from_hints(&[], None).can_send_reactions,
        None
    );
}

#[test]
fn the_meeting_ends_as_locus_says() {
    let mut locus = meeting(1);
    locus.full_state.as_mut().unwrap().state = Some("TERMINATING".into());
    assert_eq!(view_of(locus).ended, Some(EndReason::InactiveOrTerminating));
    let mut locus = meeting(1);
    locus.self_.as_mut().unwrap().removed = Some(true);
    assert_eq!(view_of(locus).ended, Some(EndReason::SelfRemoved));
    let mut call = meeting(1);
    call.full_state.as_mut().unwrap().r#type = Some("CALL".into());
    call.participants.truncate(2);
    call.participants[0].state = Some("LEFT".into());
    assert_eq!(view_of(call).ended, Some(EndReason::PartnerLeft));
    assert_eq!(view_of(meeting(1)).ended, None);
}

#[test]
fn the_fsm_follows_the_transition_table() {
    use FsmTransition as T;
    let joined = FsmState::Idle
        .next(T::Ring)
        .and_then(|s| s.next(T::Join))
        .unwrap();
    assert_eq!(joined, FsmState::Joined);
    assert_eq!(joined.next(T::Leave), Ok(FsmState::Ended));
    assert_eq!(joined.next(T::RemoteAnswered), Ok(FsmState::Answered));
    assert!(FsmState::Ended.next(T::Join).is_err());
    assert_eq!(FsmState::Ended.next(T::Reset), Ok(FsmState::Idle));
    assert_eq!(FsmState::Ringing.next(T::Decline), Ok(FsmState::Ended));
    assert!(FsmState::Joined.next(T::Decline).is_err());
    assert_eq!(FsmState::Answered.next(T::Fail), Ok(FsmState::Error));
}

#[test]
fn a_calls_partner_answering_or_declining_moves_the_fsm() {
    use crate::view::remote_response;
    use ParticipantState as P;
    let notified = Some(&P::Notified);
    assert_eq!(
        remote_response(notified, Some(&P::Joined)),
        Some(FsmTransition::RemoteAnswered)
    );
    assert_eq!(
        remote_response(notified, Some(&P::Declined)),
        Some(FsmTransition::RemoteDeclined)
    );
    assert_eq!(remote_response(Some(&P::Joined), Some(&P::Joined)), None);
    assert_eq!(remote_response(notified, Some(&P::Notified)), None);
    assert_eq!(remote_response(None, None), None);

    // The partner's state is only derived for a call.
    let mut call = meeting(1);
    call.participants.truncate(2);
    call.participants[0].state = Some("NOTIFIED".into());
    assert_eq!(view_of(call.clone()).partner_state, None);
    call.full_state.as_mut().unwrap().r#type = Some("CALL".into());
    assert_eq!(view_of(call).partner_state, Some(P::Notified));
}

/// Applies `update` to `base` and returns the events between the two views.
fn events_after(base: Locus, update: Locus) -> Vec<MeetingEvent> {
    let mut state = LocusState::new(base);
    let before = MeetingView::derive(&state, DEVICE, FsmState::Joined, None);
    state.apply(update);
    let after = MeetingView::derive(&state, DEVICE, FsmState::Joined, Some(&before));
    diff(Some(&before), &after)
}

#[test]
fn the_first_view_announces_everything() {
    let view = view_of(meeting(1));
    let events = diff(None, &view);
    assert!(matches!(
        &events[0],
        MeetingEvent::StateChanged {
            previous: None,
            current: Some(MeetingState::Active)
        }
    ));
    assert!(events.iter().any(|e| matches!(e, MeetingEvent::MembersUpdated { added, updated } if added.len() == 3 && updated.is_empty())));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, MeetingEvent::ActionsUpdated(_)))
    );
}

#[test]
fn an_unchanged_update_has_no_events() {
    assert_eq!(events_after(meeting(1), delta(1, 2)), []);
}

#[test]
fn controls_floor_and_members_changes_become_events() {
    let mut update = delta(1, 2);
    update.controls = Some(Controls {
        lock: Some(LockControl { locked: true }),
        record: Some(RecordControl {
            recording: true,
            paused: false,
            meta: None,
        }),
        ..Controls::default()
    });
    let mut admitted = with_device(
        person(participant("p-guest", "JOINED"), "u-guest", "Guest"),
        "https://wdm.test/devices/g",
        "",
    );
    admitted.guest = Some(true);
    update.participants = vec![admitted];
    update.media_shares = Some(vec![MediaShare {
        name: "content".into(),
        url: format!("{URL}/mediashares/c"),
        floor: Some(Floor {
            disposition: Some("GRANTED".into()),
            beneficiary: Some(Beneficiary {
                id: Some("p-host".into()),
                ..Beneficiary::default()
            }),
            ..Floor::default()
        }),
    }]);
    let events = events_after(meeting(1), update);
    assert!(events.contains(&MeetingEvent::Locked));
    assert!(events.contains(&MeetingEvent::Recording(RecordingState {
        recording: true,
        paused: false
    })));
    assert!(events.contains(&MeetingEvent::FloorGranted {
        share: Share::Content,
        beneficiary: "p-host".into()
    }));
    let members = events.iter().find_map(|e| match e {
        MeetingEvent::MembersUpdated { added, updated } => Some((added, updated)),
        _ => None,
    });
    let (added, updated) = members.expect("members updated");
    assert!(added.is_empty());
    // The guest was admitted; the host now shares content.
    let ids: Vec<_> = updated.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["p-host", "p-guest"]);
    assert_eq!(updated[1].status, MemberStatus::InMeeting);
}

#[test]
fn self_changes_become_events() {
    let mut lobby = meeting(1);
    let waiting = with_device(
        person(participant("p-me", "IDLE"), "u-me", "Me"),
        DEVICE,
        "WAIT",
    );
    lobby.self_ = Some(waiting);
    let mut update = delta(1, 2);
    let mut me = with_device(
        person(participant("p-me", "JOINED"), "u-me", "Me"),
        DEVICE,
        "",
    );
    me.controls = Some(ParticipantControls {
        audio: Some(MuteControl {
            muted: true,
            ..MuteControl::default()
        }),
        ..ParticipantControls::default()
    });
    update.self_ = Some(me);
    let events = events_after(lobby, update);
    assert!(events.contains(&MeetingEvent::Admitted));
    assert!(events.contains(&MeetingEvent::SelfMutedByOthers));
    assert!(events.contains(&MeetingEvent::SelfStateChanged {
        previous: Some(ParticipantState::Idle),
        current: Some(ParticipantState::Joined)
    }));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, MeetingEvent::ActionsUpdated(a) if a.can_raise_hand))
    );

    let mut ended = delta(2, 3);
    ended.full_state = Some(FullState {
        state: Some("INACTIVE".into()),
        r#type: Some("MEETING".into()),
        ..FullState::default()
    });
    let events = events_after(meeting(2), ended);
    assert_eq!(
        events,
        [
            MeetingEvent::StateChanged {
                previous: Some(MeetingState::Active),
                current: Some(MeetingState::Inactive)
            },
            MeetingEvent::Ended {
                reason: EndReason::InactiveOrTerminating
            }
        ]
    );
}

#[test]
fn unchanged_members_are_reused_and_changed_ones_derived_again() {
    let mut state = LocusState::new(meeting(1));
    let before = MeetingView::derive(&state, DEVICE, FsmState::Joined, None);
    let mut update = delta(1, 2);
    update.participants = vec![participant("p-guest", "LEFT")];
    state.apply(update);
    let after = MeetingView::derive(&state, DEVICE, FsmState::Joined, Some(&before));
    assert!(Arc::ptr_eq(&before.members[0], &after.members[0]));
    assert!(!Arc::ptr_eq(&before.members[2], &after.members[2]));
    assert_eq!(after.members[2].status, MemberStatus::NotInMeeting);
    // The floor moving changes what members derive from: all are derived again.
    let mut update = delta(2, 3);
    update.media_shares = Some(vec![MediaShare {
        name: "content".into(),
        url: String::new(),
        floor: Some(Floor {
            disposition: Some("GRANTED".into()),
            beneficiary: Some(Beneficiary {
                id: Some("p-me".into()),
                ..Beneficiary::default()
            }),
            ..Floor::default()
        }),
    }]);
    state.apply(update);
    let shared = MeetingView::derive(&state, DEVICE, FsmState::Joined, Some(&after));
    assert!(shared.members[1].is_content_sharing);
    assert!(!Arc::ptr_eq(&after.members[0], &shared.members[0]));
    // A view of another state is never reused from.
    let other = LocusState::new(meeting(1));
    let fresh = MeetingView::derive(&other, DEVICE, FsmState::Joined, Some(&shared));
    assert!(!Arc::ptr_eq(&fresh.members[0], &shared.members[0]));
    assert_eq!(fresh, view_of(meeting(1)));
}
