//! The meeting bot (the example's own code, `webex_examples::meeting_bot`) on the emulator:
//! it plays a 700 Hz WAV file into a meeting, where another client (playing 1 kHz) hears it,
//! and records the 1 kHz tone to a WAV file, checked by frequency; it leaves when stopped,
//! after `seconds`, or returns when the meeting ends.
//!
//! Real UDP on tokio's real clock: nothing is asserted about durations; waits are bounded
//! generously and a failure says what was heard.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{client, person};
use futures::StreamExt;
use tokio::sync::oneshot;
use webex::media::audio::{AudioSource, ToneSource, WavSource, WavWriter, tone_level};
use webex::meetings::{JoinOptions, MediaOptions, Meeting};
use webex_emulator::{Emulator, NewMeeting};
use webex_examples::meeting_bot::{self, BotOptions, RunEnd};

/// A fresh scratch directory for this test's WAV files.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("meeting-bot-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `seconds` of a `frequency` tone to a WAV file.
fn tone_wav(path: &Path, frequency: f32, seconds: usize) {
    let mut tone = ToneSource::new(frequency, 0.5);
    let mut writer = WavWriter::create(path).unwrap();
    for _ in 0..seconds * 50 {
        writer.write(&tone.next_frame().unwrap()).unwrap();
    }
    writer.finalize().unwrap();
}

/// Whether one second of `samples` somewhere carries `frequency` clearly.
fn carries(samples: &[i16], frequency: f32, other: f32) -> bool {
    samples.chunks(48_000).any(|second| {
        let level = tone_level(second, frequency);
        level > 0.01 && level > 20.0 * tone_level(second, other)
    })
}

/// Waits (bounded) until `meeting`'s remote audio carries `frequency`.
async fn hears(meeting: &Meeting, frequency: f32, other: f32) {
    let mut audio = meeting.media().unwrap().remote_audio();
    let listen = async {
        let mut samples = Vec::new();
        while let Some(frame) = audio.next().await {
            if let Ok(frame) = frame {
                samples.extend(frame.samples);
            }
            if samples.len() >= 48_000 {
                if carries(&samples, frequency, other) {
                    return;
                }
                samples.drain(..24_000);
            }
        }
        panic!("the remote audio ended");
    };
    tokio::time::timeout(Duration::from_secs(30), listen)
        .await
        .unwrap_or_else(|_| panic!("never heard {frequency} Hz"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_plays_its_wav_and_records_what_it_hears_until_stopped() {
    let emulator = Emulator::start_default().await.unwrap();
    let bot_person = person(&emulator, "Bea Bot", "bea@acme.test");
    let peer_person = person(&emulator, "Pia Peer", "pia@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Bot", "bea@acme.test"))
        .unwrap();
    let dir = scratch();
    let (play, record) = (dir.join("in.wav"), dir.join("out.wav"));
    tone_wav(&play, 700.0, 1);

    let bot_client = client(&emulator, &bot_person).await;
    let bot_meeting = common::meeting(&bot_client, &created.meeting_number).await;
    let (stop, stopped) = oneshot::channel::<()>();
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let bot = {
        let (meeting, lines) = (bot_meeting.clone(), lines.clone());
        let options = BotOptions {
            play: Some(play.clone()),
            record: Some(record.clone()),
            seconds: None,
            join: JoinOptions::default(),
        };
        tokio::spawn(async move {
            meeting_bot::run(
                &meeting,
                options,
                |line| lines.lock().unwrap().push(line),
                async {
                    let _ = stopped.await;
                },
            )
            .await
        })
    };

    let peer_client = client(&emulator, &peer_person).await;
    let peer = common::meeting(&peer_client, &created.meeting_number).await;
    peer.join_with_media(
        JoinOptions::default(),
        MediaOptions::new().audio(ToneSource::new(1000.0, 0.5)),
    )
    .await
    .unwrap();
    // The bot's WAV (looping, so still heard after its one second) reaches the peer.
    hears(&peer, 700.0, 1000.0).await;
    // Let the bot record a few seconds of the peer's tone, then stop it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.send(()).unwrap();
    let outcome = bot.await.unwrap().unwrap();
    assert_eq!(outcome.end, RunEnd::Stopped);
    assert!(outcome.frames_recorded > 0);
    assert!(bot_meeting.media().is_none(), "the bot left with its media");

    let mut recorded = WavSource::open(&record, false).unwrap();
    let mut samples = Vec::new();
    while let Some(frame) = recorded.next_frame() {
        samples.extend(frame.samples);
    }
    assert!(
        carries(&samples, 1000.0, 700.0),
        "the recording ({} samples) lacks the peer's 1 kHz tone",
        samples.len()
    );
    let lines = lines.lock().unwrap().clone();
    assert!(
        lines.iter().any(|l| l.starts_with("recording to")),
        "{lines:?}"
    );

    peer.leave().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_leaves_after_its_seconds_and_returns_when_the_meeting_ends() {
    let emulator = Emulator::start_default().await.unwrap();
    let host_person = person(&emulator, "Hedy Host", "hedy@acme.test");
    let bot_person = person(&emulator, "Bo Bot", "bo@acme.test");
    let created = emulator
        .create_meeting(NewMeeting::new("Bot", "hedy@acme.test"))
        .unwrap();
    let host_client = client(&emulator, &host_person).await;
    let host = common::meeting(&host_client, &created.meeting_number).await;
    host.join(JoinOptions::default()).await.unwrap();

    // --seconds: it leaves on its own, freeing its media session.
    let bot_client = client(&emulator, &bot_person).await;
    let bot_meeting = common::meeting(&bot_client, &created.meeting_number).await;
    let options = BotOptions {
        seconds: Some(1),
        ..BotOptions::default()
    };
    let outcome = meeting_bot::run(&bot_meeting, options, |_| {}, std::future::pending())
        .await
        .unwrap();
    assert_eq!(outcome.end, RunEnd::TimeUp);
    assert!(emulator.media_sessions().is_empty());

    // The meeting ends: the bot returns.
    let again = common::meeting(&bot_client, &created.meeting_number).await;
    let bot = tokio::spawn(async move {
        meeting_bot::run(
            &again,
            BotOptions::default(),
            |_| {},
            std::future::pending(),
        )
        .await
    });
    // Once the bot's media is up, the host ends the meeting.
    let media_up = async {
        while !emulator.media_sessions().iter().any(|s| s.connected) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), media_up)
        .await
        .expect("the bot connects its media");
    host.end_for_all().await.unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(30), bot)
        .await
        .expect("the bot returns when the meeting ends")
        .unwrap()
        .unwrap();
    assert_eq!(outcome.end, RunEnd::MeetingEnded);
}
