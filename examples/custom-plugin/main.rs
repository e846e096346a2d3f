//! A plugin written outside the SDK crates, exactly as the SDK's own plugins are: it adds an
//! HTTP layer (request statistics, and an `x-app-request` header on every request) and its
//! own API (`webex.stats()`, plus `whoami()` built on the shared HTTP client).
//!
//! ```text
//! cargo run --example custom-plugin
//! ```

mod stats;

use stats::{StatsExt, StatsPlugin};
use webex::prelude::*;
use webex_emulator::{Emulator, NewPerson, PersonType};

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start_default().await?;
    let person = emulator.create_person(NewPerson {
        display_name: "Pat Plugin".into(),
        email: "pat@example.com".into(),
        kind: PersonType::Person,
    });

    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .plugin(StatsPlugin::new("custom-plugin-example"))
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await?;

    let me = webex.stats().whoami(&webex).await?;
    println!("whoami: {me}");
    let missing = webex
        .http()
        .send(Request::get(Target::service(
            "hydra",
            "people/bm90LWFuLWlk",
        )))
        .await;
    println!("a bad id fails as expected: {}", missing.is_err());

    let snapshot = webex.stats().snapshot();
    println!("requests seen by the plugin's layer: {}", snapshot.requests);
    println!("failed (status >= 400): {}", snapshot.failures);
    assert!(snapshot.requests >= 4, "catalog x2, people/me, the bad id");
    assert_eq!(snapshot.failures, 1);
    webex.shutdown().await?;
    Ok(())
}
