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
use webex::meetings::{JoinOptions, MeetingError};
use webex::prelude::*;
use webex_emulator::{CreatedPerson, Emulator, NewMeeting, NewPerson, PersonType};
use webex_examples::meeting_roster::{self, RunEnd};

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
    match roster(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("meeting-roster: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn roster(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Webex::builder().plugins(DefaultPlugins).load_config()?;
    let mut demo = None;
    let destination = match std::env::var("WEBEX_ACCESS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            builder = builder.access_token(token);
            args.destination
                .clone()
                .ok_or("give the meeting to join: a meeting number, a SIP URI or a meeting link")?
        }
        _ => {
            let local = Emulator::start_default().await?;
            let host = person(&local, "Harriet Host", "harriet@example.com");
            let meeting = local
                .create_meeting(NewMeeting::new("Roster demo", &host.email))
                .map_err(|e| format!("the emulator refused the demo meeting: {e}"))?;
            println!(
                "No WEBEX_ACCESS_TOKEN: a local emulator at {}, meeting {} hosted by {}",
                local.base_url(),
                meeting.meeting_number,
                host.email
            );
            builder = builder
                .access_token(&host.access_token)
                .discovery_base(local.base_url());
            let destination = args
                .destination
                .clone()
                .unwrap_or(meeting.meeting_number.clone());
            demo = Some((local, destination.clone()));
            destination
        }
    };
    let webex = builder
        .configure(|c| c.app_name = Some("meeting-roster".into()))
        .build()
        .await?;
    webex.meetings().register().await?;
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
    if let Some((local, destination)) = &demo {
        tokio::spawn(demo_guest(
            local.base_url(),
            person(local, "Gus Guest", "gus@example.com"),
            destination.clone(),
        ));
    }
    println!("Joining {destination}; Ctrl-C to leave.");
    let stop = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
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

fn person(local: &Emulator, name: &str, email: &str) -> CreatedPerson {
    local.create_person(NewPerson {
        display_name: name.into(),
        email: email.into(),
        kind: PersonType::Person,
    })
}

/// On the emulator: a second person joins, unmutes, mutes and leaves, a second apart.
async fn demo_guest(base: String, guest: CreatedPerson, destination: String) {
    if let Err(err) = guest_visit(&base, &guest, &destination).await {
        eprintln!("the demo guest failed: {err}");
    }
}

async fn guest_visit(
    base: &str,
    guest: &CreatedPerson,
    destination: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let pause = || tokio::time::sleep(std::time::Duration::from_secs(1));
    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(&guest.access_token)
        .discovery_base(base)
        .build()
        .await?;
    webex.meetings().register().await?;
    let meeting = webex.meetings().create(destination, None).await?;
    pause().await;
    meeting.join(JoinOptions::default()).await?;
    pause().await;
    meeting.unmute_audio().await?;
    pause().await;
    meeting.mute_audio().await?;
    pause().await;
    meeting.leave().await?;
    webex.meetings().unregister().await?;
    Ok(())
}
