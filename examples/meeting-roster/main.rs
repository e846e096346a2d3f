//! Meeting roster: joins a meeting and prints one line per change as it happens (who joins,
//! waits in the lobby, leaves, mutes, unmutes, turns video on or off, shares), until Ctrl-C
//! (then it leaves) or the meeting ends.
//!
//! ```text
//! cargo run --example meeting-roster                                   # a demo meeting on a local emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example meeting-roster -- 23456789012
//! WEBEX_ACCESS_TOKEN=... cargo run --example meeting-roster -- alice@example.webex.com --password s3cret
//! cargo run --example meeting-roster -- --help
//! ```
//!
//! Like every example it is configured by `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! layer (`webex.toml` too). Without a token it starts a local emulator, creates a meeting
//! hosted by a demo user, joins it as the host, and has a second demo user join, unmute,
//! mute and leave, so the roster has something to print.

use clap::Parser;
use webex::meetings::{JoinOptions, Meeting, MeetingError};
use webex::prelude::*;
use webex_examples::meeting_roster::{self, RunEnd};

#[path = "../common/meeting_demo.rs"]
mod meeting_demo;

use meeting_demo::Setup;

/// Joins a Webex meeting and prints who joins, leaves, mutes, unmutes and shares, until
/// Ctrl-C or the meeting ends.
///
/// Configured by WEBEX_ACCESS_TOKEN and the WEBEX_* environment; without a token it runs a
/// demo meeting on a local emulator.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The meeting: a meeting number, a SIP URI or a meeting link (optional on the emulator).
    destination: Option<String>,
    /// The meeting's password, if it has one.
    #[arg(long)]
    password: Option<String>,
    /// Join as the host with this host key.
    #[arg(long)]
    host_key: Option<String>,
    /// Log what the SDK does (info with -v, debug with -vv).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    webex_examples::init_logging(args.verbose);
    meeting_demo::exit_code("meeting-roster", roster(args).await)
}

async fn roster(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let Setup {
        builder,
        destination,
        demo,
    } = meeting_demo::setup(
        args.destination.clone(),
        "Roster demo",
        ("Harriet Host", "harriet@example.com"),
    )
    .await
    .map_err(|e| e as Box<dyn std::error::Error>)?;
    let webex = meeting_demo::client(builder, "meeting-roster")
        .await
        .map_err(|e| e as Box<dyn std::error::Error>)?;
    let meeting = webex
        .meetings()
        .create(&destination, None)
        .await
        .map_err(explain)?;
    if let Some(password) = &args.password {
        let outcome = meeting.verify_password(Some(password), None).await?;
        if !outcome.is_password_valid {
            return Err(format!("the password was refused ({:?})", outcome.failure_reason).into());
        }
    }
    let options = match &args.host_key {
        Some(key) => JoinOptions::host(key),
        None => JoinOptions::default(),
    };
    if let Some(local) = &demo {
        meeting_demo::spawn_guest(
            local,
            ("Gus Guest", "gus@example.com"),
            destination.clone(),
            guest_visit,
        );
    }
    println!("Joining {destination}; Ctrl-C to leave.");
    let stop = meeting_demo::ctrl_c();
    let end = meeting_roster::run(&meeting, options, |line| println!("{line}"), stop)
        .await
        .map_err(explain)?;
    match end {
        RunEnd::MeetingEnded => println!("The meeting ended."),
        RunEnd::Stopped => println!("\nLeft the meeting."),
        RunEnd::StreamEnded => println!("The meeting's events ended."),
    }
    webex.meetings().unregister().await?;
    webex.shutdown().await?;
    Ok(())
}

/// A clearer message for the errors a user can act on.
fn explain(err: MeetingError) -> Box<dyn std::error::Error> {
    match err {
        MeetingError::PasswordRequired { message, .. } => format!(
            "the meeting needs a password (--password) or a host key (--host-key): {message}"
        )
        .into(),
        MeetingError::CaptchaRequired { captcha, .. } => format!(
            "too many wrong passwords: the meeting asks for a captcha ({})",
            captcha.verification_image_url
        )
        .into(),
        MeetingError::MeetingNotFound { message } => {
            format!("no such meeting (check the number, SIP URI or link): {message}").into()
        }
        MeetingError::IntentToJoin { message, .. } => format!(
            "the meeting is locked or waits for its host; join as host with --host-key: {message}"
        )
        .into(),
        other => other.into(),
    }
}

/// On the emulator: a second person joins, unmutes, mutes and leaves, a second apart.
async fn guest_visit(meeting: Meeting) -> Result<(), MeetingError> {
    let pause = || tokio::time::sleep(std::time::Duration::from_secs(1));
    pause().await;
    meeting.join(JoinOptions::default()).await?;
    pause().await;
    meeting.unmute_audio().await?;
    pause().await;
    meeting.mute_audio().await?;
    pause().await;
    meeting.leave().await
}
