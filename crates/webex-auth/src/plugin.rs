//! The `auth` plugin: registers an [`OAuthProvider`] as the client's token provider, writes
//! its [`AuthEvent`]s to the client's log (history and `tracing`), and hands them and
//! [`logout`](Auth::logout) to the application through [`webex.auth()`](AuthExt::auth).

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use webex_core::credentials::TokenCache;
use webex_core::logging::Logger;
use webex_core::{BuildContext, Error, ErrorKind, Plugin, Webex};

use crate::{AuthError, AuthEvent, OAuthProvider};

/// How many events a slow [`Auth::events`] receiver may fall behind before it misses some
/// (it is told how many: `RecvError::Lagged`).
const EVENT_BUFFER: usize = 16;

/// The `auth` plugin.
///
/// [`AuthPlugin::new`] makes an OAuth integration's provider the client's token provider
/// (so `token_provider` need not be called on the builder), and
/// [`webex.auth()`](AuthExt::auth) gives the application its events and logout. Every event
/// is also logged under the `webex_auth` target, in the client's log history and on
/// `tracing`: a refresh at info level, a refused refresh token at warn level. Events carry no
/// token, so neither does the log.
///
/// [`AuthPlugin::default`] (what the facade's default plugins hold) registers no provider:
/// the client then uses whatever the builder was given, and [`Auth::logout`] has nothing to
/// revoke.
///
/// ```no_run
/// # async fn run(provider: webex_auth::OAuthProvider) -> webex_core::Result<()> {
/// use webex_auth::{AuthEvent, AuthExt, AuthPlugin};
///
/// let webex = webex_core::Webex::builder()
///     .plugin(AuthPlugin::new(provider))
///     .build()
///     .await?;
/// let mut events = webex.auth().events();
/// tokio::spawn(async move {
///     while let Ok(event) = events.recv().await {
///         if event == AuthEvent::ReauthorizationRequired {
///             // Send the user through the authorize URL again.
///         }
///     }
/// });
/// // On sign-out: revoke the grant at the broker and forget the stored tokens.
/// webex.auth().logout().await.ok();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AuthPlugin {
    provider: Option<OAuthProvider>,
    events: broadcast::Sender<AuthEvent>,
    /// Copies the provider's events to the log and to `events`; running between `start`
    /// and `stop`.
    forwarder: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Default for AuthPlugin {
    fn default() -> Self {
        Self {
            provider: None,
            events: broadcast::channel(EVENT_BUFFER).0,
            forwarder: Arc::default(),
        }
    }
}

impl AuthPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "auth";

    /// A plugin making `provider` the client's token provider (it replaces one given to
    /// the builder).
    #[must_use]
    pub fn new(provider: OAuthProvider) -> Self {
        Self {
            provider: Some(provider),
            ..Self::default()
        }
    }

    /// The OAuth provider, if the plugin was made with one.
    #[must_use]
    pub fn provider(&self) -> Option<&OAuthProvider> {
        self.provider.as_ref()
    }
}

/// Writes `event` to the client's log.
fn log_event(logger: &Logger, event: &AuthEvent) {
    match event {
        AuthEvent::Refreshed => {
            webex_core::log_info!(logger, "auth: the access token was refreshed");
        }
        AuthEvent::ReauthorizationRequired => webex_core::log_warn!(
            logger,
            "auth: the refresh token was refused; the user must sign in again"
        ),
    }
}

/// Logs a warning when the client trusts an `extra_root_certificates` file that the
/// provider's refreshes do not: they would fail against a broker only that root vouches for
/// (a `webex-emulator --tls`, a company proxy), long after the client was built.
fn warn_on_other_roots(webex: &Webex, provider: &OAuthProvider) {
    let client_roots = webex.config().extra_root_certificates.as_deref();
    let refresh_roots = provider.client().extra_root_certificates();
    if let Some(path) = client_roots
        && refresh_roots != Some(path)
    {
        webex_core::log_warn!(
            webex.logger(),
            "auth: the client trusts the extra root certificates in {} but the OAuth \
             provider's refreshes do not: build its OAuthClient with `with_config`",
            path.display()
        );
    }
}

