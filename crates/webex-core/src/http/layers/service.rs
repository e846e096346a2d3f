use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use tower::{Layer, Service, ServiceExt};
use url::Url;

use crate::catalog::ServiceCatalog;
use crate::http::request::{clone_request, options_of};
use crate::http::{HttpFuture, HttpRequest, HttpResponse};
use crate::{Error, ErrorKind};

/// Resolves `Target::Service` requests through the catalog and fails over between the
/// service's priority hosts: a host that refuses connections, or answers 5xx, is marked
/// failed and the attempt moves on to the next host at once (5xx only for idempotent
/// requests; a refused connection never reached the server, so any method moves on).
/// A 5xx to a non-idempotent request marks nothing: a POST the server failed says little
/// about the host, and the request is not sent again.
#[derive(Debug, Clone)]
pub struct ServiceLayer {
    catalog: Arc<ServiceCatalog>,
}

impl ServiceLayer {
    /// A layer resolving names in `catalog`.
    #[must_use]
    pub fn new(catalog: Arc<ServiceCatalog>) -> Self {
        Self { catalog }
    }
}

impl<S> Layer<S> for ServiceLayer {
    type Service = ServiceResolve<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ServiceResolve {
            inner,
            catalog: self.catalog.clone(),
        }
    }
}

/// The service of [`ServiceLayer`].
#[derive(Debug, Clone)]
pub struct ServiceResolve<S> {
    inner: S,
    catalog: Arc<ServiceCatalog>,
}

/// `<base without trailing slash>/<path without surrounding slashes>?<query>`, the JS SDK's
/// service-interceptor rule. Built as text and parsed as an `http::Uri` (cheap); text the URI
/// grammar rejects (e.g. a raw space in a path) goes through `url`'s percent-encoding first.
pub(crate) fn join_uri(base: &str, path: &str, query: &[(String, String)]) -> Result<Uri, Error> {
    let path = path.trim_matches('/');
    let mut text = String::with_capacity(base.len() + path.len() + 64);
    text.push_str(base.trim_end_matches('/'));
    if !path.is_empty() {
        text.push('/');
        text.push_str(path);
    }
    if !query.is_empty() {
        let start = match text.find('?') {
            Some(at) => at + 1,
            None => {
                text.push('?');
                text.len()
            }
        };
        let mut pairs = url::form_urlencoded::Serializer::for_suffix(text, start);
        pairs.extend_pairs(query);
        text = pairs.finish();
    }
    if let Ok(uri) = Uri::try_from(text.as_str()) {
        return Ok(uri);
    }
    let invalid = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("invalid URL `{text}`: {e}"),
        )
    };
    let url = Url::parse(&text).map_err(|e| invalid(&e))?;
    Uri::try_from(url.as_str()).map_err(|e| invalid(&e))
}

impl<S> Service<HttpRequest> for ServiceResolve<S>
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
        let options = options_of(&req);
        let Some((name, path)) = options.service.clone() else {
            return Box::pin(inner.oneshot(req));
        };
        let catalog = self.catalog.clone();
        Box::pin(async move {
            let mut moved = 0;
            loop {
                let resolved = catalog.resolve(&name)?;
                let uri = join_uri(&resolved.base, &path, &options.query)?;
                let host = uri.host().map(str::to_owned);
                *req.uri_mut() = uri;
                // A copy for the next host only when there is a next host.
                let replay =
                    (resolved.hosts > 1 && moved < resolved.hosts).then(|| clone_request(&req));
                let outcome = inner.clone().oneshot(req).await;
                let host_failed = match &outcome {
                    Err(e) => matches!(e.kind(), ErrorKind::Connect),
                    Ok(res) => options.idempotent && res.status().is_server_error(),
                };
                if !host_failed {
                    return outcome;
                }
                if let Some(host) = &host {
                    catalog.mark_host_failed(&name, host);
                }
                let Some(next) = replay else {
                    return outcome;
                };
                if catalog.resolve(&name)?.base == resolved.base {
                    return outcome;
                }
                moved += 1;
                req = next;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_the_js_service_interceptor() {
        let base = "https://hydra-a.wbx2.com/v1/";
        assert_eq!(
            join_uri(base, "/rooms/", &[]).unwrap(),
            "https://hydra-a.wbx2.com/v1/rooms"
        );
        let q = [
            ("max".to_owned(), "2".to_owned()),
            ("email".to_owned(), "a+b@example.com".to_owned()),
        ];
        assert_eq!(
            join_uri(base, "people/me", &q).unwrap(),
            "https://hydra-a.wbx2.com/v1/people/me?max=2&email=a%2Bb%40example.com"
        );
        assert_eq!(
            join_uri(base, "", &[]).unwrap(),
            "https://hydra-a.wbx2.com/v1"
        );
        assert_eq!(
            join_uri("http://h/x?a=1", "", &q[..1]).unwrap(),
            "http://h/x?a=1&max=2"
        );
        // Text the URI grammar rejects is percent-encoded rather than refused.
        assert_eq!(
            join_uri(base, "people/a b", &[]).unwrap(),
            "https://hydra-a.wbx2.com/v1/people/a%20b"
        );
    }
}
