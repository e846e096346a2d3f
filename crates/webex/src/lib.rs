//! # webex
//!
//! The Webex SDK for Rust. This facade re-exports the plugin crates behind cargo features
//! (`full` is the default) and bundles their plugins as [`DefaultPlugins`]. There is one
//! client type, [`Webex`], and one builder, [`WebexBuilder`] (both `webex_core`'s, which
//! plugin crates and third-party plugins see too); the common path is one line,
//! `Webex::builder().plugins(DefaultPlugins)`:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex::prelude::*;
//!
//! // A local Webex cloud; with a real token, skip this and `discovery_base`.
//! let emulator = webex_emulator::Emulator::start_default().await?;
//! let bot = emulator.create_person(webex_emulator::NewPerson {
//!     display_name: "Echo Bot".into(),
//!     email: "echo@example.com".into(),
//!     kind: webex_emulator::PersonType::Bot,
//! });
//! let webex = Webex::builder()
//!     .plugins(DefaultPlugins)
//!     .access_token(&bot.access_token)
//!     .discovery_base(emulator.base_url())
//!     .build()
//!     .await?;
//! let me = webex.people().me().await?;
//! assert_eq!(me.display_name, "Echo Bot");
//! # Ok(()) }
//! ```
//!
//! Configure one default plugin with `DefaultPlugins.set(plugin)` or leave one out with
//! `DefaultPlugins.disable::<P>()` (see [`DefaultPlugins`]). Adding a plugin type that the
//! group already holds with `.plugin(..)` fails the build with
//! [`ErrorKind::DuplicatePlugin`], whose message names `set` as the fix.
//!
//! Features, each a plugin crate: `auth` (`auth-redis`: its Redis token store too; not in
//! `full`), `devices`, `mercury` (enables `devices`),
//! `messages` (with `mercury` also on, real-time `listen()`), `meetings` (enables
//! `mercury`), `encryption` (KMS: `webex.kms()`; enables `mercury`), `device-manager` (pair with and control room devices; enables `encryption`), `media` (the str0m WebRTC stack; with `meetings` also on, meetings with media:
//! `Meeting::add_media`), `webrtc` (the webrtc-rs stack as well, `Backend::WebrtcRs`; not in
//! `full`), `video` (sending a generated H.264 test pattern, OpenH264 built from C++ source;
//! not in `full`); plus `config-file` (layered `webex.toml` / `WEBEX_*` configuration). Every leaf crate is usable on its own with `Webex::builder().plugin(..)`.

mod default_plugins;

pub use default_plugins::DefaultPlugins;
pub use webex_core::{
    BuildContext, Error, ErrorKind, Page, Plugin, PluginGroup, PluginId, PluginSet, Result, Webex,
    WebexBuilder, async_trait, catalog, config, credentials, http, logging, page, plugin,
    tracking_id,
};

/// The core crate, for plugin authors.
pub use webex_core as core;

#[cfg(feature = "auth")]
pub use webex_auth as auth;
#[cfg(feature = "device-manager")]
pub use webex_device_manager as device_manager;
#[cfg(feature = "devices")]
pub use webex_devices as devices;
#[cfg(feature = "encryption")]
pub use webex_encryption as encryption;
#[cfg(feature = "media")]
pub use webex_media as media;
#[cfg(feature = "meetings")]
pub use webex_meetings as meetings;
#[cfg(feature = "mercury")]
pub use webex_mercury as mercury;
#[cfg(feature = "messages")]
pub use webex_messages as messages;

/// The names most programs need, including [`DefaultPlugins`] with [`PluginGroup`] (for
/// `.set(..)` and `.disable::<P>()`) and each enabled plugin's extension trait
/// (`webex.messages()`, `webex.mercury()`, `webex.devices()`, `webex.meetings()`).
pub mod prelude {
    pub use crate::{
        DefaultPlugins, Error, ErrorKind, Page, Plugin, PluginGroup, Result, Webex, WebexBuilder,
    };
    pub use webex_core::http::{Request, Target};
    #[cfg(feature = "device-manager")]
    pub use webex_device_manager::DeviceManagerExt;
    #[cfg(feature = "devices")]
    pub use webex_devices::DevicesExt;
    #[cfg(feature = "encryption")]
    pub use webex_encryption::EncryptionExt;
    #[cfg(feature = "meetings")]
    pub use webex_meetings::MeetingsExt;
    #[cfg(feature = "mercury")]
    pub use webex_mercury::MercuryExt;
    #[cfg(feature = "messages")]
    pub use webex_messages::MessagesExt;
}

/// The README's Rust examples, compiled as doc tests so they keep matching the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

/// The plugin-authoring guide's Rust examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/plugin-authoring.md")]
struct PluginAuthoringDoctests;
