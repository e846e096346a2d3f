//! Our SDK in the browser interop suite's meeting (`interop/browser/run.js`): joins the
//! meeting given as the argument with `webex-meetings`, then prints one JSON line per
//! observation on stdout: `{"event": "joined"}`, `{"event": "member", ...}` for every member
//! as it changes (name, email, status, audio muted, muted server-side), `{"event":
//! "reaction", ...}` for a reaction relayed over the meeting's data channel, `{"event":
//! "warning", ...}` for an item of the event stream that is an error. It leaves when its
//! stdin closes or gets a line, prints `{"event": "left"}` and exits 0.
//!
//! Configured like every example: `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! (`WEBEX_SERVICES__DISCOVERY__U2C` and `..__HYDRA` point it at the emulator). Built and run
//! by `cargo xtask interop` (the browser suite); not an example to copy.

use std::io::BufRead;
use std::process::ExitCode;

use futures::StreamExt;
use serde_json::{Value, json};
use webex::meetings::JoinOptions;
use webex::meetings::events::MeetingEvent;
use webex::meetings::view::Member;
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
    meeting.leave().await?;
    print(&json!({"event": "left"}));
    webex.meetings().unregister().await?;
    webex.shutdown().await?;
    Ok(())
}
