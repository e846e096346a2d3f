//! # webex
//!
//! The Webex SDK for Rust. This facade re-exports the plugin crates behind cargo features
//! (`full` is the default) and builds a client with the default plugin set:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex::prelude::*;
//!
//! let emulator = webex_emulator::Emulator::start_default().await?;
//! let bot = emulator.create_person(webex_emulator::NewPerson {
//!     display_name: "Echo Bot".into(),
//!     email: "echo@example.com".into(),
//!     kind: webex_emulator::PersonType::Bot,
//! });
//! let base = emulator.base_url();
//! let webex = Webex::builder()
//!     .access_token(&bot.access_token)
//!     .configure(move |c| {
//!         c.services.discovery.u2c = format!("{base}/u2c/api/v1");
//!         c.services.discovery.hydra = format!("{base}/v1");
//!     })
//!     .build()
//!     .await?;
//! assert!(webex.services().url("hydra").is_ok());
//! # Ok(()) }
//! ```
//!
//! Features, each a plugin crate: `auth`, `devices`, `mercury`, `messages`, `meetings`,
//! `media`; plus `config-file` (layered `webex.toml` / `WEBEX_*` configuration). Every leaf
//! crate is usable on its own with `webex_core::Webex::builder()`.

mod builder;
mod client;

pub use builder::{WebexBuilder, default_plugins};
pub use client::Webex;
pub use webex_core::{
    BuildContext, Error, ErrorKind, Page, Plugin, Result, async_trait, catalog, config,
    credentials, http, logging, page, plugin, tracking_id,
};

/// The core crate, for plugin authors.
pub use webex_core as core;

#[cfg(feature = "auth")]
pub use webex_auth as auth;
#[cfg(feature = "devices")]
pub use webex_devices as devices;
#[cfg(feature = "media")]
pub use webex_media as media;
#[cfg(feature = "meetings")]
pub use webex_meetings as meetings;
#[cfg(feature = "mercury")]
pub use webex_mercury as mercury;
#[cfg(feature = "messages")]
pub use webex_messages as messages;

/// The names most programs need, including each enabled plugin's extension trait
/// (`webex.messages()`, `webex.mercury()`, `webex.devices()`).
pub mod prelude {
    pub use crate::{Error, ErrorKind, Page, Plugin, Result, Webex, WebexBuilder};
    pub use webex_core::http::{Request, Target};
    #[cfg(feature = "devices")]
    pub use webex_devices::DevicesExt;
    #[cfg(feature = "mercury")]
    pub use webex_mercury::MercuryExt;
    #[cfg(feature = "messages")]
    pub use webex_messages::MessagesExt;
}
