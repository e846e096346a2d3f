//! The seed examples for people (`webex.people.*`), with their asserts.

mod common;

use common::Setup;
use webex_messages::MessagesExt;
use webex_messages::Timestamp;
use webex_messages::people::{Person, PersonType};

fn assert_person(person: &Person) {
    assert!(!person.id.as_str().is_empty());
    // `Array.isArray(person.emails)` holds by type; every emulated person has one address.
    assert!(!person.emails.is_empty());
    assert!(!person.display_name.is_empty());
    assert!(person.created > Timestamp::UNIX_EPOCH);
}

#[tokio::test]
async fn get_person() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("Get Person Example").await.unwrap();
    let membership = s
        .webex
        .memberships()
        .create(&room.id)
        .person_email("alice@example.com")
        .await
        .unwrap();
    let alice = s.webex.people().get(membership.person_id).await.unwrap();
    assert_person(&alice);
    assert_eq!(
        alice
            .emails
            .iter()
            .filter(|e| *e == "alice@example.com")
            .count(),
        1
    );
}

#[tokio::test]
async fn get_me() {
    let s = Setup::new().await;
    let me = s.webex.people().me().await.unwrap();
    assert_eq!(me.id.as_str(), s.me.id);
    assert_eq!(me.person_type, PersonType::Person);
    assert_eq!(me.id.cluster().unwrap(), "us");
}

#[tokio::test]
async fn list_people_by_email() {
    let s = Setup::new().await;
    let room = s.webex.rooms().create("List People Example").await.unwrap();
    for email in ["alice@example.com", "bob@example.com"] {
        s.webex
            .memberships()
            .create(&room.id)
            .person_email(email)
            .await
            .unwrap();
    }
    let people = s
        .webex
        .people()
        .list()
        .email("alice@example.com")
        .await
        .unwrap();
    assert_eq!(people.items().len(), 1);
    assert_person(&people.items()[0]);
}

#[tokio::test]
async fn list_people_by_ids() {
    let s = Setup::new().await;
    let room = s
        .webex
        .rooms()
        .create("List People Array Example")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for email in ["alice@example.com", "bob@example.com"] {
        let membership = s
            .webex
            .memberships()
            .create(&room.id)
            .person_email(email)
            .await
            .unwrap();
        ids.push(membership.person_id);
    }
    let people = s.webex.people().list().ids(&ids).await.unwrap();
    assert_eq!(people.items().len(), 2);
    assert_person(&people.items()[0]);
}
