use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http::{Method, StatusCode};
use tower::{Layer, Service, ServiceExt};

use crate::config::RetryConfig;
use crate::http::deadline::{self, CallStage};
use crate::http::request::{SharedReplay, options_of};
use crate::http::response::DeletedEarlier;
use crate::http::retry_after::RetryAfterCap;
use crate::http::{HttpFuture, HttpRequest, HttpResponse, retry_after};
use crate::logging::{Logger, redact};
use crate::{Error, ErrorKind};

/// Retries what is safe to retry, a bounded number of times.
///
/// - 429: any method, after the server's delay (seconds or an HTTP date; missing or garbage
///   → the configured default), capped. A 429 means the server did not act on the request.
/// - 503 with a `Retry-After`: idempotent methods only, after the server's delay, capped.
///   A 503 does not prove the request was not acted on, so a POST is not sent twice.
/// - Other 5xx, broken connections and timeouts: idempotent methods only, after an
///   exponential backoff with jitter.
/// - Connect errors: any method, with backoff — nothing reached the server.
///
/// A `DELETE` whose earlier attempt timed out or broke may have deleted the resource
/// already; when its retry then gets a 404, the call succeeds with `204 No Content` and
/// [`Response::deleted_by_earlier_attempt`](crate::http::Response::deleted_by_earlier_attempt).
#[derive(Debug, Clone)]
pub struct RetryLayer {
    policy: Arc<RetryConfig>,
    logger: Logger,
    share_replay: bool,
}

impl RetryLayer {
    /// A layer following `policy`.
    #[must_use]
    pub fn new(policy: RetryConfig, logger: Logger) -> Self {
        Self {
            policy: Arc::new(policy),
            logger,
            share_replay: false,
        }
    }

