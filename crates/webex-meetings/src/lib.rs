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
//!     .plugin(webex_auth::AuthPlugin::default())
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(webex_mercury::MercuryPlugin::default())
//!     .plugin(webex_meetings::MeetingsPlugin::default())
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_meetings::MeetingsPlugin>().is_some());
//! # Ok(()) }
//! ```

use webex_core::Plugin;

/// The `meetings` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct MeetingsPlugin;

impl MeetingsPlugin {
    /// The plugin's name, used in other plugins' dependency lists.
    pub const NAME: &'static str = "meetings";
}

#[webex_core::async_trait]
impl Plugin for MeetingsPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn dependencies(&self) -> &[&'static str] {
        &["devices", "mercury"]
    }
}
