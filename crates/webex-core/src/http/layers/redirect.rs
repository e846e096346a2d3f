use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::AUTHORIZATION;
use http::{HeaderName, HeaderValue, Uri};
use tower::{Layer, Service, ServiceExt};
use url::Url;

use crate::catalog::ServiceCatalog;
use crate::http::request::{RequestOptions, clone_request};
use crate::http::{HttpFuture, HttpRequest, HttpResponse};
use crate::{Error, ErrorKind};

const NO_HTTP_REDIRECT: HeaderName = HeaderName::from_static("cisco-no-http-redirect");
const CISCO_LOCATION: HeaderName = HeaderName::from_static("cisco-location");

/// Webex's application-level redirects: the SDK sends `cisco-no-http-redirect: true`, and a
/// server that wants the request elsewhere answers with `cisco-location: <url>`; the request
/// is repeated there, up to a limit. The token follows only to trusted hosts.
#[derive(Debug, Clone)]
pub struct RedirectLayer {
    max_redirects: u32,
    catalog: Arc<ServiceCatalog>,
}

impl RedirectLayer {
    /// A layer following at most `max_redirects` redirects per request.
    #[must_use]
    pub fn new(max_redirects: u32, catalog: Arc<ServiceCatalog>) -> Self {
        Self {
            max_redirects,
            catalog,
        }
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
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        req.headers_mut()
            .insert(NO_HTTP_REDIRECT, HeaderValue::from_static("true"));
        Box::pin(async move {
            let mut redirects = 0;
            loop {
                let replay = clone_request(&req);
                let res = inner.clone().oneshot(req).await?;
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
                req = redirected(replay, location, base.as_ref(), &layer.catalog)?;
                redirects += 1;
            }
        })
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
    *req.uri_mut() = url.as_str().parse::<Uri>().map_err(|_| invalid())?;
    if let Some(options) = req.extensions_mut().get_mut::<Arc<RequestOptions>>() {
        // The location is absolute; it must not be resolved through the catalog again.
        let options = Arc::make_mut(options);
        options.service = None;
        options.query.clear();
    }
    if !catalog.trusts(&url) {
        req.headers_mut().remove(AUTHORIZATION);
    }
    Ok(req)
}
