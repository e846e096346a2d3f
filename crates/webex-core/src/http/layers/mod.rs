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
