//! # webex-messages
//!
//! The Hydra REST surface: rooms, messages, memberships, people, teams, team memberships, webhooks and attachment actions.
//!
//! **Status:** this crate registers its plugin so applications and the `webex` facade can
//! already depend on it, but the capability itself is not implemented yet (issue 3). The
//! plugin adds nothing to the client and claims nothing: it has no API surface to call.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> webex_core::Result<()> {
//! let webex = webex_core::Webex::builder()
//!     .without_catalog()

//!     .plugin(webex_messages::MessagesPlugin::default())
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_messages::MessagesPlugin>().is_some());
//! # Ok(()) }
//! ```

use webex_core::Plugin;

/// The `messages` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct MessagesPlugin;

impl MessagesPlugin {
    /// The plugin's name, used in other plugins' dependency lists.
    pub const NAME: &'static str = "messages";
}

#[webex_core::async_trait]
impl Plugin for MessagesPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
