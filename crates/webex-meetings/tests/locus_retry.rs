//! Locus answering 503 without `Retry-After`: the request is sent once more after 2 s (the
//! JS SDK's Locus retry), and only once; a malformed answer to an action never panics.

mod common;

use webex_emulator::{Emulator, Fault, NewMeeting};
use webex_meetings::{JoinOptions, MeetingError, MeetingsExt};

async fn joined_host() -> (Emulator, webex_core::Webex, webex_meetings::Meeting, String) {
    let emulator = Emulator::start_default().await.unwrap();
    let host = common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Retry", "hana@acme.test"))
        .unwrap();
    let webex = common::client(&emulator, &host).await;
    webex.meetings().register().await.unwrap();
    let meeting = webex
        .meetings()
        .create(&created.meeting_number, None)
        .await
        .unwrap();
    meeting.join(JoinOptions::default()).await.unwrap();
    let controls = url::Url::parse(&format!("{}/controls", meeting.locus_url().unwrap()))
        .unwrap()
        .path()
        .to_owned();
    (emulator, webex, meeting, controls)
}

fn unavailable(path: &str, count: u32) -> Fault {
    Fault {
        status: Some(503),
        count,
        path_prefix: Some(path.to_owned()),
        method: Some("PATCH".into()),
        ..Fault::default()
    }
}

#[tokio::test(start_paused = true)]
async fn one_503_is_retried_after_two_seconds() {
    let (emulator, _webex, meeting, controls) = joined_host().await;
    emulator.add_fault(unavailable(&controls, 1));
    let started = tokio::time::Instant::now();
    meeting.lock().await.unwrap();
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "waited before the retry"
    );
    assert_eq!(emulator.request_count(&controls), 2);
    meeting.wait_for(|v| v.controls.locked).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_second_503_is_the_error() {
    let (emulator, _webex, meeting, controls) = joined_host().await;
    emulator.add_fault(unavailable(&controls, 2));
    match meeting.lock().await {
        Err(MeetingError::Http(err)) => assert_eq!(err.status().map(|s| s.as_u16()), Some(503)),
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(emulator.request_count(&controls), 2, "retried once only");
}

#[tokio::test]
async fn a_malformed_locus_in_an_answer_does_not_fail_the_action() {
    let (emulator, _webex, meeting, controls) = joined_host().await;
    emulator.add_fault(Fault {
        status: Some(200),
        path_prefix: Some(controls.clone()),
        method: Some("PATCH".into()),
        body: Some(r#"{"locus": {"url": 7, "sequence": "garbage"}}"#.into()),
        ..Fault::default()
    });
    meeting.lock().await.unwrap();
    assert!(meeting.view().is_some(), "the meeting still has its state");
}
