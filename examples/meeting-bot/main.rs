//! Meeting bot: joins a meeting with audio, plays a WAV file into it (looping), records what
//! it hears to a WAV file, and leaves after N seconds, on Ctrl-C, or when the meeting ends.
//!
//! ```text
//! cargo run --example meeting-bot                                        # a demo meeting on a local emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example meeting-bot -- 23456789012 --play hello.wav --record heard.wav --seconds 60
//! WEBEX_ACCESS_TOKEN=... cargo run --example meeting-bot -- alice@example.webex.com --record heard.wav
//! cargo run --example meeting-bot -- --help
//! ```
//!
//! Like every example it is configured by `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! layer (`webex.toml` too). Without a token it starts a local emulator, creates a meeting
//! hosted by a demo user, joins it as the host, and has a second demo user join with a
//! 440 Hz tone for a few seconds, so there is something to record.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use webex::media::audio::ToneSource;
use webex::meetings::{JoinOptions, MediaOptions, Meeting, MeetingError};
use webex::prelude::*;
use webex_examples::meeting_bot::{self, BotOptions, RunEnd};

#[path = "../common/meeting_demo.rs"]
mod meeting_demo;

use meeting_demo::Setup;

/// Joins a Webex meeting with audio: plays a WAV file into it, records what it hears, and
/// leaves after N seconds, on Ctrl-C, or when the meeting ends.
///
/// Configured by WEBEX_ACCESS_TOKEN and the WEBEX_* environment; without a token it runs a
/// demo meeting on a local emulator.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The meeting: a meeting number, a SIP URI or a meeting link (optional on the emulator).
    destination: Option<String>,
    /// A WAV file to play into the meeting, looping.
    #[arg(long, value_name = "IN.wav")]
    play: Option<PathBuf>,
    /// A WAV file to record what the bot hears into (48 kHz mono).
    #[arg(long, value_name = "OUT.wav")]
    record: Option<PathBuf>,
    /// Leave after this many seconds (default: stay until Ctrl-C or the meeting ends).
    #[arg(long, value_name = "N")]
    seconds: Option<u64>,
    /// Log what the SDK does (info with -v, debug with -vv).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    webex_examples::init_logging(args.verbose);
    meeting_demo::exit_code("meeting-bot", bot(args).await)
}

async fn bot(args: Args) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let Setup {
        builder,
        destination,
        demo,
    } = meeting_demo::setup(
        args.destination.clone(),
        "Bot demo",
        ("Bea Bot", "bea@example.com"),
    )
    .await?;
    let webex = meeting_demo::client(builder, "meeting-bot").await?;
    let meeting = webex
        .meetings()
        .create(&destination, None)
        .await
        .map_err(explain)?;
    if let Some(local) = &demo {
        meeting_demo::spawn_guest(
            local,
            ("Toni Tone", "toni@example.com"),
            destination.clone(),
            tone_visit,
        );
    }
    println!("Joining {destination}; Ctrl-C to leave.");
    let stop = meeting_demo::ctrl_c();
    let options = BotOptions {
        play: args.play,
        record: args.record,
        seconds: args.seconds,
        join: JoinOptions::default(),
    };
    let outcome = meeting_bot::run(&meeting, options, |line| println!("{line}"), stop)
        .await
        .map_err(|err| match err.downcast::<MeetingError>() {
            Ok(err) => explain(*err),
            Err(other) => other,
        })?;
    match outcome.end {
        RunEnd::TimeUp => println!("Time is up: left the meeting."),
        RunEnd::Stopped => println!("\nLeft the meeting."),
        RunEnd::MeetingEnded => println!("The meeting ended."),
    }
    if outcome.frames_recorded > 0 {
        println!(
            "Recorded {:.1} s of audio.",
            outcome.frames_recorded as f64 * 0.02
        );
    }
    webex.meetings().unregister().await?;
    webex.shutdown().await?;
    Ok(())
}

/// A clearer message for the errors a user can act on.
fn explain(err: MeetingError) -> Box<dyn std::error::Error + Send + Sync> {
    match err {
        MeetingError::PasswordRequired { message, .. } => {
            format!("the meeting needs a password or a host key: {message}").into()
        }
        MeetingError::MeetingNotFound { message } => {
            format!("no such meeting (check the number, SIP URI or link): {message}").into()
        }
        MeetingError::IntentToJoin { message, .. } => {
            format!("the meeting is locked or waits for its host: {message}").into()
        }
        other => other.into(),
    }
}

/// On the emulator: a second person joins with a 440 Hz tone for five seconds, then leaves.
async fn tone_visit(meeting: Meeting) -> Result<(), MeetingError> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    meeting
        .join_with_media(
            JoinOptions::default(),
            MediaOptions::new().audio(ToneSource::new(440.0, 0.3)),
        )
        .await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    meeting.leave().await
}
