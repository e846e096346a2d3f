//! 1:1 calls against the emulator's Locus: a call by email rings the callee's client as an
//! incoming meeting, which acknowledges and declines it (the caller's call ends) or answers
//! it by joining (the caller sees it answered) until one side hangs up; and a call to a
//! Hydra person id.

mod common;

use std::time::Duration;

use common::converge::converged_locus;
use common::{PluginEvents, next_matching};
use futures::StreamExt;
use futures::stream::BoxStream;
use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, PersonType};
use webex_meetings::events::{MeetingEvent, MeetingEventError};
use webex_meetings::view::{FsmState, MeetingState, MemberStatus, ParticipantState};
use webex_meetings::{
    AddedKind, DestinationType, JoinOptions, JoinOutcome, Meeting, MeetingsEvent, MeetingsExt,
    RemovedReason,
};

type MeetingEvents = BoxStream<'static, Result<MeetingEvent, MeetingEventError>>;

/// Alice and Bob, registered, with their plugin events from then on.
struct Pair {
    emulator: Emulator,
    bob: CreatedPerson,
    alice_client: Webex,
    bob_client: Webex,
    alice_events: PluginEvents,
    bob_events: PluginEvents,
}

impl Pair {
    async fn registered() -> Pair {
        let emulator = Emulator::start_default().await.unwrap();
        let alice = common::person(&emulator, "Alice", PersonType::Person);
        let bob = common::person(&emulator, "Bob", PersonType::Person);
        let alice_client = common::client(&emulator, &alice).await;
        let bob_client = common::client(&emulator, &bob).await;
        alice_client.meetings().register().await.unwrap();
        bob_client.meetings().register().await.unwrap();
        Pair {
            alice_events: alice_client.meetings().events(),
            bob_events: bob_client.meetings().events(),
            emulator,
            bob,
            alice_client,
            bob_client,
        }
    }
}

/// The next meeting added as incoming.
async fn incoming(events: &mut PluginEvents) -> Meeting {
    next_matching(events, |event| match event {
        MeetingsEvent::Added {
            meeting,
            kind: AddedKind::Incoming,
        } => Some(meeting),
        _ => None,
    })
    .await
}

