//! Quickstart: build a client, print the resolved services and who you are, then create a
//! room, add a member, post text, markdown and a file, and list what was posted.
//!
//! ```text
//! cargo run --example quickstart                         # against an in-process emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart  # against real Webex
//! ```
//!
//! Both paths run the same code; without a token the example starts a local emulator,
//! creates a person on it and points discovery there (`discovery_base`).

use futures::TryStreamExt;
use webex::prelude::*;
use webex_emulator::{Emulator, NewPerson, PersonType};

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .init();

    // Keep the emulator alive for as long as the client uses it.
    let mut _emulator = None;
    let mut builder = Webex::builder().plugins(DefaultPlugins).load_config()?;
    // Who to add to the room: on the emulator a person we create, on real Webex an address
    // from WEBEX_MEMBER_EMAIL (skipped when unset).
    let mut member_email = std::env::var("WEBEX_MEMBER_EMAIL").ok();
    match std::env::var("WEBEX_ACCESS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            println!(
                "Using WEBEX_ACCESS_TOKEN and the WEBEX_* configuration (real Webex by default)"
            );
            builder = builder.access_token(token);
        }
        _ => {
            let emulator = Emulator::start_default().await?;
            let person = emulator.create_person(NewPerson {
                display_name: "Quinn Quickstart".into(),
                email: "quinn@example.com".into(),
                kind: PersonType::Person,
            });
            let member = emulator.create_person(NewPerson {
                display_name: "Mo Member".into(),
                email: "mo@example.com".into(),
                kind: PersonType::Person,
            });
            member_email = Some(member.email);
            let base = emulator.base_url();
            println!("No WEBEX_ACCESS_TOKEN: using a local emulator at {base}");
            builder = builder
                .access_token(&person.access_token)
                .discovery_base(base);
            _emulator = Some(emulator);
        }
    }

    let webex = builder
        .configure(|c| c.app_name = Some("quickstart".into()))
        .build()
        .await?;

    println!("\nServices:");
    for (name, url) in webex.services().list() {
        println!("  {name:<16} {url}");
    }

    let me = webex.people().me().await?;
    println!("\npeople/me:");
    println!("  id           {}", me.id);
    println!("  displayName  {}", me.display_name);
    println!("  emails       {}", me.emails.join(", "));
    println!("  type         {}", me.person_type);

    let room = webex.rooms().create("Quickstart room").await?;
    println!("\nCreated room {:?} ({})", room.title, room.id);
    if let Some(email) = member_email {
        let membership = webex
            .memberships()
            .create(&room.id)
            .person_email(&email)
            .await?;
        println!("Added {email} (membership {})", membership.id);
    }

    webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("Hello from Rust")
        .await?;
    webex
        .messages()
        .create()
        .room_id(&room.id)
        .markdown("**Markdown** with a [link](https://developer.webex.com)")
        .await?;
    let file = std::env::temp_dir().join("webex-quickstart.txt");
    tokio::fs::write(&file, "A file streamed as multipart by the quickstart.\n").await?;
    webex
        .messages()
        .create()
        .room_id(&room.id)
        .text("and a file")
        .file(&file)
        .await?;

    println!("\nMessages in the room, newest first:");
    let messages: Vec<_> = webex
        .messages()
        .list(&room.id)
        .max(2) // a page size, not a cap: the stream follows the Link headers
        .await?
        .into_stream()
        .try_collect()
        .await?;
    for message in &messages {
        let files = if message.files.is_empty() {
            String::new()
        } else {
            format!("  [{} file]", message.files.len())
        };
        println!(
            "  {}{files}",
            message
                .markdown
                .as_deref()
                .or(message.text.as_deref())
                .unwrap_or("")
        );
    }

    webex.shutdown().await?;
    Ok(())
}
