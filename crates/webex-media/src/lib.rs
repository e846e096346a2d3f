//! # webex-media
//!
//! ROAP media connections over WebRTC, local audio/video sources and sinks, and stats.
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
//!     .plugin(webex_media::MediaPlugin::default())
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_media::MediaPlugin>().is_some());
//! # Ok(()) }
//! ```

pub mod roap;
pub mod sdp;

use webex_core::Plugin;

/// The `media` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct MediaPlugin;

impl MediaPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "media";
}

#[webex_core::async_trait]
impl Plugin for MediaPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
