//! Acceptance (issue 9), bad input: an answer lacking an m-line, a ROAP `ERROR` and an ICE
//! failure each end `add_media` with a typed error, within the protocol's bounds, and leave
//! the `Meeting` clean: no media, and media can be added again (then it works), or the
//! meeting left. The emulator spoils the real answer (`POST /_emulator/faults {"media"}`).
#![cfg(any(feature = "str0m", feature = "webrtc"))]

mod common;

use webex_emulator::{Emulator, MediaFault, MediaFaultKind};
use webex_media::MediaError;
use webex_media::roap::{ErrorType, RoapFailure};
use webex_meetings::{MediaFailure, MediaOptions, MeetingError, MeetingsExt};

use common::media::{Joined, joined, meeting};

/// Arms `kind` for `who`'s next offer, and answers `add_media`'s error.
async fn add_media_with(emulator: &Emulator, who: &Joined, kind: MediaFaultKind) -> MeetingError {
    let mut fault = MediaFault::new(kind);
    fault.person_id = Some(who.person.id.clone());
    emulator.add_media_fault(fault);
    let err = who
        .meeting
        .add_media(MediaOptions::new())
        .await
        .expect_err("a spoiled answer fails add_media");
    assert!(who.meeting.media().is_none(), "no media is left behind");
    err
}

/// Media can be added again (the fault is used up), then dropped by leaving.
async fn recovers(emulator: &Emulator, who: &Joined) {
    who.meeting
        .add_media(MediaOptions::new())
        .await
        .expect("media added again after the failure");
    let participant = who.meeting.view().unwrap().self_id.clone().unwrap();
    assert!(
        emulator
            .media_sessions()
            .iter()
            .any(|s| s.participant_id == participant && s.connected)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_without_the_share_m_line_is_a_typed_error_and_the_meeting_stays_clean() {
    let emulator = Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Mo Host", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let who = common::media::joined_as(&emulator, host, &number).await;
    let err = add_media_with(&emulator, &who, MediaFaultKind::DropMLine).await;
    assert!(
        matches!(
            err,
            MeetingError::Media(MediaFailure::Connection(
                MediaError::Sdp(_) | MediaError::Roap(RoapFailure::Local(_))
            ))
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("m-line"), "{err}");
    recovers(&emulator, &who).await;
    who.meeting.leave().await.unwrap();
    assert!(emulator.media_sessions().is_empty());
    who.webex.meetings().unregister().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roap_error_is_a_typed_error_and_the_meeting_stays_clean() {
    let emulator = Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Ro Host", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let who = common::media::joined_as(&emulator, host, &number).await;
    let err = add_media_with(&emulator, &who, MediaFaultKind::RoapError).await;
    assert!(
        matches!(
            &err,
            MeetingError::Media(MediaFailure::Connection(MediaError::Roap(
                RoapFailure::Remote {
                    error_type: ErrorType::Failed,
                    ..
                }
            )))
        ),
        "{err:?}"
    );
    recovers(&emulator, &who).await;
    // A clean meeting can also just leave.
    who.meeting.leave().await.unwrap();
    assert!(emulator.media_sessions().is_empty());
    who.webex.meetings().unregister().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ice_failure_is_a_typed_error_and_the_meeting_stays_clean() {
    let emulator = Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Ice Host", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let who = common::media::joined_as(&emulator, host, &number).await;
    let other = joined(&emulator, "Ivy Other", &number).await;
    let err = add_media_with(&emulator, &who, MediaFaultKind::Unreachable).await;
    assert!(
        matches!(
            err,
            MeetingError::Media(MediaFailure::Connection(MediaError::IceFailed(_)))
        ),
        "{err:?}"
    );
    // Adding media again resets the transport Locus knew (TURN discovery with an empty
    // media id): the unreachable session is freed and a new one connects.
    recovers(&emulator, &who).await;
    let participant = who.meeting.view().unwrap().self_id.clone().unwrap();
    assert_eq!(
        emulator
            .media_sessions()
            .iter()
            .filter(|s| s.participant_id == participant)
            .count(),
        1
    );
    who.meeting.leave().await.unwrap();
    other.meeting.leave().await.unwrap();
    for client in [who.webex, other.webex] {
        client.meetings().unregister().await.unwrap();
    }
}