    /// The same layer handing each attempt's copy of the request (kept for a retry) to the
    /// [`RedirectLayer`](super::RedirectLayer) right below it, which then makes none of its
    /// own: one copy per attempt instead of two. Only for a redirect layer directly below:
    /// the copy is the request as this layer sent it.
    #[must_use]
    pub(crate) fn sharing_replay(mut self) -> Self {
        self.share_replay = true;
        self
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Retry {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`RetryLayer`].
#[derive(Debug, Clone)]
pub struct Retry<S> {
    inner: S,
    layer: RetryLayer,
}

/// What to do with one attempt's outcome.
#[derive(Debug, PartialEq, Eq)]
enum RetryAction {
    Done,
    RetryAfter(Duration, &'static str),
}

impl RetryLayer {
    fn classify(
        &self,
        outcome: &Result<HttpResponse, Error>,
        idempotent: bool,
        retry: u32,
    ) -> RetryAction {
        let policy = &self.policy;
        match outcome {
            Ok(res) => {
                let status = res.status();
                let server_delay = res
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| retry_after::parse(v, SystemTime::now()));
                match (status, server_delay) {
                    (StatusCode::TOO_MANY_REQUESTS, delay) => RetryAction::RetryAfter(
                        delay
                            .unwrap_or(policy.default_retry_after)
                            .min(policy.max_retry_after),
                        "rate limited (429)",
                    ),
                    (StatusCode::SERVICE_UNAVAILABLE, Some(delay)) if idempotent => {
                        RetryAction::RetryAfter(
                            delay.min(policy.max_retry_after),
                            "service unavailable (503)",
                        )
                    }
                    (s, _) if s.is_server_error() && idempotent => {
                        RetryAction::RetryAfter(self.backoff(retry), "server error")
                    }
                    _ => RetryAction::Done,
                }
            }
            Err(e) => match e.kind() {
                ErrorKind::Connect => RetryAction::RetryAfter(self.backoff(retry), "connect error"),
                ErrorKind::Network | ErrorKind::Timeout if idempotent => {
                    RetryAction::RetryAfter(self.backoff(retry), "network error")
                }
                _ => RetryAction::Done,
            },
        }
    }

    /// Exponential backoff with equal jitter: half the step fixed, half random.
    fn backoff(&self, retry: u32) -> Duration {
        let step = self
            .policy
            .base_backoff
            .saturating_mul(1u32 << retry.min(16))
            .min(self.policy.max_backoff);
        let half = step / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

impl<S> Service<HttpRequest> for Retry<S>
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

    fn call(&mut self, mut req: HttpRequest) -> Self::Future {
        let layer = self.layer.clone();
        let idempotent = options_of(&req).idempotent;
        let is_delete = req.method() == Method::DELETE;
        let replay = layer.keep_replay(&mut req, 0);
        // Noted for a call already under way (after a token wait or a refresh).
        deadline::enter(CallStage::Attempt(1));
        // The first attempt goes out now, to the service `poll_ready` readied; the future keeps
        // a copy of the stack below only for the attempts after it.
        let first = self.inner.call(req);
        Box::pin(attempts(
            self.inner.clone(),
            layer,
            first,
            replay,
            idempotent,
            is_delete,
        ))
    }
}

impl RetryLayer {
    /// A copy of `req` when a retry may follow attempt `retry + 1`, lent to the redirect
    /// layer below when this layer shares it.
    fn keep_replay(&self, req: &mut HttpRequest, retry: u32) -> Option<SharedReplay> {
        let replay = (retry < self.policy.max_retries).then(|| SharedReplay::of(req))?;
        if self.share_replay {
            req.extensions_mut().insert(replay.clone());
        }
        Some(replay)
    }
}

/// The attempts of one request: `first` already sent, then as many retries as the policy
/// allows and the outcomes call for.
async fn attempts<S>(
    mut inner: S,
    layer: RetryLayer,
    first: S::Future,
    mut replay: Option<SharedReplay>,
    idempotent: bool,
    is_delete: bool,
) -> Result<HttpResponse, Error>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    let max = layer.policy.max_retries;
    let mut sent = first;
    let mut retry = 0;
    // Whether an earlier attempt may have reached the server and acted.
    let mut ambiguous = false;
    loop {
        // The outcome lives in this block only: no room for it in the future while waiting.
        let (next, delay) = {
            let mut outcome = sent.await;
            if is_delete && ambiguous {
                outcome = outcome.map(deleted_earlier);
            }
            if let Ok(res) = &mut outcome
                && res.headers().contains_key(RETRY_AFTER)
            {
                res.extensions_mut()
                    .insert(RetryAfterCap(layer.policy.max_retry_after));
            }
            ambiguous |= matches!(
                &outcome,
                Err(e) if matches!(e.kind(), ErrorKind::Network | ErrorKind::Timeout)
            );
            let Some(next) = replay.take() else {
                return outcome;
            };
            match layer.classify(&outcome, idempotent, retry) {
                RetryAction::Done => return outcome,
                // Past the call's deadline (its error, most likely), nothing more is tried.
                RetryAction::RetryAfter(..) if deadline::is_past() => return outcome,
                RetryAction::RetryAfter(delay, why) => {
                    crate::log_warn!(
                        layer.logger,
                        "{why} on {} {}; retry {} of {max} in {delay:?}",
                        next.method(),
                        redact::uri(next.uri()),
                        retry + 1
                    );
                    (next, delay)
                }
            }
        };
        retry += 1;
        deadline::enter(CallStage::RetryWait(retry));
        deadline::sleep(delay).await?;
        let mut req = next.into_replay().into_request();
        replay = layer.keep_replay(&mut req, retry);
        deadline::enter(CallStage::Attempt(retry + 1));
        sent = inner.ready().await?.call(req);
    }
}

/// A 404 to a `DELETE` retried after an ambiguous attempt: the earlier attempt deleted it.
fn deleted_earlier(res: HttpResponse) -> HttpResponse {
    if res.status() != StatusCode::NOT_FOUND {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    parts.status = StatusCode::NO_CONTENT;
    parts.headers.remove(CONTENT_TYPE);
    parts.headers.remove(CONTENT_LENGTH);
    parts.extensions.insert(DeletedEarlier);
    HttpResponse::from_parts(parts, bytes::Bytes::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LoggerConfig;

    fn layer() -> RetryLayer {
        RetryLayer::new(
            RetryConfig::default(),
            Logger::new(&LoggerConfig::default()),
        )
    }

    fn response(status: u16, retry_after: Option<&str>) -> Result<HttpResponse, Error> {
        let mut res = http::Response::builder().status(status);
        if let Some(v) = retry_after {
            res = res.header(RETRY_AFTER, v);
        }
        Ok(res.body(bytes::Bytes::new()).unwrap())
    }

    #[test]
    fn rate_limit_uses_header_default_and_cap() {
        let l = layer();
        assert_eq!(
            l.classify(&response(429, Some("1")), false, 0),
            RetryAction::RetryAfter(Duration::from_secs(1), "rate limited (429)")
        );
        assert_eq!(
            l.classify(&response(429, Some("garbage")), false, 0),
            RetryAction::RetryAfter(Duration::from_secs(5), "rate limited (429)")
        );
        assert_eq!(
            l.classify(&response(429, Some("99999")), false, 0),
            RetryAction::RetryAfter(Duration::from_secs(60), "rate limited (429)")
        );
    }

    #[test]
    fn server_errors_only_for_idempotent() {
        let l = layer();
        assert_eq!(
            l.classify(&response(500, None), false, 0),
            RetryAction::Done
        );
        assert!(matches!(
            l.classify(&response(502, None), true, 0),
            RetryAction::RetryAfter(..)
        ));
        assert!(matches!(
            l.classify(&response(503, Some("2")), true, 0),
            RetryAction::RetryAfter(d, _) if d == Duration::from_secs(2)
        ));
        // A 503 does not prove a POST was not acted on.
        assert_eq!(
            l.classify(&response(503, Some("2")), false, 0),
            RetryAction::Done
        );
        assert_eq!(l.classify(&response(404, None), true, 0), RetryAction::Done);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let l = layer();
        for retry in 0..20 {
            let d = l.backoff(retry);
            assert!(d <= Duration::from_secs(8), "{d:?}");
        }
        assert!(l.backoff(0) >= Duration::from_millis(250));
        assert!(l.backoff(0) <= Duration::from_millis(500));
    }
}