/// How the other side answered, from a meeting's events.
async fn ringing_stopped(events: &mut MeetingEvents) -> (bool, bool) {
    let wait = async {
        while let Some(item) = events.next().await {
            if let Ok(MeetingEvent::RingingStopped {
                remote_answered,
                remote_declined,
            }) = item
            {
                return Some((remote_answered, remote_declined));
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(20), wait)
        .await
        .ok()
        .flatten()
        .expect("the ringing stops")
}

/// Why `meeting` left the collection.
async fn removed(events: &mut PluginEvents, meeting: &Meeting) -> RemovedReason {
    let id = meeting.id().to_owned();
    next_matching(events, move |event| match event {
        MeetingsEvent::Removed { meeting_id, reason } if meeting_id == id => Some(reason),
        _ => None,
    })
    .await
}

/// Both meetings of a call leave their collections because the call is inactive.
async fn ended_on_both_sides(
    caller_events: &mut PluginEvents,
    call: &Meeting,
    callee_events: &mut PluginEvents,
    ringing: &Meeting,
) {
    assert_eq!(
        removed(callee_events, ringing).await,
        RemovedReason::CallInactive
    );
    assert_eq!(
        removed(caller_events, call).await,
        RemovedReason::CallInactive
    );
}

#[tokio::test]
async fn a_call_by_email_is_declined_then_answered_and_hung_up() {
    let Pair {
        emulator,
        bob,
        alice_client,
        bob_client,
        mut alice_events,
        mut bob_events,
    } = Pair::registered().await;

    // Alice calls Bob by email: no meeting info, a CALL locus.
    let call = alice_client
        .meetings()
        .create(&bob.email, Some(DestinationType::OneOnOne))
        .await
        .unwrap();
    assert!(call.meeting_info().is_none());
    let mut call_events = call.events();
    assert_eq!(
        call.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    let view = call.view().unwrap();
    assert_eq!(view.meeting_type.as_deref(), Some("CALL"));
    assert_eq!(view.partner_state, Some(ParticipantState::Notified));
    assert_eq!(view.fsm, FsmState::Joined);

    // Bob's client sees an incoming meeting, ringing.
    let ringing = incoming(&mut bob_events).await;
    assert_eq!(ringing.locus_url(), call.locus_url());
    let view = ringing.view().unwrap();
    assert_eq!(view.self_state, Some(ParticipantState::Notified));
    assert_eq!(view.partner_state, Some(ParticipantState::Joined));
    assert_eq!(view.fsm, FsmState::Idle);
    converged_locus(&emulator, &ringing, "Bob").await;
    converged_locus(&emulator, &call, "Alice").await;

    // Acknowledged: ringing; the caller cannot acknowledge or decline.
    ringing.acknowledge().await.unwrap();
    assert_eq!(ringing.view().unwrap().fsm, FsmState::Ringing);
    assert!(call.acknowledge().await.is_err());
    assert!(call.decline(None).await.is_err());
    converged_locus(&emulator, &ringing, "Bob").await;
    converged_locus(&emulator, &call, "Alice").await;

    // Declined: the call ends on both sides.
    ringing.decline(Some("BUSY")).await.unwrap();
    assert_eq!(ringing_stopped(&mut call_events).await, (false, true));
    ended_on_both_sides(&mut alice_events, &call, &mut bob_events, &ringing).await;
    let view = call.view().unwrap();
    assert_eq!(view.partner_state, Some(ParticipantState::Declined));
    assert_eq!(view.fsm, FsmState::Declined);
    assert_eq!(view.meeting_state, Some(MeetingState::Inactive));
    assert_eq!(ringing.view().unwrap().fsm, FsmState::Ended);
    assert!(alice_client.meetings().list().is_empty());
    assert!(bob_client.meetings().list().is_empty());

    // Alice calls again; Bob answers by joining.
    let call = alice_client
        .meetings()
        .create(&bob.email, Some(DestinationType::OneOnOne))
        .await
        .unwrap();
    let mut call_events = call.events();
    call.join(JoinOptions::default()).await.unwrap();
    let ringing = incoming(&mut bob_events).await;
    assert_eq!(
        ringing.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    assert_eq!(ringing_stopped(&mut call_events).await, (true, false));
    let view = call
        .wait_for(|v| v.fsm == FsmState::Answered)
        .await
        .unwrap();
    assert_eq!(view.partner_state, Some(ParticipantState::Joined));
    for meeting in [&call, &ringing] {
        let view = meeting
            .wait_for(|v| {
                v.members
                    .iter()
                    .filter(|m| m.status == MemberStatus::InMeeting)
                    .count()
                    == 2
            })
            .await
            .unwrap();
        assert_eq!(view.self_state, Some(ParticipantState::Joined));
    }
    converged_locus(&emulator, &ringing, "Bob").await;
    converged_locus(&emulator, &call, "Alice").await;

    // Alice hangs up: Bob's call ends too.
    call.leave().await.unwrap();
    ended_on_both_sides(&mut alice_events, &call, &mut bob_events, &ringing).await;
    assert_eq!(
        ringing.view().unwrap().partner_state,
        Some(ParticipantState::Left)
    );
    assert_eq!(call.view().unwrap().fsm, FsmState::Ended);
}

#[tokio::test]
async fn a_call_to_a_person_id_rings_them_and_ends_when_they_hang_up() {
    let mut pair = Pair::registered().await;

    // The JS SDK's path: a Hydra person id is looked up and called by its email.
    let call = pair
        .alice_client
        .meetings()
        .create(&pair.bob.id, None)
        .await
        .unwrap();
    assert_eq!(call.destination(), pair.bob.email);
    call.join(JoinOptions::default()).await.unwrap();
    let ringing = incoming(&mut pair.bob_events).await;
    assert_eq!(ringing.locus_url(), call.locus_url());
    ringing.join(JoinOptions::default()).await.unwrap();
    call.wait_for(|v| v.fsm == FsmState::Answered)
        .await
        .unwrap();

    // Bob hangs up.
    ringing.leave().await.unwrap();
    ended_on_both_sides(
        &mut pair.alice_events,
        &call,
        &mut pair.bob_events,
        &ringing,
    )
    .await;
}
