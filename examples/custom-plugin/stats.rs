//! The example plugin: a tower layer plus an API reachable from the client.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use http::{HeaderName, HeaderValue};
use tower::{Layer, Service};
use webex::core::http::{HttpFuture, HttpRequest, HttpResponse};
use webex::http::{Request, Target};
use webex::{BuildContext, Error, Plugin, Result, Webex, async_trait};

/// Counts requests and failures seen below it.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    failures: AtomicU64,
}

/// A point-in-time copy of the counters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Snapshot {
    pub(crate) requests: u64,
    pub(crate) failures: u64,
}

/// The plugin. Its state is shared with its layer through an `Arc`.
#[derive(Debug)]
pub(crate) struct StatsPlugin {
    app: HeaderValue,
    counters: Arc<Counters>,
}

impl StatsPlugin {
    pub(crate) fn new(app: &'static str) -> Self {
        Self {
            app: HeaderValue::from_static(app),
            counters: Arc::default(),
        }
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            requests: self.counters.requests.load(Ordering::Relaxed),
            failures: self.counters.failures.load(Ordering::Relaxed),
        }
    }

    /// The plugin's own API call, on the shared (authenticated, retried) HTTP client.
    pub(crate) async fn whoami(&self, webex: &Webex) -> Result<String> {
        let me: serde_json::Value = webex
            .http()
            .json(Request::get(Target::service("hydra", "people/me")))
            .await?;
        Ok(format!(
            "{} <{}>",
            me["displayName"].as_str().unwrap_or("?"),
            me["emails"][0].as_str().unwrap_or("?")
        ))
    }
}

#[async_trait]
impl Plugin for StatsPlugin {
    fn name(&self) -> &'static str {
        "example-stats"
    }

    fn build(&mut self, ctx: &mut BuildContext<'_>) -> Result<()> {
        ctx.http_layer(StatsLayer {
            app: self.app.clone(),
            counters: self.counters.clone(),
        });
        Ok(())
    }
}

/// `webex.stats()`, the way SDK plugins expose their APIs.
pub(crate) trait StatsExt {
    fn stats(&self) -> &StatsPlugin;
}

impl StatsExt for Webex {
    fn stats(&self) -> &StatsPlugin {
        self.plugin::<StatsPlugin>()
            .expect("StatsPlugin was added to the builder")
    }
}

#[derive(Clone)]
struct StatsLayer {
    app: HeaderValue,
    counters: Arc<Counters>,
}

impl<S> Layer<S> for StatsLayer {
    type Service = StatsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        StatsService {
            inner,
            app: self.app.clone(),
            counters: self.counters.clone(),
        }
    }
}

#[derive(Clone)]
struct StatsService<S> {
    inner: S,
    app: HeaderValue,
    counters: Arc<Counters>,
}

impl<S> Service<HttpRequest> for StatsService<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error, Future = HttpFuture>,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = HttpFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: HttpRequest) -> Self::Future {
        req.headers_mut()
            .insert(HeaderName::from_static("x-app-request"), self.app.clone());
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        let counters = self.counters.clone();
        let response = self.inner.call(req);
        Box::pin(async move {
            let outcome = response.await;
            if outcome
                .as_ref()
                .map_or(true, |r| r.status().as_u16() >= 400)
            {
                counters.failures.fetch_add(1, Ordering::Relaxed);
            }
            outcome
        })
    }
}
