use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use crate::builder::WebexBuilder;
use crate::catalog::Services;
use crate::config::WebexConfig;
use crate::credentials::TokenCache;
use crate::http::HttpClient;
use crate::logging::Logger;
use crate::plugin::Plugin;
use crate::tracking_id::TrackingIds;
use crate::{Error, ErrorKind, Result};

/// The client handle: cheap to clone, `Send + Sync`, shared by every plugin.
#[derive(Clone)]
pub struct Webex {
    inner: Arc<WebexInner>,
}

pub(crate) struct WebexInner {
    pub(crate) config: WebexConfig,
    /// Built once from `config.extra_root_certificates`, shared by every connection.
    pub(crate) tls: Option<Arc<rustls::ClientConfig>>,
    pub(crate) http: HttpClient,
    pub(crate) services: Services,
    pub(crate) logger: Logger,
    pub(crate) tracking_ids: Arc<TrackingIds>,
    /// In dependency order.
    pub(crate) plugins: Vec<Arc<dyn Plugin>>,
    pub(crate) stopped: AtomicBool,
}

impl fmt::Debug for Webex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webex")
            .field("session_id", &self.session_id())
            .field("plugins", &self.plugin_names())
            .finish_non_exhaustive()
    }
}

impl Webex {
    /// A builder with no plugins: add them one by one with
    /// [`plugin`](WebexBuilder::plugin), or as a group with
    /// [`plugins`](WebexBuilder::plugins) (the `webex` facade's `DefaultPlugins`).
    pub fn builder() -> WebexBuilder {
        WebexBuilder::new()
    }

    pub(crate) fn from_inner(inner: WebexInner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// A handle that does not keep the client alive, for work the SDK runs in the background:
    /// such a task must end once the user drops the last `Webex`, not keep it alive.
    #[must_use]
    pub fn downgrade(&self) -> WeakWebex {
        WeakWebex {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// The configuration in effect.
    #[must_use]
    pub fn config(&self) -> &WebexConfig {
        &self.inner.config
    }

    /// The TLS client configuration trusting the configured `extra_root_certificates`
    /// besides the webpki roots, built once at `build()`, for plugins that open their own
    /// TLS connections (websockets) so they trust what the HTTP client trusts. `None` when
    /// no extra roots are configured: the webpki roots alone.
    #[must_use]
    pub fn tls_client_config(&self) -> Option<&Arc<rustls::ClientConfig>> {
        self.inner.tls.as_ref()
    }

    /// The shared HTTP client.
    #[must_use]
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// The service catalog.
    #[must_use]
    pub fn services(&self) -> &Services {
        &self.inner.services
    }

    /// The client's token cache (the one the HTTP pipeline uses), for plugins that must
    /// authorize outside HTTP, e.g. a websocket's authorization frame. Sharing it keeps
    /// refreshes single-flight across HTTP and such channels. `None` without a token.
    #[must_use]
    pub fn credentials(&self) -> Option<&TokenCache> {
        self.inner.services.tokens.as_ref()
    }

    /// The logger and its history.
    #[must_use]
    pub fn logger(&self) -> &Logger {
        &self.inner.logger
    }

    /// The fixed part of this client's tracking ids (`<prefix>_<uuid>`).
    #[must_use]
    pub fn session_id(&self) -> &str {
        self.inner.tracking_ids.session_id()
    }

    /// The plugin of type `P`, if it was added.
    #[must_use]
    pub fn plugin<P: Plugin>(&self) -> Option<&P> {
        self.inner
            .plugins
            .iter()
            .find_map(|p| (p.as_ref() as &dyn Any).downcast_ref::<P>())
    }

    /// Plugin names in start order.
    #[must_use]
    pub fn plugin_names(&self) -> Vec<&'static str> {
        self.inner.plugins.iter().map(|p| p.name()).collect()
    }

    pub(crate) async fn start_plugins(&self) -> Result<()> {
        for (i, plugin) in self.inner.plugins.iter().enumerate() {
            if let Err(err) = plugin.start(self).await {
                // Undo what already started, newest first, then report the failure.
                for started in self.inner.plugins[..i].iter().rev() {
                    if let Err(stop_err) = started.stop(self).await {
                        self.log_stop_failure(started.name(), &stop_err);
                    }
                }
                self.inner.stopped.store(true, Ordering::SeqCst);
                return Err(Error::new(
                    ErrorKind::Plugin,
                    format!("plugin `{}` failed to start: {err}", plugin.name()),
                )
                .with_source(err));
            }
        }
        Ok(())
    }

    fn log_stop_failure(&self, name: &str, err: &Error) {
        crate::log_error!(self.inner.logger, "plugin `{name}` failed to stop: {err}");
    }

    /// Stops every plugin in reverse start order. Later calls do nothing.
    ///
    /// # Errors
    /// The first plugin failure (every plugin is still asked to stop).
    pub async fn shutdown(&self) -> Result<()> {
        if self.inner.stopped.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let mut first = None;
        for plugin in self.inner.plugins.iter().rev() {
            if let Err(err) = plugin.stop(self).await {
                self.log_stop_failure(plugin.name(), &err);
                first.get_or_insert(
                    Error::new(
                        ErrorKind::Plugin,
                        format!("plugin `{}` failed to stop: {err}", plugin.name()),
                    )
                    .with_source(err),
                );
            }
        }
        first.map_or(Ok(()), Err)
    }
}

/// A [`Webex`] that does not keep the client alive ([`Webex::downgrade`]).
#[derive(Debug, Clone)]
pub struct WeakWebex {
    inner: Weak<WebexInner>,
}

impl WeakWebex {
    /// The client, unless every [`Webex`] handle is gone.
    #[must_use]
    pub fn upgrade(&self) -> Option<Webex> {
        self.inner.upgrade().map(|inner| Webex { inner })
    }
}
