//! Acceptance (issue 8): three people — a host, an attendee of the host's company and a guest
//! from elsewhere who waits in the lobby — on the emulator: create, join, admit, the host
//! mutes the attendee, lock, a reaction, recording start and stop, floor request and release,
//! leave. After each step every participant's view converges to the emulator's state.

mod common;

use common::converge::converged;
use common::events::{send_until_relayed, wait_event};
use futures::StreamExt;
use webex_emulator::{DeltaFaultMode, Emulator, LocusFault, NewMeeting};
use webex_meetings::events::MeetingEvent;
use webex_meetings::view::MemberStatus;
use webex_meetings::{
    JoinOptions, JoinOutcome, Layout, Medium, Meeting, MeetingError, MeetingsEvent, MeetingsExt,
    Reaction, RemovedReason, ShareKind,
};

#[tokio::test]
async fn host_attendee_and_lobby_guest_converge_through_a_whole_meeting() {
    let emulator = Emulator::start_default().await.unwrap();
    let host_person = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let attendee_person = common::person_with_email(&emulator, "Art Attendee", "art@acme.test");
    let guest_person = common::person_with_email(&emulator, "Gil Guest", "gil@elsewhere.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Planning", "hana@acme.test").lobby(true))
        .unwrap();
    let number = created.meeting_number.clone();

    let host = common::client(&emulator, &host_person).await;
    let attendee = common::client(&emulator, &attendee_person).await;
    let guest = common::client(&emulator, &guest_person).await;
    for client in [&host, &attendee, &guest] {
        client.meetings().register().await.unwrap();
    }
    let mut host_plugin_events = host.meetings().events();

    // Create: by number, SIP URI and link, each inferred.
    let host_meeting = host.meetings().create(&number, None).await.unwrap();
    let attendee_meeting = attendee
        .meetings()
        .create(&created.sip_uri, None)
        .await
        .unwrap();
    let guest_meeting = guest
        .meetings()
        .create(&created.web_link, None)
        .await
        .unwrap();
    match host_plugin_events.next().await {
        Some(Ok(MeetingsEvent::Added { meeting, .. })) => {
            assert_eq!(meeting.id(), host_meeting.id())
        }
        other => panic!("expected the meeting added, got {other:?}"),
    }
    assert_eq!(
        host.meetings()
            .by_meeting_number(&number)
            .map(|m| m.id().to_owned()),
        Some(host_meeting.id().to_owned())
    );
    let all = [
        (&host_meeting, "host"),
        (&attendee_meeting, "attendee"),
        (&guest_meeting, "guest"),
    ];

    // Join: the host and the attendee are in, the guest waits in the lobby.
    assert_eq!(
        host_meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    assert_eq!(
        attendee_meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    let mut guest_events = guest_meeting.events();
    assert_eq!(
        guest_meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::InLobby
    );
    let guest_id = guest_meeting.view().unwrap().self_id.clone().unwrap();
    let attendee_id = attendee_meeting.view().unwrap().self_id.clone().unwrap();
    // Waiting guests may not act in the meeting: refused locally.
    assert!(matches!(
        guest_meeting.send_reaction(Reaction::Clap).await,
        Err(MeetingError::InvalidState { .. })
    ));
    let host_view = common::in_lobby(&host_meeting, &guest_id).await;
    assert!(host_view.in_meeting_actions.can_admit_participant);
    converge(&emulator, &number, &all).await;

    // Admit.
    host_meeting
        .admit(&[&guest_id], Default::default())
        .await
        .unwrap();
    guest_meeting
        .wait_for(|v| {
            v.keep_alive.is_none()
                && v.members
                    .iter()
                    .any(|m| m.is_self && m.status == MemberStatus::InMeeting)
        })
        .await
        .unwrap();
    assert!(
        wait_event(&mut guest_events, |e| matches!(e, MeetingEvent::Admitted)).await,
        "the guest is told it was admitted"
    );
    converge(&emulator, &number, &all).await;

    // The host mutes the attendee.
    let mut attendee_events = attendee_meeting.events();
    host_meeting
        .mute_member(&attendee_id, Medium::Audio, true)
        .await
        .unwrap();
    assert!(
        wait_event(&mut attendee_events, |e| matches!(
            e,
            MeetingEvent::SelfMutedByOthers
        ))
        .await
    );
    converge(&emulator, &number, &all).await;

    // Lock: the attendee may not, the host may. The guest misses the lock's Locus delta
    // (dropped by the emulator); it notices the gap at the next delta (the recording's) and
    // converges through a sync.
    emulator.add_locus_fault(LocusFault {
        locus: "drop-deltas".into(),
        count: 1,
        person_id: Some(guest_person.id.clone()),
        mode: DeltaFaultMode::Drop,
    });
    assert!(matches!(
        attendee_meeting.lock().await,
        Err(MeetingError::NotPermitted { .. })
    ));
    host_meeting.lock().await.unwrap();
    assert!(wait_event(&mut attendee_events, |e| matches!(e, MeetingEvent::Locked)).await);
    converge(&emulator, &number, &all[..2]).await;

    // A reaction, relayed over the data channel to the others. Their data channels connect
    // in the background after the join (the guest's after the admit): send until it lands.
    let mut host_events = host_meeting.events();
    let is_thumb = |e: &MeetingEvent| {
        matches!(e, MeetingEvent::Reaction { sender, reaction, .. }
            if *sender == attendee_id && reaction == "thumb_up")
    };
    let relayed = send_until_relayed(
        &attendee_meeting,
        Reaction::ThumbUp,
        &mut host_events,
        is_thumb,
    )
    .await;
    assert!(relayed, "the host received the attendee's reaction");
    assert!(
        wait_event(&mut guest_events, is_thumb).await,
        "the guest received it too"
    );

    // Recording start and stop.
    host_meeting.start_recording().await.unwrap();
    guest_meeting
        .wait_for(|v| v.controls.recording.recording)
        .await
        .unwrap();
    converge(&emulator, &number, &all).await;
    // Only the actions the display hints offer now: no resume while recording.
    assert!(matches!(
        host_meeting.resume_recording().await,
        Err(MeetingError::NotPermitted { .. })
    ));
    host_meeting.pause_recording().await.unwrap();
    attendee_meeting
        .wait_for(|v| v.controls.recording.paused)
        .await
        .unwrap();
    host_meeting.resume_recording().await.unwrap();
    attendee_meeting
        .wait_for(|v| v.controls.recording.recording && !v.controls.recording.paused)
        .await
        .unwrap();
    converge(&emulator, &number, &all).await;
    host_meeting.stop_recording().await.unwrap();
    guest_meeting
        .wait_for(|v| !v.controls.recording.recording)
        .await
        .unwrap();
    converge(&emulator, &number, &all).await;

    // A layout for the host's device.
    host_meeting
        .change_layout(Layout::ActivePresence)
        .await
        .unwrap();

    // Floor request and release.
    attendee_meeting
        .request_floor(ShareKind::Content)
        .await
        .unwrap();
    host_meeting
        .wait_for(|v| v.floor.content.as_deref() == Some(attendee_id.as_str()))
        .await
        .unwrap();
    converge(&emulator, &number, &all).await;
    attendee_meeting
        .release_floor(ShareKind::Content)
        .await
        .unwrap();
    host_meeting
        .wait_for(|v| v.floor.content.is_none())
        .await
        .unwrap();
    converge(&emulator, &number, &all).await;

    // Leave: the guest and the attendee, then the host; the meeting ends and leaves the
    // host's collection.
    guest_meeting.leave().await.unwrap();
    attendee_meeting.leave().await.unwrap();
    converge(&emulator, &number, &[(&host_meeting, "host")]).await;
    host_meeting.leave().await.unwrap();
    loop {
        match host_plugin_events.next().await {
            Some(Ok(MeetingsEvent::Removed { meeting_id, reason })) => {
                assert_eq!(meeting_id, host_meeting.id());
                assert_eq!(reason, RemovedReason::MeetingInactiveTerminating);
                break;
            }
            Some(_) => {}
            None => panic!("the plugin's events ended before the meeting was removed"),
        }
    }
    assert!(host.meetings().list().is_empty());
    assert!(matches!(
        host_meeting.leave().await,
        Err(MeetingError::InvalidState { .. })
    ));
}

/// Every meeting's view converges to the emulator's.
async fn converge(emulator: &Emulator, number: &str, meetings: &[(&Meeting, &str)]) {
    for (meeting, who) in meetings {
        converged(emulator, number, meeting, who).await;
    }
}
