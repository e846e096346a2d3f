//! The interceptors, one tower layer each. See the [module docs](super) for their order.

mod auth;
mod logging;
mod redirect;
mod retry;
mod service;
mod tracking_id;
mod user_agent;

pub use auth::{Auth, AuthLayer};
pub use logging::{Logging, LoggingLayer};
pub use redirect::{Redirect, RedirectLayer};
pub use retry::{Retry, RetryLayer};
pub use service::{ServiceLayer, ServiceResolve};
pub(crate) use tracking_id::TRACKING_ID;
pub use tracking_id::{TrackingId, TrackingIdLayer};
pub use user_agent::{UserAgent, UserAgentLayer};

use tower::{Service, ServiceExt};

use super::{HttpRequest, HttpResponse};
use crate::Error;

/// Sends `req` through `inner` once it is ready (at once for the first send: the layer's
/// `poll_ready` readied it). A layer that may send more than once (a replay, a retry, a
/// redirect, the next host) keeps one copy of the stack below it for the whole call: no
/// copy of it per send, and only this small future in the layer's own.
async fn send<S>(inner: &mut S, req: HttpRequest) -> Result<HttpResponse, Error>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    inner.ready().await?.call(req).await
}
