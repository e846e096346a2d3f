//! The lobby keep-alive on tokio's paused clock: a guest waiting in the lobby sends
//! `GET <keepAliveUrl>` every `(keepAliveSecs − 1) × 750` ms, and stops once admitted.

mod common;

use std::time::Duration;

use webex_emulator::{Emulator, NewMeeting};
use webex_meetings::{JoinOptions, JoinOutcome, MeetingsExt};

#[tokio::test(start_paused = true)]
async fn a_waiting_guest_keeps_alive_until_admitted() {
    let emulator = Emulator::start_default().await.unwrap();
    let host_person = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let guest_person = common::person_with_email(&emulator, "Gil Guest", "gil@elsewhere.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Lobby", "hana@acme.test").lobby(true))
        .unwrap();
    let host = common::client(&emulator, &host_person).await;
    let guest = common::client(&emulator, &guest_person).await;
    host.meetings().register().await.unwrap();
    guest.meetings().register().await.unwrap();
    let host_meeting = host
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    host_meeting.join(JoinOptions::default()).await.unwrap();
    let guest_meeting = guest
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    assert_eq!(
        guest_meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::InLobby
    );

    let view = guest_meeting.view().unwrap();
    let keep_alive = view
        .keep_alive
        .clone()
        .expect("Locus gives a keep-alive in the lobby");
    let path = url::Url::parse(&keep_alive.url).unwrap().path().to_owned();
    let period = Duration::from_millis((keep_alive.secs - 1) * 750);
    let sent = || emulator.request_count(&path);
    assert_eq!(sent(), 0, "nothing before the first period");
    tokio::time::sleep(period + Duration::from_millis(100)).await;
    assert_eq!(sent(), 1);
    tokio::time::sleep(period).await;
    assert_eq!(sent(), 2);

    let guest_id = view.self_id.clone().unwrap();
    common::in_lobby(&host_meeting, &guest_id).await;
    host_meeting
        .admit(&[&guest_id], Default::default())
        .await
        .unwrap();
    guest_meeting
        .wait_for(|v| v.keep_alive.is_none())
        .await
        .unwrap();
    let after_admit = sent();
    tokio::time::sleep(period * 3).await;
    assert!(
        sent() <= after_admit + 1,
        "at most one tick that was already due after the admit"
    );
    let settled = sent();
    tokio::time::sleep(period * 3).await;
    assert_eq!(sent(), settled, "no keep-alive once admitted");
}
