//! # webex-auth
//!
//! Signing in to Webex: token providers for the core's
//! [`ProvideToken`](webex_core::credentials::ProvideToken) trait and the stores they keep
//! their tokens in.
//!
//! - [`StaticToken`]: a bot token or personal access token (no refresh).
//! - [`OAuthProvider`]: an integration's OAuth grant. It refreshes shortly before the access
//!   token expires and when a request gets a 401, single-flight however many requests wait;
//!   the new token goes to the client's token cache, which HTTP requests and the Mercury
//!   socket share. A refresh token the broker refuses gives
//!   [`AuthError::ReauthorizationRequired`] (find it in a client error with
//!   [`AuthError::find`]) and an [`AuthEvent::ReauthorizationRequired`], never a retry loop.
//!   A failed refresh is remembered briefly ([`RefreshPolicy::failure_memory`]) and every
//!   token-endpoint call has a timeout ([`OAuthClient::with_timeout`]).
//!   Like the JS SDK, a refresh revokes the access token the refresh before replaced.
//! - [`GuestProvider`]: a guest, logged in with a JWT from a [`GuestJwt`] source at
//!   `{hydra}/jwt/login`, and again with a fresh JWT before the guest token expires or
//!   after a 401; with a store, failure memory and a timeout, like [`OAuthProvider`].
//! - [`TokenStore`]: [`MemoryTokenStore`] and [`FileTokenStore`] (mode 0600, atomic replace),
//!   so an integration survives restarts without a new login; with the `redis` feature,
//!   `RedisTokenStore` for several instances of an integration sharing one grant: they
//!   refresh one at a time under a lock in Redis ([`TokenStore::lock_refresh`]), and the
//!   others use the token the refreshing one saved.
//! - [`OAuthClient`]: the integration at the identity broker: the authorize URL
//!   ([`OAuthClient::authorize`]: `state` and PKCE S256), the redirect back
//!   ([`AuthorizationRequest::finish`] checks `state` and exchanges the code;
//!   [`AuthorizationRequest::implicit_tokens`] reads an implicit grant's fragment), refresh;
//!   [`RedirectListener`] receives the redirect on a loopback port for CLI and desktop apps.
//!   Its calls trust the webpki roots, plus the client configuration's
//!   `extra_root_certificates` (`WEBEX_CA_FILE`) with [`OAuthClient::with_config`]
//!   ([`GuestProvider::with_config`] likewise).
//! - [`AuthPlugin`]: `AuthPlugin::new(provider)` registers an [`OAuthProvider`] with the
//!   client, logs its [`AuthEvent`]s (log history and `tracing`, never a token) and gives
//!   the application `webex.auth()` ([`AuthExt`]): [`Auth::events`] and [`Auth::logout`].
//!
//! Tokens, refresh tokens and client secrets never appear in `Debug` output, logs or errors.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex_auth::{FileTokenStore, OAuthClient, OAuthProvider, TokenStore};
//!
//! let dir = std::env::temp_dir().join(format!("webex-auth-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let store = FileTokenStore::new(dir.join("tokens.json"));
//! let client = OAuthClient::new("C0123", "client secret", "http://127.0.0.1:8080/callback");
//! let provider = OAuthProvider::with_store(client, store.clone());
//!
//! // Nothing stored yet: the application must sign the user in first.
//! assert!(provider.tokens().await?.is_none());
//! assert!(!format!("{provider:?}").contains("client secret"));
//!
//! // With tokens stored, `Webex::builder().token_provider(provider)` uses and refreshes them.
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```

mod authorize;
mod endpoint;
mod error;
mod events;
mod guest;
mod keeper;
mod listener;
mod outbound;
mod plugin;
mod provider;
mod secret;
mod store;
mod token_set;

pub use authorize::{AuthorizationRequest, Pkce};
pub use endpoint::{DEFAULT_IDBROKER, DEFAULT_TIMEOUT, OAuthClient, may_carry_secrets};
pub use error::AuthError;
pub use events::AuthEvent;
pub use guest::{GuestJwt, GuestProvider};
pub use listener::RedirectListener;
pub use plugin::{Auth, AuthExt, AuthPlugin};
pub use provider::{OAuthProvider, RefreshPolicy};
pub use secret::Secret;
#[cfg(feature = "redis")]
pub use store::RedisTokenStore;
pub use store::{FileTokenStore, MemoryTokenStore, RefreshLock, TokenStore};
pub use token_set::TokenSet;
pub use webex_core::credentials::StaticToken;
