//! Quickstart: build a client, print the resolved services and who you are.
//!
//! ```text
//! cargo run --example quickstart                         # against an in-process emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart  # against real Webex
//! ```
//!
//! Both paths run the same code; without a token the example starts a local emulator,
//! creates a person on it and points the discovery URLs there.

use webex::prelude::*;
use webex_emulator::{Emulator, NewPerson, PersonType};

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .init();

    // Keep the emulator alive for as long as the client uses it.
    let mut _emulator = None;
    let mut builder = Webex::builder().load_config()?;
    match std::env::var("WEBEX_ACCESS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            println!("Using WEBEX_ACCESS_TOKEN against real Webex");
            builder = builder.access_token(token);
        }
        _ => {
            let emulator = Emulator::start_default().await?;
            let person = emulator.create_person(NewPerson {
                display_name: "Quinn Quickstart".into(),
                email: "quinn@example.com".into(),
                kind: PersonType::Person,
            });
            let base = emulator.base_url();
            println!("No WEBEX_ACCESS_TOKEN: using a local emulator at {base}");
            builder = builder
                .access_token(&person.access_token)
                .configure(move |c| {
                    c.services.discovery.u2c = format!("{base}/u2c/api/v1");
                    c.services.discovery.hydra = format!("{base}/v1");
                });
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

    let me: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("hydra", "people/me")))
        .await?;
    println!("\npeople/me:");
    println!("  id           {}", me["id"].as_str().unwrap_or("?"));
    println!(
        "  displayName  {}",
        me["displayName"].as_str().unwrap_or("?")
    );
    println!("  emails       {}", me["emails"]);
    println!("  type         {}", me["type"].as_str().unwrap_or("?"));

    webex.shutdown().await?;
    Ok(())
}
