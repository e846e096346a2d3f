//! # webex-auth
//!
//! Token providers beyond a static token: the OAuth authorization-code grant (with PKCE and a local redirect listener), scheduled and on-401 refresh, JWT guest tokens, a token store, logout and revoke.
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
//!     .build()
//!     .await?;
//! assert!(webex.plugin::<webex_auth::AuthPlugin>().is_some());
//! # Ok(()) }
//! ```

use webex_core::Plugin;

/// The `auth` plugin (see the crate docs for its status).
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct AuthPlugin;

impl AuthPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "auth";
}

#[webex_core::async_trait]
impl Plugin for AuthPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
