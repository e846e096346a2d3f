//! # webex-meetings
//!
//! Meetings over Locus: meeting info, join/leave, mute, admit, lock, layouts, reactions, recording, and Locus delta sync.
//!
//! **Status:** this crate registers its plugin so applications and the `webex` facade can
//! already depend on it, but the capability itself is not implemented yet (a later issue). The
//! plugin adds nothing to the client and claims nothing: it has no API surface to call.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> webex_core::Result<()> {
//! let webex = webex_core::Webex::builder()
//!     .without_catalog()
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(webex_mercury::MercuryPlugin::default())
//!     .plugin(webex_meetings::MeetingsPlugin::default())
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_meetings::MeetingsPlugin>().is_some());
//! # Ok(()) }
//! ```

pub mod events;
pub mod locus;
// The meetings plugin drives the runtime; parts it does not call yet are still unused.
#[allow(dead_code)]
pub(crate) mod runtime;
pub mod view;

use webex_core::{Plugin, PluginId};

/// The `meetings` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct MeetingsPlugin;

impl MeetingsPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "meetings";
}

#[webex_core::async_trait]
impl Plugin for MeetingsPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// Locus needs a registered device and its Mercury events.
    fn dependencies(&self) -> Vec<PluginId> {
        vec![
            PluginId::of::<webex_devices::DevicesPlugin>(),
            PluginId::of::<webex_mercury::MercuryPlugin>(),
        ]
    }
}
