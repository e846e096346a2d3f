//! Meeting info against the emulator: a wrong password is a typed error carrying what the
//! server said, three wrong passwords bring the captcha (solved, and refreshed), an unknown
//! meeting is a typed error, and the personal room is found.

mod common;

use webex_emulator::{Emulator, NewMeeting, PersonType};
use webex_meetings::info::{InfoFailureReason, PasswordStatus};
use webex_meetings::{DestinationType, JoinOptions, JoinOutcome, MeetingError, MeetingsExt};

const PASSWORD: &str = "s3cret-pw";

async fn setup() -> (Emulator, webex_core::Webex, String) {
    let emulator = Emulator::start_default().await.unwrap();
    common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let attendee = common::person_with_email(&emulator, "Art Attendee", "art@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Board", "hana@acme.test").password(PASSWORD))
        .unwrap();
    let webex = common::client(&emulator, &attendee).await;
    webex.meetings().register().await.unwrap();
    (emulator, webex, created.meeting_number)
}

#[tokio::test]
async fn a_wrong_password_is_a_typed_error_with_the_servers_message() {
    let (_emulator, webex, number) = setup().await;
    let meeting = webex.meetings().create(&number, None).await.unwrap();
    assert_eq!(meeting.password_status(), PasswordStatus::Required);
    assert_eq!(
        meeting.info_failure_reason(),
        InfoFailureReason::WrongPassword
    );

    let outcome = meeting.verify_password(Some("wrong"), None).await.unwrap();
    assert!(!outcome.is_password_valid);
    assert_eq!(outcome.failure_reason, InfoFailureReason::WrongPassword);
    match meeting.join(JoinOptions::default()).await {
        Err(MeetingError::PasswordRequired { message, .. }) => {
            assert!(
                !message.is_empty() && !message.contains("verify_password"),
                "{message}"
            );
        }
        other => panic!("expected a password error, got {other:?}"),
    }

    let outcome = meeting.verify_password(Some(PASSWORD), None).await.unwrap();
    assert!(outcome.is_password_valid, "{outcome:?}");
    assert_eq!(meeting.password_status(), PasswordStatus::Verified);
    assert_eq!(
        meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
}

#[tokio::test]
async fn three_wrong_passwords_bring_a_captcha_that_can_be_refreshed_and_solved() {
    let (emulator, webex, number) = setup().await;
    let meeting = webex.meetings().create(&number, None).await.unwrap();
    let mut outcome = None;
    for _ in 0..3 {
        outcome = Some(meeting.verify_password(Some("wrong"), None).await.unwrap());
    }
    let outcome = outcome.unwrap();
    let captcha = outcome
        .required_captcha
        .expect("a captcha after three wrong passwords");
    assert!(!outcome.is_password_valid);
    assert!(!captcha.captcha_id.is_empty());
    assert!(matches!(
        meeting.join(JoinOptions::default()).await,
        Err(MeetingError::CaptchaRequired { .. })
    ));

    // A wrong captcha code is told apart from a wrong password.
    let wrong = meeting
        .verify_password(Some(PASSWORD), Some("nope"))
        .await
        .unwrap();
    assert!(!wrong.is_password_valid);
    assert_eq!(wrong.failure_reason, InfoFailureReason::WrongCaptcha);

    let refreshed = meeting.refresh_captcha().await.unwrap();
    assert_eq!(meeting.required_captcha().as_ref(), Some(&refreshed));
    let code = emulator
        .meeting_captcha(&number)
        .expect("the emulator's captcha")
        .code;
    let solved = meeting
        .verify_password(Some(PASSWORD), Some(&code))
        .await
        .unwrap();
    assert!(solved.is_password_valid, "{solved:?}");
    assert_eq!(solved.failure_reason, InfoFailureReason::None);
    assert!(meeting.required_captcha().is_none());
    assert_eq!(
        meeting.join(JoinOptions::default()).await.unwrap(),
        JoinOutcome::Joined
    );
}

#[tokio::test]
async fn an_unknown_meeting_is_a_typed_error_and_is_not_kept() {
    let (_emulator, webex, _) = setup().await;
    for (destination, kind) in [
        ("29999999999", None),
        ("https://emulator.webex.com/meet/29999999999", None),
        ("29999999999", Some(DestinationType::MeetingNumber)),
    ] {
        match webex.meetings().create(destination, kind).await {
            Err(MeetingError::MeetingNotFound { message }) => assert!(!message.is_empty()),
            other => panic!("{destination}: expected an unknown meeting, got {other:?}"),
        }
    }
    assert!(webex.meetings().list().is_empty());
}

#[tokio::test]
async fn the_personal_room_is_found() {
    let emulator = Emulator::start_default().await.unwrap();
    let alice = common::person(&emulator, "Alice", PersonType::Person);
    let webex = common::client(&emulator, &alice).await;
    webex.meetings().register().await.unwrap();
    let room = webex.meetings().personal_room().await.unwrap();
    assert_eq!(room.is_pmr, Some(true));
    let sip = room
        .sip_url
        .clone()
        .expect("a personal room has a SIP address");
    let meeting = webex.meetings().create(&sip, None).await.unwrap();
    assert_eq!(meeting.destination_type(), DestinationType::SipUri);
    assert_eq!(meeting.meeting_info().and_then(|i| i.is_pmr), Some(true));
}

#[tokio::test]
async fn the_host_key_makes_a_moderator() {
    let emulator = Emulator::start_default().await.unwrap();
    common::person_with_email(&emulator, "Hana Host", "hana@acme.test");
    let deputy = common::person_with_email(&emulator, "Dee Deputy", "dee@elsewhere.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Keyed", "hana@acme.test").lobby(true))
        .unwrap();
    let webex = common::client(&emulator, &deputy).await;
    webex.meetings().register().await.unwrap();
    let meeting = webex
        .meetings()
        .create(&created.web_link, None)
        .await
        .unwrap();
    assert_eq!(meeting.destination_type(), DestinationType::MeetingLink);
    // With the host key, an outsider skips the lobby and moderates.
    let outcome = meeting
        .join(JoinOptions::host(&created.host_key))
        .await
        .unwrap();
    assert_eq!(outcome, JoinOutcome::Joined);
    let view = meeting.view().unwrap();
    assert!(view.me.roles.moderator, "{:?}", view.me.roles);
    assert!(view.in_meeting_actions.can_lock);
}
