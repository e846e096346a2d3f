//! The HTTP pipeline: hyper 1 under a stack of tower layers, one interceptor each.
//!
//! Outermost first: [`TrackingIdLayer`](layers::TrackingIdLayer) →
//! [`UserAgentLayer`](layers::UserAgentLayer) → plugin layers (in plugin order) →
//! [`AuthLayer`](layers::AuthLayer) → [`RetryLayer`](layers::RetryLayer) →
//! [`RedirectLayer`](layers::RedirectLayer) → [`ServiceLayer`](layers::ServiceLayer) →
//! [`LoggingLayer`](layers::LoggingLayer) → [`HyperTransport`].
//!
//! Why this order: the tracking id is fixed before anything can replay, so a retried or
//! re-authenticated request keeps its id; auth sits outside retry so a 401 refresh replays
//! the whole retry loop; the service layer resolves catalog names per attempt so failover
//! and retries pick the next healthy host; logging sees every wire attempt.

mod body;
mod client;
pub mod deadline;
pub mod layers;
mod pipeline;
mod request;
mod response;
pub mod retry_after;
mod roots;
pub mod secret_headers;
mod transport;

use bytes::Bytes;
use tower::util::BoxCloneSyncService;

pub use body::Body;
pub use client::HttpClient;
pub(crate) use pipeline::Pipeline;
pub use request::{Request, RequestOptions, Target};
pub use response::{MAX_ERROR_MESSAGE_LEN, Response, ResponseMeta, webex_error_message};
pub(crate) use roots::configured_tls;
pub use roots::tls_client_config;
pub use transport::HyperTransport;

use crate::Error;

/// A request as it travels down the layers.
pub type HttpRequest = http::Request<Body>;
/// A response as it travels up the layers: the body is already collected.
pub type HttpResponse = http::Response<Bytes>;
/// A type-erased pipeline stage; plugin layers wrap one of these.
pub type HttpService = BoxCloneSyncService<HttpRequest, HttpResponse, Error>;
/// The future every layer returns.
pub type HttpFuture = futures::future::BoxFuture<'static, Result<HttpResponse, Error>>;
