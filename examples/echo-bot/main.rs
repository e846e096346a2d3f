//! Echo bot: answers every message sent to it in a 1:1 room, and every group message that
//! mentions it, with `echo: <text>` in the message's thread. It survives socket faults
//! (reconnect, backfill, de-duplication are `listen()`'s) and runs until Ctrl-C, then shuts
//! down cleanly (replies on their way are sent, the device is unregistered).
//!
//! ```text
//! cargo run --example echo-bot                         # against an in-process emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example echo-bot  # as the bot of that token, on real Webex
//! cargo run --example echo-bot -- --help
//! ```
//!
//! Like every example it is configured by `WEBEX_ACCESS_TOKEN` and the `WEBEX_*` environment
//! layer (`webex.toml` too). Without a token it starts a local emulator with a bot and a
//! person, says hello to the bot as that person, and prints how to talk to it.

use clap::Parser;
use webex::prelude::*;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};
use webex_examples::echo_bot::EchoBot;

/// Answers direct messages and group mentions with `echo: <text>`, in the thread, until
/// Ctrl-C.
///
/// Configured by WEBEX_ACCESS_TOKEN (the bot's token) and the WEBEX_* environment; without a
/// token it runs against a local emulator.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Log what the bot answers (info) and what the SDK does (debug with -vv).
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    webex_examples::init_logging(args.verbose);

    // Keep the emulator alive for as long as the bot uses it.
    let mut emulator = None;
    let mut builder = Webex::builder().plugins(DefaultPlugins).load_config()?;
    match std::env::var("WEBEX_ACCESS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            println!(
                "Using WEBEX_ACCESS_TOKEN and the WEBEX_* configuration (real Webex by default)"
            );
            builder = builder.access_token(token);
        }
        _ => {
            let local = Emulator::start_default().await?;
            let bot = local.create_person(NewPerson {
                display_name: "Echo Bot".into(),
                email: "echo-bot@webex.bot".into(),
                kind: PersonType::Bot,
            });
            println!(
                "No WEBEX_ACCESS_TOKEN: using a local emulator at {}",
                local.base_url()
            );
            builder = builder
                .access_token(&bot.access_token)
                .discovery_base(local.base_url());
            emulator = Some((local, bot));
        }
    }
    let webex = builder
        .configure(|c| c.app_name = Some("echo-bot".into()))
        .build()
        .await?;

    let bot = EchoBot::listen(webex.clone()).await?;
    let me = webex.people().me().await?;
    println!("{} is listening; Ctrl-C to stop.", me.display_name);
    if let Some((local, bot)) = &emulator {
        let pat = local.create_person(NewPerson {
            display_name: "Pat Person".into(),
            email: "pat@example.com".into(),
            kind: PersonType::Person,
        });
        // Concurrently: the bot answers while Pat waits.
        tokio::spawn(say_hello(local.base_url(), pat, bot.email.clone()));
    }

    let stats = bot
        .run(async {
            // Without a Ctrl-C handler, run until the stream ends.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await;
    println!(
        "\nStopped: {} replies, {} events ignored, {} errors.",
        stats.replied, stats.ignored, stats.errors
    );
    webex.shutdown().await?;
    Ok(())
}

/// On the emulator: Pat says hello to the bot and waits for the echo, then the example tells
/// how to go on.
async fn say_hello(base: String, pat: CreatedPerson, bot_email: String) {
    if let Err(err) = hello(&base, &pat, &bot_email).await {
        eprintln!("Pat's hello failed: {err}");
    }
    println!(
        "To talk to the bot yourself, create a person (the answer holds its token):\n  \
         curl -H 'Content-Type: application/json' -d '{{\"displayName\": \"You\", \"email\": \"you@example.com\"}}' {base}/_emulator/people\n\
         then post with that token:\n  \
         curl -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' -d '{{\"toPersonEmail\": \"{bot_email}\", \"text\": \"hi\"}}' {base}/v1/messages"
    );
}

async fn hello(base: &str, pat: &CreatedPerson, bot_email: &str) -> Result<()> {
    let client = Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(&pat.access_token)
        .discovery_base(base)
        .build()
        .await?;
    let hello = client
        .messages()
        .create()
        .to_person_email(bot_email)
        .text("hello, bot")
        .await?;
    println!("Pat: hello, bot");
    for _ in 0..50 {
        let thread = client
            .messages()
            .list(&hello.room_id)
            .parent_id(&hello.id)
            .await?;
        if let Some(reply) = thread.items().first() {
            println!("Bot: {}", reply.text.as_deref().unwrap_or_default());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    client.shutdown().await
}
