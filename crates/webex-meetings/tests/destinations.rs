//! Destinations that need a lookup: a Hydra room id becomes the room's conversation and its
//! meeting (meeting info by `conversationUrl`); a Hydra person id becomes that person's email;
//! a Locus URL is joined directly.

mod common;

use serde_json::{Value, json};
use webex_core::http::{Request, Target};
use webex_emulator::{Emulator, PersonType};
use webex_meetings::{DestinationType, JoinOptions, JoinOutcome, MeetingsExt};

#[tokio::test]
async fn a_room_id_opens_the_rooms_meeting() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    webex.meetings().register().await.unwrap();
    let room: Value = webex
        .http()
        .json(
            Request::post(Target::service("hydra", "rooms"))
                .json(&json!({"title": "Team"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let room_id = room["id"].as_str().unwrap();

    let meeting = webex.meetings().create(room_id, None).await.unwrap();
    assert_eq!(meeting.destination_type(), DestinationType::Conversation);
    let conversation = meeting.conversation_url().unwrap();
    assert!(conversation.contains("/conversations/"), "{conversation}");
    assert!(
        meeting.meeting_number().is_some(),
        "meeting info found the room's meeting"
    );
    assert_eq!(
        meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    // The same room again is the same meeting.
    let again = webex.meetings().create(&conversation, None).await.unwrap();
    assert_eq!(again.id(), meeting.id());
}

#[tokio::test]
async fn a_person_id_is_looked_up_as_their_email() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let bob = common::person(&emulator, "Bob", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    webex.meetings().register().await.unwrap();
    let meeting = webex.meetings().create(&bob.id, None).await.unwrap();
    assert_eq!(meeting.destination_type(), DestinationType::SipUri);
    assert_eq!(meeting.destination(), bob.email);
    assert_eq!(meeting.sip_uri().as_deref(), Some(bob.email.as_str()));
}

#[tokio::test]
async fn a_locus_url_opens_the_meeting_on_locus() {
    let emulator = Emulator::start_default().await.unwrap();
    let host = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let attendee = common::person_with_email(&emulator, "Art Attendee", "art@acme.test");
    let created = emulator
        .create_meeting(webex_emulator::NewMeeting::new("Locus", "hana@acme.test"))
        .unwrap();
    let host_client = common::client(&emulator, &host).await;
    host_client.meetings().register().await.unwrap();
    let hosted = host_client
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    hosted.join(JoinOptions::default()).await.unwrap();
    let locus_url = hosted.locus_url().unwrap();

    let webex = common::client(&emulator, &attendee).await;
    webex.meetings().register().await.unwrap();
    let meeting = webex.meetings().create(&locus_url, None).await.unwrap();
    assert_eq!(meeting.destination_type(), DestinationType::LocusId);
    assert_eq!(meeting.locus_url().as_deref(), Some(locus_url.as_str()));
    assert_eq!(
        meeting.meeting_number().as_deref(),
        Some(created.meeting_number.as_str())
    );
    // Locus shows a meeting only to its participants: no state before the join, the number
    // comes from meeting info.
    assert!(meeting.view().is_none());
    assert_eq!(
        meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
    hosted
        .wait_for(|v| {
            v.members
                .iter()
                .filter(|m| m.status == webex_meetings::view::MemberStatus::InMeeting)
                .count()
                == 2
        })
        .await
        .unwrap();
}
