//! One overall deadline per call. Refresh-and-replay × retries × redirect hops would
//! otherwise multiply the per-attempt timeout; the deadline bounds the whole call, and the
//! layers record the stage the call is in so the error can say which one ran out.
//!
//! The core's own waits honour the deadline themselves rather than racing the call against
//! a timer of its own: a wire attempt's timer ends at whichever comes first, the attempt's
//! timeout or the call's deadline (`attempt_end`); a retry wait ends at the deadline at
//! the latest (`sleep`); the token and a refresh are bounded by it (`bounded`). A call
//! that finishes at the first attempt then arms one timer, not two. Layers outside the core
//! (plugin layers) can wait on anything, so with any of them the whole call also races a
//! timer ([`DeadlineLayer::with_call_timer`]).

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::FutureExt;
use futures::future::Either;
use tokio::task::futures::TaskLocalFuture;
use tokio::time::Instant;
use tower::{Layer, Service};

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

/// One call under a deadline: when it must end and where it is (opaque; it appears in
/// [`Deadline`]'s future type).
#[derive(Debug)]
pub struct Call {
    /// The deadline as configured, for the error.
    limit: Duration,
    /// The deadline as an instant (tokio's clock, so a paused clock applies).
    at: Instant,
    stage: Cell<CallStage>,
}

tokio::task_local! {
    /// The call being polled. Every layer's future of one call runs inside the deadline's
    /// future (nothing is spawned), so a task-local reaches them all without an allocation
    /// or a request extension per call.
    static CALL: Call;
}

/// Records `stage` for the call being polled (nothing outside a deadline).
pub(crate) fn enter(stage: CallStage) {
    let _ = CALL.try_with(|call| call.stage.set(stage));
}

/// The deadline of the call being polled, if any.
fn deadline() -> Option<Instant> {
    CALL.try_with(|call| call.at).ok()
}

/// The error of `call` when it ran out of time, naming the stage it was in.
fn expired_error(call: &Call) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "the call did not finish within {:?}: it ran out {}",
            call.limit,
            call.stage.get()
        ),
    )
}

/// The error of the call being polled when it ran out of time.
fn expired() -> Error {
    CALL.try_with(expired_error)
        .unwrap_or_else(|_| Error::new(ErrorKind::Timeout, "the call ran out of time"))
}

/// Whether the call being polled is past its deadline (then nothing more is tried).
pub(crate) fn is_past() -> bool {
    deadline().is_some_and(|at| Instant::now() >= at)
}

/// When a wire attempt allowed `timeout` must end: `Ok` at the attempt's own end, `Err` at
/// the call's deadline when that comes first (then [`AttemptEnd::expired`] is its error).
pub(crate) fn attempt_end(timeout: Duration) -> AttemptEnd {
    let own = Instant::now() + timeout;
    match deadline() {
        Some(at) if at < own => AttemptEnd { at, by_call: true },
        _ => AttemptEnd {
            at: own,
            by_call: false,
        },
    }
}

/// The end of one wire attempt; see [`attempt_end`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttemptEnd {
    /// When the attempt's timer fires.
    pub(crate) at: Instant,
    /// Whether that is the call's deadline rather than the attempt's timeout.
    pub(crate) by_call: bool,
}

impl AttemptEnd {
    /// The error when the timer fired because of the call's deadline.
    pub(crate) fn expired(self) -> Option<Error> {
        self.by_call.then(expired)
    }
}

/// Waits `delay`, or fails with the deadline's error when the call's deadline comes first.
pub(crate) async fn sleep(delay: Duration) -> Result<(), Error> {
    let end = Instant::now() + delay;
    match deadline() {
        Some(at) if at <= end => {
            tokio::time::sleep_until(at).await;
            Err(expired())
        }
        _ => {
            tokio::time::sleep_until(end).await;
            Ok(())
        }
    }
}

/// Runs `fut` bounded by the call's deadline. A future that is ready at once (a cached
/// token) arms no timer.
pub(crate) async fn bounded<T, F>(fut: F) -> Result<T, Error>
where
    F: Future<Output = Result<T, Error>>,
{
    let mut fut = pin!(fut);
    if let Some(out) = fut.as_mut().now_or_never() {
        return out;
    }
    match deadline() {
        // Boxed: the timer stays out of the caller's future, which most calls never need.
        Some(at) => Box::pin(tokio::time::timeout_at(at, fut))
            .await
            .unwrap_or_else(|_| Err(expired())),
        None => fut.await,
    }
}

/// The outermost layer: bounds the whole call by the request's deadline, or the configured
/// one ([`WebexConfig::call_deadline`](crate::config::WebexConfig::call_deadline)).
#[derive(Debug, Clone)]
pub struct DeadlineLayer {
    deadline: Duration,
    call_timer: bool,
}

impl DeadlineLayer {
    /// A layer bounding calls without a deadline of their own by `deadline`.
    #[must_use]
    pub fn new(deadline: Duration) -> Self {
        Self {
            deadline,
            call_timer: false,
        }
    }

    /// The same layer also racing each whole call against a timer of its own, for stacks
    /// with layers that wait on something the core's deadline-aware waits do not cover.
    #[must_use]
    pub fn with_call_timer(mut self) -> Self {
        self.call_timer = true;
        self
    }
}

impl<S> Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Deadline {
            inner,
            deadline: self.deadline,
            call_timer: self.call_timer,
        }
    }
}

/// The service of [`DeadlineLayer`].
#[derive(Debug, Clone)]
pub struct Deadline<S> {
    inner: S,
    deadline: Duration,
    call_timer: bool,
}

impl<S> Service<HttpRequest> for Deadline<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = Either<TaskLocalFuture<Call, S::Future>, HttpFuture>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: HttpRequest) -> Self::Future {
        let limit = options_of(&req).deadline.unwrap_or(self.deadline);
        let call = Call {
            limit,
            at: Instant::now() + limit,
            stage: Cell::new(CallStage::Attempt(1)),
        };
        let at = call.at;
        // Ready for the call: `poll_ready` above was the inner service's.
        let inner = CALL.scope(call, self.inner.call(req));
        if !self.call_timer {
            return Either::Left(inner);
        }
        Either::Right(Box::pin(async move {
            let mut inner = pin!(inner);
            match tokio::time::timeout_at(at, inner.as_mut()).await {
                Ok(outcome) => outcome,
                Err(_) => Err(match inner.take_value() {
                    Some(call) => expired_error(&call),
                    None => expired(),
                }),
            }
        }))
    }
}
