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

/// `<base without trailing slash>/<path without surrounding slashes>?<query>`.
pub(crate) fn join_url(base: &Url, path: &str, query: &[(String, String)]) -> Result<Url, Error> {
    let path = path.trim_matches('/');
    let base = base.as_str().trim_end_matches('/');
    let text = if path.is_empty() {
        base.to_owned()
    } else {
        format!("{base}/{path}")
    };
    let mut url = Url::parse(&text).map_err(|e| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("invalid URL `{text}`: {e}"),
        )
    })?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
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
            let hosts = catalog.host_count(&name);
            let mut moved = 0;
            loop {
                let base = catalog.url(&name)?;
                let url = join_url(&base, &path, &options.query)?;
                *req.uri_mut() = url.as_str().parse::<Uri>().map_err(|e| {
                    Error::new(ErrorKind::InvalidInput, format!("invalid URL `{url}`: {e}"))
                })?;
                let replay = clone_request(&req);
                let outcome = inner.clone().oneshot(req).await;
                let host_failed = match &outcome {
                    Err(e) => matches!(e.kind(), ErrorKind::Connect),
                    Ok(res) => res.status().is_server_error(),
                };
                let may_resend = match &outcome {
                    Err(_) => true,
                    Ok(_) => options.idempotent,
                };
                if !host_failed {
                    return outcome;
                }
                catalog.mark_failed(&name, &base);
                if !may_resend || moved >= hosts {
                    return outcome;
                }
                let next = catalog.url(&name)?;
                if next == base {
                    return outcome;
                }
                moved += 1;
                req = replay;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_the_js_service_interceptor() {
        let base = Url::parse("https://hydra-a.wbx2.com/v1/").unwrap();
        assert_eq!(
            join_url(&base, "/rooms/", &[]).unwrap().as_str(),
            "https://hydra-a.wbx2.com/v1/rooms"
        );
        let q = [("max".to_owned(), "2".to_owned())];
        assert_eq!(
            join_url(&base, "people/me", &q).unwrap().as_str(),
            "https://hydra-a.wbx2.com/v1/people/me?max=2"
        );
        assert_eq!(
            join_url(&base, "", &[]).unwrap().as_str(),
            "https://hydra-a.wbx2.com/v1"
        );
    }
}
