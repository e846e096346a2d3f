//! What the meeting examples share: the real Webex when `WEBEX_ACCESS_TOKEN` is set, else a
//! demo meeting on a local emulator, hosted by a demo user the example runs as. Included by
//! the examples' `main.rs` (`#[path]`), since it uses the emulator, which only examples may.

use std::future::Future;

use webex::meetings::{Meeting, MeetingError};
use webex::prelude::*;
use webex_emulator::{CreatedPerson, Emulator, NewMeeting, NewPerson, PersonType};

/// The client builder and the meeting to join, and the emulator of a demo.
pub(crate) struct Setup {
    /// The builder, with the token (and, for a demo, the emulator's discovery URL).
    pub(crate) builder: WebexBuilder,
    /// The meeting to join.
    pub(crate) destination: String,
    /// A demo's emulator (kept running as long as this lives).
    pub(crate) demo: Option<Emulator>,
}

/// With `WEBEX_ACCESS_TOKEN`: the real Webex and `destination` (required). Without: a local
/// emulator, a meeting titled `title` hosted by `host` (name, email), whose token the example
/// runs with; `destination` defaults to its number.
pub(crate) async fn setup(
    destination: Option<String>,
    title: &str,
    host: (&str, &str),
) -> Result<Setup, Box<dyn std::error::Error + Send + Sync>> {
    let mut builder = Webex::builder().plugins(DefaultPlugins).load_config()?;
    if let Ok(token) = std::env::var("WEBEX_ACCESS_TOKEN")
        && !token.trim().is_empty()
    {
        builder = builder.access_token(token);
        let destination = destination
            .ok_or("give the meeting to join: a meeting number, a SIP URI or a meeting link")?;
        return Ok(Setup {
            builder,
            destination,
            demo: None,
        });
    }
    let local = Emulator::start_default().await?;
    let host = person(&local, host.0, host.1);
    let meeting = local
        .create_meeting(NewMeeting::new(title, &host.email))
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
    Ok(Setup {
        builder,
        destination: destination.unwrap_or(meeting.meeting_number),
        demo: Some(local),
    })
}

/// A demo person on the emulator.
pub(crate) fn person(local: &Emulator, name: &str, email: &str) -> CreatedPerson {
    local.create_person(NewPerson {
        display_name: name.into(),
        email: email.into(),
        kind: PersonType::Person,
    })
}

/// Has a demo person (`name`, `email`) join `destination` on the emulator and do `visit`
/// with the meeting, in the background; a failure is printed.
pub(crate) fn spawn_guest<F, Fut>(
    local: &Emulator,
    (name, email): (&str, &str),
    destination: String,
    visit: F,
) where
    F: FnOnce(Meeting) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), MeetingError>> + Send,
{
    let guest = person(local, name, email);
    let base = local.base_url();
    tokio::spawn(async move {
        if let Err(err) = guest_visit(&base, &guest, &destination, visit).await {
            eprintln!("the demo guest failed: {err}");
        }
    });
}

async fn guest_visit<F, Fut>(
    base: &str,
    guest: &CreatedPerson,
    destination: &str,
    visit: F,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
where
    F: FnOnce(Meeting) -> Fut,
    Fut: Future<Output = Result<(), MeetingError>>,
{
    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(&guest.access_token)
        .discovery_base(base)
        .build()
        .await?;
    webex.meetings().register().await?;
    let meeting = webex.meetings().create(destination, None).await?;
    visit(meeting).await?;
    webex.meetings().unregister().await?;
    Ok(())
}

/// The client of `setup`, named `app_name`, registered for meetings.
pub(crate) async fn client(
    builder: WebexBuilder,
    app_name: &'static str,
) -> Result<Webex, Box<dyn std::error::Error + Send + Sync>> {
    let webex = builder
        .configure(move |c| c.app_name = Some(app_name.into()))
        .build()
        .await?;
    webex.meetings().register().await?;
    Ok(webex)
}

/// Completes on Ctrl-C (never, where the signal cannot be listened to).
pub(crate) async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The process's exit code for a run's `result`; an error is printed, prefixed by `name`.
pub(crate) fn exit_code(
    name: &str,
    result: Result<(), impl std::fmt::Display>,
) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{name}: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
