//! Destinations that need a lookup: a Hydra room id becomes the room's conversation and its
//! meeting (meeting info by `conversationUrl`); a Hydra person id becomes that person's email.

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
