//! One overall deadline per call. Refresh-and-replay × retries × redirect hops would
//! otherwise multiply the per-attempt timeout; the deadline bounds the whole call, and the
//! layers record the stage the call is in so the error can say which one ran out.

use std::cell::Cell;
use std::fmt;
use std::task::{Context, Poll};
use std::time::Duration;

use tower::{Layer, Service, ServiceExt};

use super::request::options_of;
use super::{HttpFuture, HttpRequest, HttpResponse};
use crate::{Error, ErrorKind};

/// Where a call is, for the deadline's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallStage {
    /// Waiting for the token provider's access token.
    Token,
    /// Waiting for a refreshed token after a 401.
    Refresh,
    /// Sending wire attempt `n` (1 first) and waiting for its response.
    Attempt(u32),
    /// Waiting before retry `n` (a backoff or the server's `Retry-After`).
    RetryWait(u32),
    /// Following `cisco-location` redirect `n`.
    Redirect(u32),
}

impl fmt::Display for CallStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token => f.write_str("waiting for the access token"),
            Self::Refresh => f.write_str("refreshing the access token after a 401"),
            Self::Attempt(n) => write!(f, "attempt {n} (sending, waiting for the response)"),
            Self::RetryWait(n) => write!(f, "waiting to retry ({n})"),
            Self::Redirect(n) => write!(f, "following redirect {n}"),
        }
    }
}

tokio::task_local! {
    /// The stage of the call being polled. Every layer's future of one call runs inside the
    /// deadline's future (nothing is spawned), so a task-local reaches them all without an
    /// allocation or a request extension per call.
    static STAGE: Cell<CallStage>;
}

/// Records `stage` for the call being polled (nothing outside a deadline).
pub(crate) fn enter(stage: CallStage) {
    let _ = STAGE.try_with(|cell| cell.set(stage));
}

/// The outermost layer: bounds the whole call by the request's deadline, or the configured
/// one ([`WebexConfig::call_deadline`](crate::config::WebexConfig::call_deadline)).
#[derive(Debug, Clone)]
pub struct DeadlineLayer {
    deadline: Duration,
}

impl DeadlineLayer {
    /// A layer bounding calls without a deadline of their own by `deadline`.
    #[must_use]
    pub fn new(deadline: Duration) -> Self {
        Self { deadline }
    }
}

impl<S> Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Deadline {
            inner,
            deadline: self.deadline,
        }
    }
}

/// The service of [`DeadlineLayer`].
#[derive(Debug, Clone)]
pub struct Deadline<S> {
    inner: S,
    deadline: Duration,
}

impl<S> Service<HttpRequest> for Deadline<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = HttpFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: HttpRequest) -> Self::Future {
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let deadline = options_of(&req).deadline.unwrap_or(self.deadline);
        Box::pin(STAGE.scope(Cell::new(CallStage::Attempt(1)), async move {
            match tokio::time::timeout(deadline, inner.oneshot(req)).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    let stage = STAGE.with(Cell::get);
                    Err(Error::new(
                        ErrorKind::Timeout,
                        format!("the call did not finish within {deadline:?}: it ran out {stage}"),
                    ))
                }
            }
        }))
    }
}
