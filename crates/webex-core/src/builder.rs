use std::fmt;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::Result;
use crate::catalog::{ServiceCatalog, Services};
use crate::config::WebexConfig;
use crate::credentials::{ProvideToken, StaticToken, TokenCache};
use crate::http::{HttpClient, HyperTransport, Pipeline, configured_tls};
use crate::logging::Logger;
use crate::plugin::{BuildContext, Entry, Node, Plugin, PluginGroup, PluginSet, dependency_order};
use crate::tracking_id::TrackingIds;
use crate::webex::{Webex, WebexInner};

type Configure = Box<dyn FnOnce(&mut WebexConfig) + Send>;

/// Builds a [`Webex`] client: config, credentials, plugins.
///
/// ```no_run
/// # async fn run() -> webex_core::Result<()> {
/// let webex = webex_core::Webex::builder()
///     .access_token(std::env::var("WEBEX_ACCESS_TOKEN").unwrap_or_default())
///     .configure(|c| c.app_name = Some("my-bot".into()))
///     .build()
///     .await?;
/// println!("{:?}", webex.services().url("hydra")?);
/// # Ok(()) }
/// ```
#[must_use]
pub struct WebexBuilder {
    config: WebexConfig,
    configure: Vec<Configure>,
    token_provider: Option<Arc<dyn ProvideToken>>,
    plugins: PluginSet,
    fetch_catalog: bool,
}

impl fmt::Debug for WebexBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebexBuilder")
            .field("config", &self.config)
            .field("token_provider", &self.token_provider)
            .field("plugins", &self.plugins)
            .finish_non_exhaustive()
    }
}

impl Default for WebexBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl WebexBuilder {
    /// A builder with default config, no token and no plugins.
    pub fn new() -> Self {
        Self {
            config: WebexConfig::default(),
            configure: Vec::new(),
            token_provider: None,
            plugins: PluginSet::new(),
            fetch_catalog: true,
        }
    }

    /// Replaces the base configuration (e.g. one from
    /// [`ConfigLoader`](crate::config::ConfigLoader)). [`configure`](Self::configure) calls
    /// still apply on top, whatever the call order.
    pub fn config(mut self, config: WebexConfig) -> Self {
        self.config = config;
        self
    }

    /// Loads the base configuration from `webex.toml` and `WEBEX_*` variables.
    ///
    /// # Errors
    /// An unreadable file or an invalid value, as [`ErrorKind::Config`](crate::ErrorKind).
    #[cfg(feature = "config-file")]
    pub fn load_config(self) -> Result<Self> {
        Ok(self.config(crate::config::ConfigLoader::new().load()?))
    }

    /// Changes configuration in code, the highest-precedence layer.
    pub fn configure(mut self, f: impl FnOnce(&mut WebexConfig) + Send + 'static) -> Self {
        self.configure.push(Box::new(f));
        self
    }

    /// Authenticates with a fixed token (bot or personal access token). A blank token is
    /// ignored, leaving the client without one, so `env::var(..).unwrap_or_default()` works.
    pub fn access_token(self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref().trim();
        if token.is_empty() {
            return self;
        }
        self.token_provider(StaticToken::new(token))
    }

    /// Authenticates with `provider` (refreshable tokens).
    pub fn token_provider(mut self, provider: impl ProvideToken) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// Points service discovery at `base` (e.g. a local emulator's base URL): U2C at
    /// `{base}/u2c/api/v1`, the public API at `{base}/v1`. A trailing `/` is ignored. Like
    /// [`configure`](Self::configure), it beats file and environment configuration.
    pub fn discovery_base(self, base: impl AsRef<str>) -> Self {
        let base = base.as_ref().to_owned();
        self.configure(move |c| c.services.discovery.set_base(&base))
    }

    /// Adds a plugin.
    ///
    /// A plugin type is added once: adding one that is already registered (say a
    /// `MercuryPlugin` after the `webex` facade's `DefaultPlugins`) makes
    /// [`build`](Self::build) fail with
    /// [`ErrorKind::DuplicatePlugin`](crate::ErrorKind::DuplicatePlugin), whose message names
    /// the fix: configure a group's plugin with the group's
    /// [`set`](PluginGroup::set), e.g. `.plugins(DefaultPlugins.set(plugin))`. Nothing is
    /// replaced silently.
    pub fn plugin(mut self, plugin: impl Plugin) -> Self {
        self.plugins.push(plugin);
        self
    }

    /// Adds every plugin of `group`, e.g. the `webex` facade's `DefaultPlugins`, in the
    /// group's order. Configure or leave out one of them with [`PluginGroup::set`] and
    /// [`PluginGroup::disable`]; the same duplicate rule as [`plugin`](Self::plugin) applies.
    pub fn plugins(mut self, group: impl PluginGroup) -> Self {
        self.plugins.append(group.into_set());
        self
    }

    /// Skips fetching the service catalog at build time (services then resolve through
    /// discovery and overrides until [`Services::refresh`] runs).
    pub fn without_catalog(mut self) -> Self {
        self.fetch_catalog = false;
        self
    }

    /// Orders and builds the plugins, assembles the HTTP pipeline, fetches the service
    /// catalog, then starts the plugins.
    ///
    /// # Errors
    /// Plugin graph errors (missing dependency, cycle, a plugin type or name added twice),
    /// invalid config, catalog failures (with the tracking id), and plugin start failures.
    pub async fn build(self) -> Result<Webex> {
        let WebexBuilder {
            mut config,
            configure,
            mut token_provider,
            plugins,
            fetch_catalog,
        } = self;
        for f in configure {
            f(&mut config);
        }

        let plugins = plugins.into_entries();
        let graph: Vec<_> = plugins
            .iter()
            .map(|Entry { id, plugin }| Node {
                id: *id,
                name: plugin.name(),
                dependencies: plugin.dependencies(),
            })
            .collect();
        let order = dependency_order(&graph)?;
        let mut slots: Vec<Option<Box<dyn Plugin>>> =
            plugins.into_iter().map(|e| Some(e.plugin)).collect();
        let mut ordered: Vec<Box<dyn Plugin>> =
            order.into_iter().filter_map(|i| slots[i].take()).collect();

        let mut layers = Vec::new();
        for plugin in &mut ordered {
            let mut ctx = BuildContext {
                plugin: plugin.name(),
                config: &mut config,
                layers: &mut layers,
                token_provider: &mut token_provider,
            };
            plugin.build(&mut ctx)?;
        }

        let logger = Logger::new(&config.logger);
        let catalog = Arc::new(ServiceCatalog::from_config(&config.services)?);
        let tokens = token_provider.map(TokenCache::new);
        let tracking_ids = Arc::new(TrackingIds::new(&config.tracking_id_prefix));
        let tls = configured_tls(&config)?;
        let http = HttpClient::new(
            Pipeline {
                config: &config,
                tokens: tokens.clone(),
                catalog: catalog.clone(),
                logger: logger.clone(),
                tracking_ids: tracking_ids.clone(),
                plugin_layers: &layers,
                transport: HyperTransport::for_client(&config, tls.as_deref()),
            }
            .build(),
        );
        let services = Services {
            catalog,
            http: http.clone(),
            logger: logger.clone(),
            tokens: tokens.clone(),
        };
        if fetch_catalog {
            services.load(false).await?;
        }

        let webex = Webex::from_inner(WebexInner {
            config,
            tls,
            http,
            services,
            logger,
            tracking_ids,
            plugins: ordered.into_iter().map(Arc::from).collect(),
            stopped: AtomicBool::new(false),
        });
        webex.start_plugins().await?;
        Ok(webex)
    }
}
