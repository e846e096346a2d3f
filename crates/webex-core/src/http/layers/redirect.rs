use std::sync::Arc;
use std::task::{Context, Poll};

use http::{HeaderName, HeaderValue, Uri};
use tower::{Layer, Service, ServiceExt};
use url::Url;

use crate::catalog::ServiceCatalog;
use crate::http::deadline::{self, CallStage};
use crate::http::request::{RequestOptions, SharedReplay};
use crate::http::{HttpFuture, HttpRequest, HttpResponse, secret_headers};
use crate::logging::{Logger, redact};
use crate::{Error, ErrorKind};

const NO_HTTP_REDIRECT: HeaderName = HeaderName::from_static("cisco-no-http-redirect");
const CISCO_LOCATION: HeaderName = HeaderName::from_static("cisco-location");

/// Webex's application-level redirects: the SDK sends `cisco-no-http-redirect: true`, and a
/// server that wants the request elsewhere answers with `cisco-location: <url>`; the request
/// is repeated there, up to a limit.
///
/// Credentials (the `Authorization` header and every other
/// [secret header](crate::http::secret_headers)) follow only to a host the catalog trusts,
/// over `https` or to loopback ([`ServiceCatalog::may_send_token`]), and never from `https`
/// down to `http`. Each hop is logged at debug level with secret query values redacted.
#[derive(Debug, Clone)]
pub struct RedirectLayer {
    max_redirects: u32,
    catalog: Arc<ServiceCatalog>,
    logger: Option<Logger>,
}

impl RedirectLayer {
    /// A layer following at most `max_redirects` redirects per request.
    #[must_use]
    pub fn new(max_redirects: u32, catalog: Arc<ServiceCatalog>) -> Self {
        Self {
            max_redirects,
            catalog,
            logger: None,
        }
    }

    /// The same layer, logging each hop to `logger`.
    #[must_use]
    pub fn with_logger(mut self, logger: Logger) -> Self {
        self.logger = Some(logger);
        self
    }
}

impl<S> Layer<S> for RedirectLayer {
    type Service = Redirect<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Redirect {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of [`RedirectLayer`].
#[derive(Debug, Clone)]
pub struct Redirect<S> {
    inner: S,
    layer: RedirectLayer,
}

impl<S> Service<HttpRequest> for Redirect<S>
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
        req.headers_mut()
            .insert(NO_HTTP_REDIRECT, HeaderValue::from_static("true"));
        let replay = keep_replay(&mut req);
        // The first hop goes out now, to the service `poll_ready` readied; the future keeps a
        // copy of the stack below only for the hops after it.
        let first = self.inner.call(req);
        Box::pin(hops(self.inner.clone(), self.layer.clone(), first, replay))
    }
}

/// The retry layer's copy of `req` when it lends one, else one of our own.
fn keep_replay(req: &mut HttpRequest) -> SharedReplay {
    req.extensions_mut()
        .remove::<SharedReplay>()
        .unwrap_or_else(|| SharedReplay::of(req))
}

/// The hops of one request: `first` already sent, then one per `cisco-location` answer.
async fn hops<S>(
    mut inner: S,
    layer: RedirectLayer,
    first: S::Future,
    mut replay: SharedReplay,
) -> Result<HttpResponse, Error>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    let mut sent = first;
    let mut redirects = 0;
    loop {
        // The response lives in this block only: no room for it in the future while waiting.
        let mut req = {
            let res = sent.await?;
            let Some(location) = res.headers().get(CISCO_LOCATION) else {
                return Ok(res);
            };
            if redirects == layer.max_redirects {
                return Err(Error::new(
                    ErrorKind::InvalidResponse,
                    format!("more than {} cisco-location redirects", layer.max_redirects),
                ));
            }
            let base = res
                .extensions()
                .get::<crate::http::ResponseMeta>()
                .and_then(crate::http::ResponseMeta::url);
            redirected(
                replay.into_replay().into_request(),
                location,
                base.as_ref(),
                &layer.catalog,
            )?
        };
        redirects += 1;
        deadline::enter(CallStage::Redirect(redirects));
        if let Some(logger) = &layer.logger {
            crate::log_debug!(
                logger,
                "cisco-location redirect {redirects} of at most {} to {}",
                layer.max_redirects,
                redact::uri(req.uri()),
            );
        }
        replay = keep_replay(&mut req);
        sent = inner.ready().await?.call(req);
    }
}

fn redirected(
    mut req: HttpRequest,
    location: &HeaderValue,
    base: Option<&Url>,
    catalog: &ServiceCatalog,
) -> Result<HttpRequest, Error> {
    let invalid = || {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("invalid cisco-location header {location:?}"),
        )
    };
    let text = location.to_str().map_err(|_| invalid())?;
    let url = match base {
        Some(base) => base.join(text),
        None => Url::parse(text),
    }
    .map_err(|_| invalid())?;
    let downgrade = req.uri().scheme_str() == Some("https") && url.scheme() != "https";
    // A copy shared by the retry layer was made before this layer added the header.
    req.headers_mut()
        .insert(NO_HTTP_REDIRECT, HeaderValue::from_static("true"));
    *req.uri_mut() = url.as_str().parse::<Uri>().map_err(|_| invalid())?;
    if let Some(options) = req.extensions_mut().get_mut::<Arc<RequestOptions>>() {
        // The location is absolute; it must not be resolved through the catalog again.
        let options = Arc::make_mut(options);
        options.service = None;
        options.query.clear();
    }
    if downgrade || !catalog.may_send_token(&url) {
        secret_headers::strip(req.headers_mut());
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use http::header::AUTHORIZATION;

    use super::*;
    use crate::config::ServicesConfig;

    fn request(uri: &str) -> HttpRequest {
        let mut req = http::Request::get(uri)
            .body(crate::http::Body::Empty)
            .unwrap();
        req.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        req
    }

    fn follow(from: &str, to: &'static str) -> HttpRequest {
        let mut config = ServicesConfig::default();
        config.allowed_domains.push("127.0.0.1".into());
        let catalog = ServiceCatalog::from_config(&config).unwrap();
        let base = Url::parse(from).unwrap();
        redirected(
            request(from),
            &HeaderValue::from_static(to),
            Some(&base),
            &catalog,
        )
        .unwrap()
    }

    #[test]
    fn https_to_http_drops_the_token_even_to_a_trusted_host() {
        let req = follow("https://webexapis.com/v1/x", "http://127.0.0.1:8/v1/x");
        assert!(!req.headers().contains_key(AUTHORIZATION));
        let req = follow("https://webexapis.com/v1/x", "http://webexapis.com/v1/x");
        assert!(!req.headers().contains_key(AUTHORIZATION));
    }

    #[test]
    fn trusted_secure_hops_keep_it() {
        let req = follow("https://webexapis.com/v1/x", "https://a.wbx2.com/v1/x");
        assert!(req.headers().contains_key(AUTHORIZATION));
        let req = follow("http://127.0.0.1:7/v1/x", "http://127.0.0.1:8/v1/x");
        assert!(req.headers().contains_key(AUTHORIZATION));
        let req = follow("https://webexapis.com/v1/x", "https://evil.example/v1/x");
        assert!(!req.headers().contains_key(AUTHORIZATION));
    }
}
