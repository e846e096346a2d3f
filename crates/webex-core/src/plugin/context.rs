use std::fmt;
use std::sync::Arc;

use tower::{Layer, Service};

use crate::Error;
use crate::config::WebexConfig;
use crate::credentials::ProvideToken;
use crate::http::{HttpRequest, HttpResponse, HttpService};

/// A type-erased HTTP layer contributed by a plugin.
#[derive(Clone)]
pub struct PluginLayer {
    plugin: &'static str,
    wrap: Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>,
}

impl PluginLayer {
    /// Wraps `inner` in this layer.
    #[must_use]
    pub fn wrap(&self, inner: HttpService) -> HttpService {
        (self.wrap)(inner)
    }
}

impl fmt::Debug for PluginLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PluginLayer")
            .field("plugin", &self.plugin)
            .finish_non_exhaustive()
    }
}

/// What a plugin may change while the client is being built.
pub struct BuildContext<'a> {
    pub(crate) plugin: &'static str,
    pub(crate) config: &'a mut WebexConfig,
    pub(crate) layers: &'a mut Vec<PluginLayer>,
    pub(crate) token_provider: &'a mut Option<Arc<dyn ProvideToken>>,
}

impl fmt::Debug for BuildContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuildContext")
            .field("plugin", &self.plugin)
            .finish_non_exhaustive()
    }
}

impl BuildContext<'_> {
    /// The configuration so far.
    #[must_use]
    pub fn config(&self) -> &WebexConfig {
        self.config
    }

    /// Changes the configuration (e.g. a plugin's defaults).
    pub fn config_mut(&mut self) -> &mut WebexConfig {
        self.config
    }

    /// Adds a tower layer to every request. Plugin layers sit inside the tracking-id and
    /// user-agent layers and outside auth, retry and the transport, in plugin order (the
    /// first plugin's layer is outermost).
    pub fn http_layer<L>(&mut self, layer: L)
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: Service<HttpRequest, Response = HttpResponse, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as Service<HttpRequest>>::Future: Send + 'static,
    {
        self.layers.push(PluginLayer {
            plugin: self.plugin,
            wrap: Arc::new(move |inner| HttpService::new(layer.layer(inner))),
        });
    }

    /// Sets the token provider (e.g. an OAuth plugin), replacing any set before.
    pub fn set_token_provider(&mut self, provider: Arc<dyn ProvideToken>) {
        *self.token_provider = Some(provider);
    }

    /// Whether a token provider is set.
    #[must_use]
    pub fn has_token_provider(&self) -> bool {
        self.token_provider.is_some()
    }
}
