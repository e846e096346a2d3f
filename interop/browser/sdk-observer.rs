//! Our SDK in the browser interop suite's meeting (`interop/browser/run.js`): joins the
//! meeting given as the argument with `webex-meetings`, then prints one JSON line per
//! observation on stdout: `{"event": "joined"}`, `{"event": "member", ...}` for every member
//! as it changes (name, email, status, audio muted, muted server-side), `{"event":
//! "reaction", ...}` for a reaction relayed over the meeting's data channel, `{"event":
//! "warning", ...}` for an item of the event stream that is an error. After the join it adds
//! media speaking a 1 kHz tone (`{"event": "media", "connected": true}`, or `"error"`), and
//! prints one `{"event": "audio", ...}` per second of what it hears: the loudest 20 ms frame's
//! RMS and its levels at 400 Hz (Chromium's fake microphone beeps at 400 Hz) and 1 kHz (our
//! own tone, echoed while we are alone in the meeting's media). It leaves when its stdin
//! closes or gets a line, prints `{"event": "left"}` and exits 0.
//!
//! Configured like every example: `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! (`WEBEX_SERVICES__DISCOVERY__U2C` and `..__HYDRA` point it at the emulator). Built and run
//! by `cargo xtask interop` (the browser suite); not an example to copy.

use std::io::BufRead;
use std::process::ExitCode;

use futures::StreamExt;
use serde_json::{Value, json};
use webex::media::RemoteAudio;
use webex::media::audio::{AudioFrame, ToneSource, tone_level};
use webex::meetings::events::MeetingEvent;
use webex::meetings::view::Member;
use webex::meetings::{JoinOptions, MediaOptions};
use webex::prelude::*;

#[tokio::main]
async fn main() -> ExitCode {
    match observe().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sdk-observer: {err}");
            ExitCode::FAILURE
        }
    }
}

/// One line of JSON on stdout.
fn print(line: &Value) {
    println!("{line}");
}

/// What the suite checks of a member.
fn member(member: &Member) -> Value {
    json!({
        "event": "member",
        "name": member.name,
        "email": member.email,
        "status": format!("{:?}", member.status),
        "audioMuted": member.is_audio_muted,
        "audioMutedByServer": member.is_audio_muted_by_server,
    })
}

/// What our SDK speaks into the meeting.
const TONE_HZ: f32 = 1000.0;
/// What Chromium's fake microphone beeps at.
const BEEP_HZ: f32 = 400.0;
/// Frames per `audio` line: one second.
const FRAMES_PER_LINE: usize = 50;

/// Prints a line per second of what is heard, about its loudest frame.
async fn listen(mut audio: RemoteAudio) {
    let mut window: Vec<AudioFrame> = Vec::with_capacity(FRAMES_PER_LINE);
    while let Some(frame) = audio.next().await {
        let Ok(frame) = frame else { continue };
        window.push(frame);
        if window.len() < FRAMES_PER_LINE {
            continue;
        }
        let loudest = window
            .iter()
            .map(|f| (rms(&f.samples), f))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((loudness, frame)) = loudest {
            print(&json!({
                "event": "audio",
                "loudestRms": loudness,
                "loudest400": tone_level(&frame.samples, BEEP_HZ),
                "loudest1000": tone_level(&frame.samples, TONE_HZ),
            }));
        }
        window.clear();
    }
}

/// The RMS of `samples`, 0 to 1.
fn rms(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len() as f64).sqrt() / 32_768.0
}

async fn observe() -> Result<(), Box<dyn std::error::Error>> {
    let destination = std::env::args()
        .nth(1)
        .ok_or("usage: sdk-observer <meeting number, SIP URI or link>")?;
    let token = std::env::var("WEBEX_ACCESS_TOKEN").map_err(|_| "WEBEX_ACCESS_TOKEN is not set")?;
    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .load_config()?
        .access_token(token)
        .build()
        .await?;
    webex.meetings().register().await?;
    // Timed like the browser page times the official SDK: create() through join().
    let started = std::time::Instant::now();
    let meeting = webex.meetings().create(&destination, None).await?;
    let created = started.elapsed();
    let mut events = meeting.events();
    meeting.join(JoinOptions::default()).await?;
    let joined = started.elapsed();
    print(&json!({
        "event": "joined",
        "createMs": created.as_secs_f64() * 1e3,
        "createToJoinedMs": joined.as_secs_f64() * 1e3,
    }));
    if let Some(view) = meeting.view() {
        view.members.iter().for_each(|m| print(&member(m)));
    }
    let speaking = MediaOptions::new()
        .audio(ToneSource::new(TONE_HZ, 0.5))
        .receive_video(false)
        .receive_share(false);
    let listening = match meeting.add_media(speaking).await {
        Ok(()) => {
            print(&json!({"event": "media", "connected": true}));
            meeting
                .media()
                .map(|media| tokio::spawn(listen(media.remote_audio())))
        }
        Err(err) => {
            print(&json!({"event": "media", "error": err.to_string()}));
            None
        }
    };
    // The suite says when to leave by writing a line or closing stdin.
    let mut leave = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)
    });
    loop {
        tokio::select! {
            _ = &mut leave => break,
            item = events.next() => match item {
                None => break,
                Some(Err(err)) => print(&json!({"event": "warning", "error": err.to_string()})),
                Some(Ok(MeetingEvent::MembersUpdated { added, updated })) => {
                    added.iter().chain(&updated).for_each(|m| print(&member(m)));
                }
                Some(Ok(MeetingEvent::Reaction { sender, reaction, .. })) => {
                    print(&json!({"event": "reaction", "sender": sender, "reaction": reaction}));
                }
                Some(Ok(_)) => {}
            },
        }
    }
    if let Some(listening) = listening {
        listening.abort();
    }
    meeting.leave().await?;
    print(&json!({"event": "left"}));
    webex.meetings().unregister().await?;
    webex.shutdown().await?;
    Ok(())
}
