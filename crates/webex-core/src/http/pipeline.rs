use std::sync::Arc;

use tower::ServiceBuilder;

use super::HttpService;
use super::deadline::{Deadline, DeadlineLayer};
use super::layers::{
    AuthLayer, LoggingLayer, RedirectLayer, RetryLayer, ServiceLayer, TrackingId, TrackingIdLayer,
    UserAgent, UserAgentLayer,
};
use super::transport::HyperTransport;
use crate::catalog::ServiceCatalog;
use crate::config::WebexConfig;
use crate::credentials::TokenCache;
use crate::logging::Logger;
use crate::plugin::PluginLayer;
use crate::tracking_id::TrackingIds;

/// The whole stack as the client holds it: the outer layers unboxed (no allocation per call
/// for them) around the boxed plugin layers and core.
pub(crate) type CallService = Deadline<TrackingId<UserAgent<HttpService>>>;

/// Assembles the layer stack described in the [module docs](super).
pub(crate) struct Pipeline<'a> {
    pub(crate) config: &'a WebexConfig,
    pub(crate) tokens: Option<TokenCache>,
    pub(crate) catalog: Arc<ServiceCatalog>,
    pub(crate) logger: Logger,
    pub(crate) tracking_ids: Arc<TrackingIds>,
    pub(crate) plugin_layers: &'a [PluginLayer],
    pub(crate) transport: HyperTransport,
}

impl Pipeline<'_> {
    pub(crate) fn build(self) -> CallService {
        let core = ServiceBuilder::new()
            .layer(AuthLayer::new(self.tokens, self.catalog.clone()))
            .layer(RetryLayer::new(self.config.retry.clone(), self.logger.clone()).sharing_replay())
            .layer(
                RedirectLayer::new(self.config.max_redirects, self.catalog.clone())
                    .with_logger(self.logger.clone()),
            )
            .layer(ServiceLayer::new(self.catalog))
            .layer(LoggingLayer::new(self.logger))
            .service(self.transport);
        // The first plugin's layer ends up outermost, so plugins wrap in dependency order.
        let mut stack = HttpService::new(core);
        for layer in self.plugin_layers.iter().rev() {
            stack = layer.wrap(stack);
        }
        // The core's waits honour the deadline themselves; a plugin layer's may not.
        let mut deadline = DeadlineLayer::new(self.config.call_deadline);
        if !self.plugin_layers.is_empty() {
            deadline = deadline.with_call_timer();
        }
        ServiceBuilder::new()
            .layer(deadline)
            .layer(TrackingIdLayer::new(self.tracking_ids))
            .layer(UserAgentLayer::new(
                self.config.app_name.as_deref(),
                self.config.app_version.as_deref(),
            ))
            .service(stack)
    }
}
