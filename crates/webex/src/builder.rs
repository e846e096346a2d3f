use webex_core::config::WebexConfig;
use webex_core::credentials::ProvideToken;
use webex_core::{Plugin, Result};

use crate::Webex;

/// The default plugin set: one plugin per enabled feature, in dependency order.
#[must_use]
pub fn default_plugins()
-> Vec<Box<dyn FnOnce(webex_core::WebexBuilder) -> webex_core::WebexBuilder + Send>> {
    #[allow(unused_mut, reason = "empty when every plugin feature is off")]
    let mut plugins: Vec<
        Box<dyn FnOnce(webex_core::WebexBuilder) -> webex_core::WebexBuilder + Send>,
    > = Vec::new();
    #[cfg(feature = "auth")]
    plugins.push(Box::new(|b| b.plugin(webex_auth::AuthPlugin::default())));
    #[cfg(feature = "devices")]
    plugins.push(Box::new(|b| {
        b.plugin(webex_devices::DevicesPlugin::default())
    }));
    #[cfg(feature = "mercury")]
    plugins.push(Box::new(|b| {
        b.plugin(webex_mercury::MercuryPlugin::default())
    }));
    #[cfg(feature = "messages")]
    plugins.push(Box::new(|b| {
        b.plugin(webex_messages::MessagesPlugin::default())
    }));
    #[cfg(feature = "meetings")]
    plugins.push(Box::new(|b| {
        b.plugin(webex_meetings::MeetingsPlugin::default())
    }));
    #[cfg(feature = "media")]
    plugins.push(Box::new(|b| b.plugin(webex_media::MediaPlugin::default())));
    plugins
}

/// [`webex_core::WebexBuilder`] plus the default plugin set.
#[derive(Debug)]
#[must_use]
pub struct WebexBuilder {
    inner: webex_core::WebexBuilder,
    defaults: bool,
}

impl Default for WebexBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl WebexBuilder {
    /// A builder that will add the default plugins.
    pub fn new() -> Self {
        Self {
            inner: webex_core::WebexBuilder::new(),
            defaults: true,
        }
    }

    fn map(mut self, f: impl FnOnce(webex_core::WebexBuilder) -> webex_core::WebexBuilder) -> Self {
        self.inner = f(self.inner);
        self
    }

    /// Leaves the default plugins out; add the ones you want with [`plugin`](Self::plugin).
    pub fn without_default_plugins(mut self) -> Self {
        self.defaults = false;
        self
    }

    /// See [`webex_core::WebexBuilder::config`].
    pub fn config(self, config: WebexConfig) -> Self {
        self.map(|b| b.config(config))
    }

    /// See [`webex_core::WebexBuilder::load_config`].
    ///
    /// # Errors
    /// An unreadable file or an invalid value.
    #[cfg(feature = "config-file")]
    pub fn load_config(mut self) -> Result<Self> {
        self.inner = self.inner.load_config()?;
        Ok(self)
    }

    /// See [`webex_core::WebexBuilder::configure`].
    pub fn configure(self, f: impl FnOnce(&mut WebexConfig) + Send + 'static) -> Self {
        self.map(|b| b.configure(f))
    }

    /// See [`webex_core::WebexBuilder::access_token`].
    pub fn access_token(self, token: impl AsRef<str>) -> Self {
        self.map(|b| b.access_token(token))
    }

    /// See [`webex_core::WebexBuilder::token_provider`].
    pub fn token_provider(self, provider: impl ProvideToken) -> Self {
        self.map(|b| b.token_provider(provider))
    }

    /// Adds a plugin besides the defaults (e.g. a third-party one).
    pub fn plugin(self, plugin: impl Plugin) -> Self {
        self.map(|b| b.plugin(plugin))
    }

    /// See [`webex_core::WebexBuilder::without_catalog`].
    pub fn without_catalog(self) -> Self {
        self.map(webex_core::WebexBuilder::without_catalog)
    }

    /// Builds the client.
    ///
    /// # Errors
    /// See [`webex_core::WebexBuilder::build`].
    pub async fn build(self) -> Result<Webex> {
        let mut inner = self.inner;
        if self.defaults {
            for add in default_plugins() {
                inner = add(inner);
            }
        }
        inner.build().await.map(Webex::from)
    }
}
