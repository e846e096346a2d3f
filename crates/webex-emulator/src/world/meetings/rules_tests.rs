//! Unit tests of the meeting rules on a world without services.

use uuid::Uuid;

use super::join::JoinRequest;
use super::locus::MAX_SEQUENCE;
use super::meeting::MeetingSpec;
use super::moderation::{ControlsPatch, ParticipantPatch};
use super::participant::ParticipantState;
use crate::bus::Bus;
use crate::kit::ids::{self, HydraType};
use crate::world::people::{NewPerson, PersonType};
use crate::world::{Data, Org};

fn person(data: &mut Data, email: &str) -> Uuid {
    let created = data
        .create_person(NewPerson {
            display_name: email.to_owned(),
            email: email.to_owned(),
            kind: PersonType::Person,
        })
        .unwrap();
    ids::decode_uuid(&created.id, HydraType::People).unwrap()
}

/// A world with a host and their meeting.
fn world_with_meeting() -> (Data, Uuid, super::meeting::Meeting) {
    let mut data = Data::new(Org::new(), Bus::default());
    let host = person(&mut data, "host@a.example");
    let meeting = data
        .create_meeting(MeetingSpec {
            title: "T".into(),
            host,
            password: None,
            lobby: false,
            invitees: Vec::new(),
        })
        .unwrap();
    (data, host, meeting)
}

fn request(person: Uuid) -> JoinRequest {
    JoinRequest {
        person,
        device_url: format!("http://device/{person}"),
        device_type: "WEB".into(),
        correlation_id: "c".into(),
        pin: None,
        moderator: false,
        supports_lobby: true,
    }
}

#[test]
fn every_change_advances_the_sequence_by_one_and_a_refusal_changes_nothing() {
    let (mut data, host, meeting) = world_with_meeting();
    let bob = person(&mut data, "bob@a.example");
    let joined = data.join_meeting(&meeting.number, &request(host)).unwrap();
    let locus = joined.locus;
    let first = data.meetings.locus(locus).unwrap().sequence;
    assert!(first < MAX_SEQUENCE);
    let bob_joined = data.join_meeting(&meeting.number, &request(bob)).unwrap();
    assert_eq!(data.meetings.locus(locus).unwrap().sequence, first + 1);

    // Bob may not lock; nothing changes, not even the sequence.
    let lock = ControlsPatch {
        locked: Some(true),
        ..ControlsPatch::default()
    };
    let before = data.meetings.locus(locus).unwrap().clone();
    assert!(data.update_controls(locus, bob, &lock).is_err());
    let after = data.meetings.locus(locus).unwrap();
    assert_eq!(after.sequence, before.sequence);
    assert!(!after.controls.locked);

    // The host may; what changed carries the new number.
    data.update_controls(locus, host, &lock).unwrap();
    let after = data.meetings.locus(locus).unwrap();
    assert_eq!(after.sequence, first + 2);
    assert_eq!(after.stamps.controls, first + 2);
    assert!(
        after
            .participant(bob_joined.participant)
            .unwrap()
            .changed_at
            < first + 2
    );

    // Transferring the host role moves `host`; taking it away is refused.
    let transfer = ParticipantPatch {
        roles: vec![("MODERATOR".into(), true)],
        ..ParticipantPatch::default()
    };
    data.update_participant(locus, host, bob_joined.participant, &transfer)
        .unwrap();
    let after = data.meetings.locus(locus).unwrap();
    assert_eq!(after.host, bob);
    assert!(
        !after
            .participant(joined.participant)
            .unwrap()
            .controls
            .roles
            .moderator
    );
    let drop = ParticipantPatch {
        roles: vec![("MODERATOR".into(), false)],
        ..ParticipantPatch::default()
    };
    assert!(
        data.update_participant(locus, bob, bob_joined.participant, &drop)
            .is_err()
    );

    // When the last one in the meeting leaves, it ends.
    data.leave(locus, host, joined.participant, None).unwrap();
    assert!(
        data.meetings
            .book
            .get(&meeting.number)
            .unwrap()
            .locus
            .is_some()
    );
    data.leave(locus, bob, bob_joined.participant, None)
        .unwrap();
    let after = data.meetings.locus(locus).unwrap();
    assert!(
        after
            .participants
            .iter()
            .all(|p| p.state == ParticipantState::Left)
    );
    assert!(
        data.meetings
            .book
            .get(&meeting.number)
            .unwrap()
            .locus
            .is_none()
    );
    // The next join starts a new locus with higher numbers.
    let again = data.join_meeting(&meeting.number, &request(host)).unwrap();
    assert_ne!(again.locus, locus);
    assert!(data.meetings.locus(again.locus).unwrap().sequence > first);
}

#[test]
fn the_sequence_stops_below_two_to_the_53() {
    let (mut data, host, meeting) = world_with_meeting();
    let joined = data.join_meeting(&meeting.number, &request(host)).unwrap();
    if let Some(locus) = data.meetings.locus_mut(joined.locus) {
        locus.sequence = MAX_SEQUENCE;
    }
    let lock = ControlsPatch {
        locked: Some(true),
        ..ControlsPatch::default()
    };
    assert!(data.update_controls(joined.locus, host, &lock).is_err());
    assert_eq!(
        data.meetings.locus(joined.locus).unwrap().sequence,
        MAX_SEQUENCE
    );
}
