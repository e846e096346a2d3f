//! The collection and Locus routing: a meeting joined on one device of a person reaches that
//! person's other devices over Mercury as a new meeting (added, kind `Join`), a client that
//! starts later finds it with `sync_meetings()`, and both drop it when it ends.

mod common;

use common::next_matching;
use webex_emulator::{Emulator, NewMeeting};
use webex_meetings::{AddedKind, JoinOptions, MeetingsEvent, MeetingsExt, RemovedReason};

#[tokio::test]
async fn a_join_elsewhere_reaches_the_other_devices_and_sync_finds_it() {
    let emulator = Emulator::start_default().await.unwrap();
    let person = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Sync", "hana@acme.test"))
        .unwrap();

    let laptop = common::client(&emulator, &person).await;
    let phone = common::client(&emulator, &person).await;
    laptop.meetings().register().await.unwrap();
    phone.meetings().register().await.unwrap();
    let mut phone_events = phone.meetings().events();

    let meeting = laptop
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    meeting.join(JoinOptions::default()).await.unwrap();
    let locus_url = meeting.locus_url().unwrap();

    let (seen, kind) = next_matching(&mut phone_events, |event| match event {
        MeetingsEvent::Added { meeting, kind } => Some((meeting, kind)),
        _ => None,
    })
    .await;
    assert_eq!(kind, AddedKind::Join);
    assert_eq!(seen.locus_url().as_deref(), Some(locus_url.as_str()));
    assert_eq!(
        phone
            .meetings()
            .by_locus_url(&locus_url)
            .map(|m| m.id().to_owned()),
        Some(seen.id().to_owned())
    );
    assert_eq!(
        seen.meeting_number().as_deref(),
        Some(created.meeting_number.as_str())
    );

    // A client that starts now learns of it from Locus.
    let desktop = common::client(&emulator, &person).await;
    desktop.meetings().register().await.unwrap();
    assert!(desktop.meetings().list().is_empty());
    desktop.meetings().sync_meetings().await.unwrap();
    let synced = desktop.meetings().list();
    assert_eq!(synced.len(), 1);
    assert_eq!(synced[0].locus_url().as_deref(), Some(locus_url.as_str()));
    assert!(
        synced[0]
            .view()
            .is_some_and(|v| v.members.iter().any(|m| m.person_id.is_some()))
    );

    // It ends: the phone is told by Locus, the desktop by the next sync.
    let mut desktop_events = desktop.meetings().events();
    meeting.end_for_all().await.unwrap();
    let reason = next_matching(&mut phone_events, |event| match event {
        MeetingsEvent::Removed { reason, .. } => Some(reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, RemovedReason::MeetingInactiveTerminating);
    assert!(phone.meetings().list().is_empty());
    desktop.meetings().sync_meetings().await.unwrap();
    let reason = next_matching(&mut desktop_events, |event| match event {
        MeetingsEvent::Removed { reason, .. } => Some(reason),
        _ => None,
    })
    .await;
    assert!(
        matches!(
            reason,
            RemovedReason::NoMeetingsToSync | RemovedReason::MeetingInactiveTerminating
        ),
        "{reason:?}"
    );
    assert!(desktop.meetings().list().is_empty());
}
