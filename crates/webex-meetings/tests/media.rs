//! Acceptance (issue 9): audio between two of our clients in one emulated meeting, through
//! `Meeting::add_media` (TURN discovery, ROAP over `PUT {selfUrl}/media`, ICE and DTLS to the
//! emulator's media server). A plays a 1 kHz tone, B hears it (checked by frequency); muting
//! A stops the tone at B, unmuting brings it back; leaving closes A's connection and the
//! media server frees A's session.
//!
//! Real UDP on tokio's real clock: nothing is asserted about durations. Levels are measured
//! over frames counted from an event (the mute returning), and every wait is bounded
//! generously so a failure ends the test with what was heard.
#![cfg(any(feature = "str0m", feature = "webrtc"))]

mod common;

use std::time::Duration;

use futures::StreamExt;
use webex_media::audio::ToneSource;
use webex_media::{Backend, MediaError, MediaKind, StreamDirection};
use webex_meetings::events::{MediaKind as MeetingMediaKind, MeetingEvent};
use webex_meetings::{MediaOptions, MeetingError, MeetingsExt};

use common::media::{MEDIA_WAIT, Recorder, has_tone, joined, meeting};

/// Frames in 200 ms: what may still be in flight when a mute returns.
const IN_FLIGHT: usize = 10;
/// Frames measured at a time (one second).
const WINDOW: usize = 50;

#[cfg(feature = "str0m")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tone_reaches_the_other_client_mute_stops_it_and_leave_frees_the_session() {
    tone_mute_and_leave(Backend::Str0m).await;
}

#[cfg(feature = "webrtc")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_webrtc_rs_a_tone_reaches_the_other_client_mute_stops_it_and_leave_frees_it() {
    tone_mute_and_leave(Backend::WebrtcRs).await;
}

