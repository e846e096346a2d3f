use std::task::{Context, Poll};

use http::header::USER_AGENT;
use http::{HeaderName, HeaderValue};
use tower::{Layer, Service};

use crate::Error;
use crate::http::{HttpRequest, HttpResponse};

const SPARK_USER_AGENT: HeaderName = HeaderName::from_static("spark-user-agent");

/// Adds `user-agent` and `spark-user-agent` unless present.
///
/// `user-agent` is `<app>/<version>` when an app name is configured, else
/// `webex-rs/<sdk version>`; `spark-user-agent` is `webex-rs/<sdk version> (rust)` followed by
/// ` <app>/<version>` — the shape of the JS SDK's `webex/<v> (node) app/v`.
#[derive(Debug, Clone)]
pub struct UserAgentLayer {
    user_agent: HeaderValue,
    spark_user_agent: HeaderValue,
}

impl UserAgentLayer {
    /// A layer for the given application name and version.
    #[must_use]
    pub fn new(app_name: Option<&str>, app_version: Option<&str>) -> Self {
        let sdk = format!("webex-rs/{}", env!("CARGO_PKG_VERSION"));
        let app = app_name.map(|name| format!("{name}/{}", app_version.unwrap_or("0.0")));
        let user_agent = app.clone().unwrap_or_else(|| sdk.clone());
        let spark = match &app {
            Some(app) => format!("{sdk} (rust) {app}"),
            None => format!("{sdk} (rust)"),
        };
        let fallback = HeaderValue::from_static("webex-rs");
        Self {
            user_agent: HeaderValue::from_str(&user_agent).unwrap_or_else(|_| fallback.clone()),
            spark_user_agent: HeaderValue::from_str(&spark).unwrap_or(fallback),
        }
    }
}

impl<S> Layer<S> for UserAgentLayer {
    type Service = UserAgent<S>;

    fn layer(&self, inner: S) -> Self::Service {
        UserAgent {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`UserAgentLayer`].
#[derive(Debug, Clone)]
pub struct UserAgent<S> {
    inner: S,
    layer: UserAgentLayer,
}

impl<S> Service<HttpRequest> for UserAgent<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: HttpRequest) -> Self::Future {
        let headers = req.headers_mut();
        headers
            .entry(USER_AGENT)
            .or_insert_with(|| self.layer.user_agent.clone());
        headers
            .entry(SPARK_USER_AGENT)
            .or_insert_with(|| self.layer.spark_user_agent.clone());
        self.inner.call(req)
    }
}
