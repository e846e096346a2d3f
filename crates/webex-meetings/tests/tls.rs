//! The meeting data channel over wss against an emulator serving TLS (`webex-emulator
//! --tls`): its socket trusts the client's `extra_root_certificates` (the emulator's CA), as
//! the client's HTTP requests and Mercury do, so a reaction is relayed to the other member.

mod common;

use webex_emulator::{Emulator, EmulatorConfig, NewMeeting, TlsConfig};
use webex_meetings::events::MeetingEvent;
use webex_meetings::{JoinOptions, JoinOutcome, MeetingsExt, Reaction};

#[tokio::test]
async fn a_reaction_is_relayed_over_the_wss_data_channel_with_the_emulators_ca() {
    let emulator = Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig::default()),
        ..EmulatorConfig::default()
    })
    .await
    .expect("a TLS emulator starts");
    let ca = emulator
        .ca_path()
        .expect("a TLS emulator has a CA")
        .to_path_buf();
    let host_person = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let attendee_person = common::person_with_email(&emulator, "Art Attendee", "art@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Over TLS", "hana@acme.test"))
        .unwrap();

    let mut meetings = Vec::new();
    for person in [&host_person, &attendee_person] {
        let ca = ca.clone();
        let client = common::client_configured(&emulator, person, move |config| {
            config.extra_root_certificates = Some(ca);
        })
        .await;
        client.meetings().register().await.unwrap();
        let meeting = client
            .meetings()
            .create(&created.meeting_number, None)
            .await
            .unwrap();
        assert_eq!(
            meeting.join(JoinOptions::default()).await.unwrap(),
            JoinOutcome::Joined
        );
        meetings.push((client, meeting));
    }
    let [(_host, host_meeting), (_attendee, attendee_meeting)] = &meetings[..] else {
        unreachable!("two members")
    };
    let attendee_id = attendee_meeting.view().unwrap().self_id.clone().unwrap();

    let mut host_events = host_meeting.events();
    let relayed = common::events::send_until_relayed(
        attendee_meeting,
        Reaction::ThumbUp,
        &mut host_events,
        |event| {
            matches!(event, MeetingEvent::Reaction { sender, reaction, .. }
                if *sender == attendee_id && reaction == "thumb_up")
        },
    )
    .await;
    assert!(
        relayed,
        "the host's data channel received the attendee's reaction over wss"
    );
}
