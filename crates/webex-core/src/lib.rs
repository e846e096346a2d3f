//! # webex-core
//!
//! The core of the Webex SDK for Rust: the [`Plugin`] model and the [`Webex`] client handle,
//! the U2C service catalog, the HTTP pipeline (tower layers over hyper), credentials, layered
//! configuration, `Link` pagination, errors and logging. Every capability crate
//! (`webex-messages`, `webex-mercury`, ...) is a plugin on top of this crate, and so are
//! third-party extensions.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex_core::http::{Request, Target};
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//!
//! // A local Webex cloud; with a real token, skip this and `discovery_base`.
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//!
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .build()
//!     .await?;
//! let person: serde_json::Value = webex
//!     .http()
//!     .json(Request::get(Target::service("hydra", "people/me")))
//!     .await?;
//! assert_eq!(person["displayName"], "Ada");
//! # Ok(()) }
//! ```

mod bounded;
mod builder;
pub mod catalog;
pub mod config;
pub mod credentials;
mod error;
pub mod extra;
pub mod http;
pub mod hydra_id;
pub mod logging;
pub mod page;
pub mod plugin;
pub mod recent_ids;
pub mod tracking_id;
mod webex;

pub use async_trait::async_trait;
pub use builder::WebexBuilder;
pub use error::{Error, ErrorKind, Result};
pub use page::Page;
pub use plugin::{BuildContext, Plugin, PluginGroup, PluginId, PluginSet};
pub use webex::{WeakWebex, Webex};
