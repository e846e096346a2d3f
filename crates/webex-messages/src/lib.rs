//! # webex-messages
//!
//! The Hydra REST surface: rooms, messages, memberships, people, teams, team memberships,
//! webhooks and attachment actions, plus read status through the conversation service and a
//! receiver for signed webhook deliveries ([`webhook`]), and, with the `listen` feature,
//! real-time events over Mercury (the `listen` module: `webex.messages().listen()`,
//! `rooms()`, `memberships()`, `attachment_actions()`). Listening needs the `mercury` and
//! `devices` plugins: add `MessagesPlugin::listening()` (`listen` feature), which declares
//! them, so a client without them fails to build with `MissingDependency` instead of
//! failing on the first `listen()`. Without the feature no Mercury code is compiled.
//!
//! Every call is a builder: set options, then `.await` it (or call `.send()`). Bad input
//! (a message without content or destination, an empty id, a missing or oversized file)
//! fails with [`ErrorKind::InvalidInput`](webex_core::ErrorKind::InvalidInput) before
//! anything is sent. Lists return a [`Page`](webex_core::Page); its `into_stream()` follows
//! the `Link` headers for every item. Ids are typed ([`RoomId`](id::RoomId),
//! [`MessageId`](id::MessageId), ...) and models keep fields and enum values this version
//! does not know.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//! use webex_messages::{MessagesExt, MessagesPlugin};
//!
//! // A local Webex cloud; with a real token, skip this and `discovery_base`.
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .plugin(MessagesPlugin::default())
//!     .build()
//!     .await?;
//!
//! let room = webex.rooms().create("Project X").await?;
//! let sent = webex
//!     .messages()
//!     .create()
//!     .room_id(&room.id)
//!     .markdown("**hi**")
//!     .await?;
//! let all: Vec<_> = webex.messages().list(&room.id).await?.into_stream().try_collect().await?;
//! assert_eq!(all[0].id, sent.id);
//!
//! // Refused before anything is sent: no content.
//! let err = webex.messages().create().room_id(&room.id).await.unwrap_err();
//! assert_eq!(err.kind(), webex_core::ErrorKind::InvalidInput);
//! # Ok(()) }
//! ```

mod client;
mod conversation;
mod ext;
mod member;
mod wire_enum;

pub mod attachment_actions;
pub mod id;
#[cfg(feature = "listen")]
pub mod listen;
pub mod memberships;
pub mod messages;
pub mod people;
pub mod rooms;
pub mod team_memberships;
pub mod teams;
pub mod webhook;
pub mod webhooks;

pub use ext::MessagesExt;

use tokio::sync::OnceCell;
use webex_core::Plugin;

/// The `messages` plugin. Adding it is optional for the API ([`MessagesExt`] works on any
/// client), but it caches the caller's identity, which read-status calls need.
///
/// `MessagesPlugin::default()` needs no other plugin. With the `listen` feature,
/// `MessagesPlugin::listening()` makes one that also declares the Mercury plugin as a
/// dependency. The choice is per plugin, not per feature, because cargo features add up
/// across a build: a crate turning `listen` on must not make another crate's REST-only
/// client fail to build.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct MessagesPlugin {
    /// The caller, fetched once from `people/me`.
    pub(crate) me: OnceCell<people::Person>,
    /// Whether this client will `listen()`, so Mercury is a dependency.
    listens: bool,
}

/// A clone starts with an empty cache: it may be added to a client with another token.
impl Clone for MessagesPlugin {
    fn clone(&self) -> Self {
        Self {
            me: OnceCell::new(),
            listens: self.listens,
        }
    }
}

impl MessagesPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "messages";

    /// A plugin for a client that will `listen()`: it depends on
    /// `webex_mercury::MercuryPlugin` (which depends on `webex_devices::DevicesPlugin`), so
    /// building without them fails with
    /// [`MissingDependency`](webex_core::ErrorKind::MissingDependency).
    #[cfg(feature = "listen")]
    #[must_use]
    pub fn listening() -> Self {
        Self {
            listens: true,
            ..Self::default()
        }
    }
}

#[webex_core::async_trait]
impl Plugin for MessagesPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn dependencies(&self) -> Vec<webex_core::PluginId> {
        #[cfg(feature = "listen")]
        if self.listens {
            return vec![webex_core::PluginId::of::<webex_mercury::MercuryPlugin>()];
        }
        Vec::new()
    }
}