/// Copies `source`'s events to `logger` and `sink` until the provider is gone.
async fn forward(
    mut source: broadcast::Receiver<AuthEvent>,
    logger: Logger,
    sink: broadcast::Sender<AuthEvent>,
) {
    loop {
        match source.recv().await {
            Ok(event) => {
                log_event(&logger, &event);
                // No receiver is no loss: the log has it.
                let _ = sink.send(event);
            }
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                webex_core::log_warn!(logger, "auth: {missed} auth events were not logged");
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

#[webex_core::async_trait]
impl Plugin for AuthPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn build(&mut self, ctx: &mut BuildContext<'_>) -> webex_core::Result<()> {
        if let Some(provider) = &self.provider {
            ctx.set_token_provider(Arc::new(provider.clone()));
        }
        Ok(())
    }

    async fn start(&self, webex: &Webex) -> webex_core::Result<()> {
        if let Some(provider) = &self.provider {
            warn_on_other_roots(webex, provider);
            let task = tokio::spawn(forward(
                provider.events(),
                webex.logger().clone(),
                self.events.clone(),
            ));
            let old = self
                .forwarder
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .replace(task);
            if let Some(old) = old {
                old.abort();
            }
        }
        Ok(())
    }

    async fn stop(&self, _webex: &Webex) -> webex_core::Result<()> {
        let task = self
            .forwarder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            task.abort();
        }
        Ok(())
    }
}

/// `webex.auth()`: the [`AuthPlugin`]'s events and logout.
pub trait AuthExt {
    /// The client's sign-in state.
    ///
    /// # Panics
    /// Never: a client without the `auth` plugin gets a handle whose
    /// [`logout`](Auth::logout) fails with a typed error and whose events never come.
    fn auth(&self) -> Auth;
}

impl AuthExt for Webex {
    fn auth(&self) -> Auth {
        Auth {
            plugin: self.plugin::<AuthPlugin>().cloned().unwrap_or_default(),
            credentials: self.credentials().cloned(),
        }
    }
}

/// A handle on the client's sign-in (from [`AuthExt::auth`]). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Auth {
    plugin: AuthPlugin,
    /// The client's token cache, emptied by a sign-out.
    credentials: Option<TokenCache>,
}

impl Auth {
    /// The provider's events from now on: [`AuthEvent::Refreshed`] after each refresh,
    /// [`AuthEvent::ReauthorizationRequired`] once when the refresh token is refused.
    #[must_use]
    pub fn events(&self) -> broadcast::Receiver<AuthEvent> {
        self.plugin.events.subscribe()
    }

    /// The OAuth provider, if the plugin has one.
    #[must_use]
    pub fn provider(&self) -> Option<&OAuthProvider> {
        self.plugin.provider()
    }

    /// Signs out: revokes the grant at the broker, clears the token store (see
    /// [`OAuthProvider::logout`]) and the client's cached access token. Requests made
    /// afterwards fail with [`ErrorKind::Credentials`] before anything is sent, until the
    /// user signs in again (`OAuthProvider::set_tokens`).
    ///
    /// # Errors
    /// [`ErrorKind::Credentials`] with the [`AuthError`] as its source: the revocation or
    /// the store failed, or no OAuth provider was registered ([`AuthError::Config`]).
    pub async fn logout(&self) -> webex_core::Result<()> {
        let result = match &self.plugin.provider {
            Some(provider) => {
                let result = provider.logout().await;
                // Even when the broker could not be reached the store is cleared: the
                // cached copy of the signed-out token must go too.
                if let Some(credentials) = &self.credentials {
                    credentials.forget();
                }
                result
            }
            None => Err(AuthError::Config(
                "no OAuth provider to log out of: register AuthPlugin::new(provider)".into(),
            )),
        };
        result.map_err(|e| Error::new(ErrorKind::Credentials, e.to_string()).with_source(e))
    }
}
