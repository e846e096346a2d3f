use std::borrow::Cow;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use tower::{Layer, Service, ServiceExt};
use url::Url;

use crate::catalog::{Resolved, ServiceCatalog};
use crate::http::request::{RequestOptions, SharedReplay, options_of};
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
    // The text's buffer becomes the URI's, uncopied; a rejected text is rebuilt for the
    // slow path (rare: the URI grammar rejects little that a service path holds).
    Uri::try_from(joined(base, path, query)).or_else(|_| join_url(&joined(base, path, query)))
}

/// The joined text of [`join_uri`].
fn joined(base: &str, path: &str, query: &[(String, String)]) -> String {
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
    text
}

/// [`join_uri`] for text the URI grammar rejects: through `url`'s percent-encoding.
fn join_url(text: &str) -> Result<Uri, Error> {
    let invalid = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("invalid URL `{text}`: {e}"),
        )
    };
    let url = Url::parse(text).map_err(|e| invalid(&e))?;
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
        let options = options_of(&req);
        let Some((name, _)) = &options.service else {
            return Box::pin(self.inner.call(req));
        };
        let resolved = match resolve_into(&self.catalog, &options, &mut req) {
            Ok(resolved) => resolved,
            Err(e) => return Box::pin(std::future::ready(Err(e))),
        };
        let replay = replay_for(&resolved, 0, &req);
        // The first host gets the request now, from the service `poll_ready` readied; the
        // future keeps a copy of the stack below only for the hosts after it.
        let first = self.inner.call(req);
        let failover = Failover {
            catalog: self.catalog.clone(),
            name: name.clone(),
            options: options.clone(),
        };
        Box::pin(failover.run(self.inner.clone(), first, resolved, replay))
    }
}

/// Points `req` at the priority host of its service; the resolution it used.
fn resolve_into(
    catalog: &ServiceCatalog,
    options: &RequestOptions,
    req: &mut HttpRequest,
) -> Result<Resolved, Error> {
    let (name, path) = options.service.as_ref().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidInput,
            "the request names no catalog service",
        )
    })?;
    let resolved = catalog.resolve(name)?;
    *req.uri_mut() = join_uri(&resolved.base, path, &options.query)?;
    Ok(resolved)
}

/// A copy of `req` for the next host, only when there is a next host.
fn replay_for(resolved: &Resolved, moved: usize, req: &HttpRequest) -> Option<SharedReplay> {
    (resolved.hosts > 1 && moved < resolved.hosts).then(|| SharedReplay::of(req))
}

/// What moving on to the next host of a service needs.
struct Failover {
    catalog: Arc<ServiceCatalog>,
    name: Cow<'static, str>,
    options: Arc<RequestOptions>,
}

impl Failover {
    /// The hosts one request goes to: `first` already sent to the priority host, then the
    /// next one after each failure that marks a host failed.
    async fn run<S>(
        self,
        mut inner: S,
        first: S::Future,
        mut resolved: Resolved,
        mut replay: Option<SharedReplay>,
    ) -> Result<HttpResponse, Error>
    where
        S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
    {
        let Self {
            catalog,
            name,
            options,
        } = self;
        let mut sent = first;
        let mut moved = 0;
        loop {
            // The outcome lives in this block only: no room for it in the future while waiting.
            let next = {
                let outcome = sent.await;
                let host_failed = match &outcome {
                    Err(e) => matches!(e.kind(), ErrorKind::Connect),
                    Ok(res) => options.idempotent && res.status().is_server_error(),
                };
                if !host_failed {
                    return outcome;
                }
                // The request's host is the base's: the path and query are appended after it.
                if let Some(host) = Uri::try_from(&*resolved.base)
                    .ok()
                    .as_ref()
                    .and_then(Uri::host)
                {
                    catalog.mark_host_failed(&name, host);
                }
                let Some(next) = replay.take() else {
                    return outcome;
                };
                if catalog.resolve(&name)?.base == resolved.base {
                    return outcome;
                }
                next
            };
            moved += 1;
            let mut req = next.into_replay().into_request();
            resolved = resolve_into(&catalog, &options, &mut req)?;
            replay = replay_for(&resolved, moved, &req);
            sent = inner.ready().await?.call(req);
        }
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
