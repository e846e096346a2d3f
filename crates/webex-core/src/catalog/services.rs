use std::collections::BTreeMap;
use std::sync::Arc;

use url::Url;

use super::{ServiceCatalog, ServiceGroup};
use crate::Result;
use crate::credentials::TokenCache;
use crate::http::HttpClient;
use crate::logging::Logger;

/// `webex.services()`: look services up, list them, refresh the catalog.
#[derive(Debug, Clone)]
pub struct Services {
    pub(crate) catalog: Arc<ServiceCatalog>,
    pub(crate) http: HttpClient,
    pub(crate) logger: Logger,
    pub(crate) tokens: Option<TokenCache>,
}

impl Services {
    /// The URL of service `name` (override > postauth > preauth > discovery, priority host).
    ///
    /// # Errors
    /// [`ErrorKind::UnknownService`](crate::ErrorKind::UnknownService) for an unknown name.
    pub fn url(&self, name: &str) -> Result<Url> {
        self.catalog.url(name)
    }

    /// Every known service and its current URL.
    #[must_use]
    pub fn list(&self) -> BTreeMap<String, Url> {
        self.catalog.list()
    }

    /// Whether the full (post-auth) catalog has been loaded.
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.catalog.has_group(ServiceGroup::Postauth)
    }

    /// The catalog itself, for plugins that need lower-level access.
    #[must_use]
    pub fn catalog(&self) -> &Arc<ServiceCatalog> {
        &self.catalog
    }

    /// Fetches the limited and full catalogs again, bypassing caches.
    ///
    /// # Errors
    /// HTTP failures and malformed catalogs, with the tracking id.
    pub async fn refresh(&self) -> Result<()> {
        self.load(true).await
    }

    /// The start-up sequence with the current token; `force` bypasses caches.
    pub(crate) async fn load(&self, force: bool) -> Result<()> {
        let token = match &self.tokens {
            Some(tokens) => Some(tokens.token().await?),
            None => None,
        };
        super::initialize(
            &self.http,
            &self.catalog,
            &self.logger,
            token.as_ref().map(|t| t.secret()),
            force,
        )
        .await
    }
}