/// Both clients on `backend`.
async fn tone_mute_and_leave(backend: Backend) {
    let emulator = webex_emulator::Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Ada Speaker", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let a = common::media::joined_as(&emulator, host, &number).await;
    let b = joined(&emulator, "Ben Listener", &number).await;

    let mut b_events = b.meeting.events();
    a.meeting
        .add_media(
            MediaOptions::new()
                .audio(ToneSource::new(1000.0, 0.5))
                .backend(backend),
        )
        .await
        .expect("A adds media");
    b.meeting
        .add_media(MediaOptions::new().backend(backend))
        .await
        .expect("B adds media (receive only)");
    let heard = Recorder::start(&b.meeting);

    // B hears A's tone, by frequency.
    let tone_at = heard.wait_for_tone(0, WINDOW, 1000.0).await;
    let samples = heard.samples(tone_at, tone_at + WINDOW);
    assert!(
        webex_media::audio::tone_level(&samples, 1000.0)
            > 100.0 * webex_media::audio::tone_level(&samples, 700.0),
        "1 kHz must dominate 700 Hz"
    );
    // ... and the meeting told B that media is negotiated, connected and audio ready.
    let mut seen = (false, false);
    let told = async {
        while let Some(Ok(event)) = b_events.next().await {
            match event {
                MeetingEvent::MediaNegotiated => seen.0 = true,
                MeetingEvent::MediaReady {
                    kind: MeetingMediaKind::Audio,
                } => seen.1 = true,
                _ => {}
            }
            if seen == (true, true) {
                return;
            }
        }
    };
    tokio::time::timeout(MEDIA_WAIT, told)
        .await
        .expect("B's meeting tells of the negotiation and the first audio");

    // Stats: B received audio packets, with the loss field; A sent them.
    let b_stats = b.meeting.media().unwrap().stats().await.unwrap();
    let received = b_stats
        .streams
        .iter()
        .find(|s| s.kind == MediaKind::Audio && s.direction == StreamDirection::Receive)
        .expect("B has a receiving audio stream");
    assert!(received.packets > 0 && received.bytes > 0, "{received:?}");
    assert!(received.packets_lost <= received.packets, "{received:?}");

    // Mute A: from ~200 ms after the mute returned, B hears no tone.
    a.meeting.mute_audio().await.unwrap();
    assert!(a.meeting.media().unwrap().audio_muted());
    let muted_at = heard.len();
    let a_sent = sent_audio_packets(&a.meeting).await;
    // Give a second for packets to arrive if any still would; frames that do arrive must
    // carry no tone.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_mute = heard.samples(muted_at + IN_FLIGHT, muted_at + IN_FLIGHT + WINDOW);
    assert!(
        after_mute.is_empty() || !has_tone(&after_mute, 1000.0),
        "B still hears the tone {} samples after A muted",
        after_mute.len()
    );
    // A sent nothing more meanwhile (a packet or two in flight when muting at most).
    let a_sent_later = sent_audio_packets(&a.meeting).await;
    assert!(
        a_sent_later <= a_sent + 2,
        "A kept sending: {a_sent} → {a_sent_later}"
    );

    // Unmute A: the tone comes back.
    a.meeting.unmute_audio().await.unwrap();
    let unmuted_at = heard.len();
    heard.wait_for_tone(unmuted_at, WINDOW, 1000.0).await;

    // The connections' RTC metrics reach the metrics service (first sent after 5 s).
    let metrics_sent = async {
        while emulator.request_count("/telemetry/api/v1/metric/v2") == 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(MEDIA_WAIT, metrics_sent)
        .await
        .expect("RTC metrics are posted to the metrics service");

    // A leaves: its connection is closed, and the media server frees its session.
    let a_participant = a.meeting.view().unwrap().self_id.clone().unwrap();
    assert!(
        emulator
            .media_sessions()
            .iter()
            .any(|s| s.participant_id == a_participant),
        "A has a media session while in the meeting"
    );
    let a_connection = a.meeting.media().unwrap();
    a.meeting.leave().await.unwrap();
    assert!(a.meeting.media().is_none());
    assert!(matches!(
        a_connection.stats().await,
        Err(MediaError::Closed)
    ));
    assert!(
        !emulator
            .media_sessions()
            .iter()
            .any(|s| s.participant_id == a_participant),
        "the media server still lists A's session: {:?}",
        emulator.media_sessions()
    );

    b.meeting.leave().await.unwrap();
    assert!(emulator.media_sessions().is_empty());
    // B's meeting told that the audio it had stopped.
    let stopped = async {
        while let Some(Ok(event)) = b_events.next().await {
            if event
                == (MeetingEvent::MediaStopped {
                    kind: MeetingMediaKind::Audio,
                })
            {
                return;
            }
        }
        panic!("B's events ended without MediaStopped");
    };
    tokio::time::timeout(MEDIA_WAIT, stopped)
        .await
        .expect("B's meeting tells of its audio stopping");
    for client in [a.webex, b.webex] {
        client.meetings().unregister().await.unwrap();
    }
}

/// Audio packets `meeting`'s connection sent so far.
async fn sent_audio_packets(meeting: &webex_meetings::Meeting) -> u64 {
    meeting
        .media()
        .unwrap()
        .stats()
        .await
        .unwrap()
        .streams
        .iter()
        .filter(|s| s.kind == MediaKind::Audio && s.direction == StreamDirection::Send)
        .map(|s| s.packets)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_needs_a_joined_meeting_and_is_added_once() {
    let emulator = webex_emulator::Emulator::start_default().await.unwrap();
    let host = common::person(&emulator, "Hal Host", webex_emulator::PersonType::Person);
    let number = meeting(&emulator, &host);
    let webex = common::client(&emulator, &host).await;
    webex.meetings().register().await.unwrap();
    let meeting = webex.meetings().create(&number, None).await.unwrap();
    let err = meeting.add_media(MediaOptions::new()).await.unwrap_err();
    assert!(matches!(err, MeetingError::InvalidState { .. }), "{err}");
    let err = meeting.update_media(Some(false), None).await.unwrap_err();
    assert!(matches!(err, MeetingError::InvalidState { .. }), "{err}");

    meeting
        .join_with_media(webex_meetings::JoinOptions::default(), MediaOptions::new())
        .await
        .unwrap();
    assert!(meeting.media().is_some());
    let err = meeting.add_media(MediaOptions::new()).await.unwrap_err();
    assert!(matches!(err, MeetingError::InvalidState { .. }), "{err}");

    // Renegotiations: audio off and on, video off, a share started and stopped.
    meeting
        .update_media(Some(false), Some(false))
        .await
        .unwrap();
    meeting.update_media(Some(true), None).await.unwrap();
    meeting.start_share().await.unwrap();
    let self_id = meeting.view().unwrap().self_id.clone();
    meeting
        .wait_for(|v| v.floor.content.is_some() && v.floor.content == self_id)
        .await
        .unwrap();
    assert!(matches!(
        meeting.start_share().await,
        Err(MeetingError::InvalidState { .. })
    ));
    meeting.stop_share().await.unwrap();
    meeting
        .wait_for(|v| v.floor.content.is_none())
        .await
        .unwrap();
    meeting.leave().await.unwrap();
    assert!(meeting.media().is_none());
    webex.meetings().unregister().await.unwrap();
}
