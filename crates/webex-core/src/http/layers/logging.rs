use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::Either;
use tower::{Layer, Service};

use super::TRACKING_ID;
use crate::Error;
use crate::config::LogLevel;
use crate::http::{HttpFuture, HttpRequest, HttpResponse};
use crate::logging::{Logger, redact};

/// Logs every wire attempt: method, URL (secret query values redacted), status, duration and
/// tracking id. Headers are never logged, so tokens cannot leak through here.
#[derive(Debug, Clone)]
pub struct LoggingLayer {
    logger: Logger,
}

impl LoggingLayer {
    /// A layer writing to `logger`.
    #[must_use]
    pub fn new(logger: Logger) -> Self {
        Self { logger }
    }
}

impl<S> Layer<S> for LoggingLayer {
    type Service = Logging<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Logging {
            inner,
            logger: self.logger.clone(),
        }
    }
}

/// The service of [`LoggingLayer`].
#[derive(Debug, Clone)]
pub struct Logging<S> {
    inner: S,
    logger: Logger,
}

impl<S> Service<HttpRequest> for Logging<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = Either<S::Future, HttpFuture>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: HttpRequest) -> Self::Future {
        // Ready for the call: `poll_ready` above was the inner service's.
        if !crate::log_enabled!(self.logger, LogLevel::Warn) {
            return Either::Left(self.inner.call(req));
        }
        let logger = self.logger.clone();
        let method = req.method().clone();
        let uri = req.uri().clone();
        let tracking_id = req.headers().get(TRACKING_ID).cloned();
        let started = Instant::now();
        let attempt = self.inner.call(req);
        Either::Right(Box::pin(async move {
            let outcome = attempt.await;
            let elapsed = started.elapsed();
            let level = match &outcome {
                Ok(res) if res.status().is_success() => LogLevel::Debug,
                _ => LogLevel::Warn,
            };
            // The arguments are evaluated only for a record someone wants.
            crate::log!(
                logger,
                level,
                "{method} {} {} in {elapsed:?} (trackingid {})",
                redact::uri(&uri),
                match &outcome {
                    Ok(res) => format!("-> {}", res.status().as_u16()),
                    Err(e) => format!("failed: {e}"),
                },
                tracking_id
                    .as_ref()
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-"),
            );
            outcome
        }))
    }
}
