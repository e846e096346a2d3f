use std::sync::Arc;
use std::task::{Context, Poll};

use http::StatusCode;
use http::header::AUTHORIZATION;
use tower::{Layer, Service, ServiceExt};
use url::Url;

use crate::catalog::ServiceCatalog;
use crate::credentials::{AccessToken, TokenCache};
use crate::http::deadline::{self, CallStage};
use crate::http::request::{SharedReplay, options_of};
use crate::http::{HttpFuture, HttpRequest, HttpResponse};
use crate::{Error, ErrorKind};

/// Adds `Authorization` from the token provider and, on a 401, refreshes once (single-flight
/// across concurrent requests) and replays the request once.
///
/// Like the JS SDK, the token only goes to catalog services, Webex's own domains and the
/// configured allowed domains; an arbitrary absolute URL gets none. Unlike it, an absolute
/// URL also needs `https` (or a loopback host): see
/// [`ServiceCatalog::may_send_token`]. A catalog service reached over plain `http` elsewhere
/// is refused by the transport.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    tokens: Option<TokenCache>,
    catalog: Arc<ServiceCatalog>,
}

impl AuthLayer {
    /// A layer using `tokens` (none: requests go unauthenticated) and trusting the hosts of
    /// `catalog`.
    #[must_use]
    pub fn new(tokens: Option<TokenCache>, catalog: Arc<ServiceCatalog>) -> Self {
        Self { tokens, catalog }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`AuthLayer`].
#[derive(Debug, Clone)]
pub struct Auth<S> {
    inner: S,
    layer: AuthLayer,
}

fn authorize(req: &mut HttpRequest, token: &AccessToken) -> Result<(), Error> {
    let value = token.header_value().ok_or_else(|| {
        Error::new(
            ErrorKind::Credentials,
            "the access token contains characters not allowed in an HTTP header",
        )
    })?;
    req.headers_mut().insert(AUTHORIZATION, value.clone());
    Ok(())
}

impl<S> Service<HttpRequest> for Auth<S>
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
        let options = options_of(&req);
        let tokens = match &self.layer.tokens {
            Some(tokens)
                if options.authenticate
                    && !req.headers().contains_key(AUTHORIZATION)
                    && (options.service.is_some() || self.trusts(&req)) =>
            {
                tokens.clone()
            }
            _ => return Box::pin(self.inner.call(req)),
        };
        let Some(token) = tokens.cached_current() else {
            // The provider must be asked: wait for it, bounded by the call's deadline.
            let clone = self.inner.clone();
            let mut inner = std::mem::replace(&mut self.inner, clone);
            return Box::pin(async move {
                deadline::enter(CallStage::Token);
                let token = deadline::bounded(tokens.token()).await?;
                let (sent, replay) = send_authorized(&mut inner, req, &tokens, &token)?;
                answered(inner, tokens, token, sent, replay).await
            });
        };
        // The token is at hand: the request goes out now, to the service `poll_ready` readied.
        match send_authorized(&mut self.inner, req, &tokens, &token) {
            Ok((sent, replay)) => {
                Box::pin(answered(self.inner.clone(), tokens, token, sent, replay))
            }
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
}

/// Sends `req` with `token` through `inner` (ready), keeping a copy only if a 401 could be
/// followed by a refresh and a replay.
fn send_authorized<S>(
    inner: &mut S,
    mut req: HttpRequest,
    tokens: &TokenCache,
    token: &AccessToken,
) -> Result<(S::Future, Option<SharedReplay>), Error>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    authorize(&mut req, token)?;
    let replay = tokens.can_refresh().then(|| SharedReplay::of(&req));
    Ok((inner.call(req), replay))
}

/// The answer to a request `sent` with `token`: on a 401, one refresh and one replay (the JS
/// SDK's maxAuthenticationReplays = 1) when there is a copy to replay.
async fn answered<S>(
    mut inner: S,
    tokens: TokenCache,
    token: Arc<AccessToken>,
    sent: S::Future,
    replay: Option<SharedReplay>,
) -> Result<HttpResponse, Error>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    let res = sent.await?;
    let Some(replay) = replay.filter(|_| res.status() == StatusCode::UNAUTHORIZED) else {
        return Ok(res);
    };
    deadline::enter(CallStage::Refresh);
    match deadline::bounded(tokens.refresh(&token)).await? {
        Some(fresh) => {
            let mut replay = replay.into_replay().into_request();
            authorize(&mut replay, &fresh)?;
            inner.ready().await?.call(replay).await
        }
        None => Ok(res),
    }
}

impl<S> Auth<S> {
    fn trusts(&self, req: &HttpRequest) -> bool {
        Url::parse(&req.uri().to_string()).is_ok_and(|url| self.layer.catalog.may_send_token(&url))
    }
}
