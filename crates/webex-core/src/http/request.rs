use std::borrow::Cow;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use serde::Serialize;
use url::Url;

use super::{Body, HttpRequest};
use crate::{Error, ErrorKind, Result};

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A catalog service and a path below its URL, e.g. `("hydra", "people/me")`. The URL is
    /// resolved per attempt, so host failover applies.
    Service {
        /// Catalog service name.
        name: Cow<'static, str>,
        /// Path below the service URL; leading and trailing `/` are ignored.
        path: String,
    },
    /// An absolute URL, e.g. a `Link` header's next page.
    Url(Url),
}

impl Target {
    /// A catalog service target.
    pub fn service(name: impl Into<Cow<'static, str>>, path: impl Into<String>) -> Self {
        Self::Service {
            name: name.into(),
            path: path.into(),
        }
    }
}

/// Per-request options the layers read from the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// The catalog target, if the request was addressed by service name.
    pub service: Option<(Cow<'static, str>, String)>,
    /// Query pairs to append once the URL is known.
    pub query: Vec<(String, String)>,
    /// Whether to send the access token (default true).
    pub authenticate: bool,
    /// Whether sending twice is harmless; 5xx and connect errors are retried only then.
    pub idempotent: bool,
    /// Per-attempt timeout overriding the configured one.
    pub timeout: Option<Duration>,
    /// Deadline of the whole call (every attempt, wait, refresh and redirect) overriding
    /// the configured one.
    pub deadline: Option<Duration>,
    /// Largest response body read, overriding the configured one.
    pub max_response_body: Option<usize>,
}

/// A request built by plugins: method, target, query, headers and body.
///
/// ```
/// use webex_core::http::{Request, Target};
/// let req = Request::get(Target::service("hydra", "people/me")).query("max", "10");
/// # let _ = req;
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Request {
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    authenticate: bool,
    idempotent: Option<bool>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_body: Option<usize>,
}

impl Request {
    /// A request with `method` to `target`.
    pub fn new(method: Method, target: Target) -> Self {
        Self {
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            authenticate: true,
            idempotent: None,
            deadline: None,
            timeout: None,
            max_response_body: None,
        }
    }

    /// A GET.
    pub fn get(target: Target) -> Self {
        Self::new(Method::GET, target)
    }

    /// A POST.
    pub fn post(target: Target) -> Self {
        Self::new(Method::POST, target)
    }

    /// A PUT.
    pub fn put(target: Target) -> Self {
        Self::new(Method::PUT, target)
    }

    /// A DELETE.
    pub fn delete(target: Target) -> Self {
        Self::new(Method::DELETE, target)
    }

    /// Appends a query pair.
    pub fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Appends a query pair when `value` is `Some`.
    pub fn query_opt(self, key: impl Into<String>, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Sets a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets a JSON body.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] when `body` cannot be serialized.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::new(ErrorKind::InvalidInput, format!("request body: {e}")).with_source(e)
        })?;
        self.body = Body::from(bytes);
        self.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Ok(self)
    }

    /// Sets a body (bytes, or a stream made fresh per attempt) with its content type.
    pub fn body(mut self, body: impl Into<Body>, content_type: HeaderValue) -> Self {
        self.body = body.into();
        self.headers.insert(header::CONTENT_TYPE, content_type);
        self
    }

    /// Sends no access token (e.g. the limited catalog, OAuth token calls).
    pub fn without_auth(mut self) -> Self {
        self.authenticate = false;
        self
    }

    /// Declares whether sending the request twice is harmless (default: by method).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Overrides the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the deadline of the whole call (attempts, retry waits, a token refresh,
    /// redirects): past it the call fails with [`ErrorKind::Timeout`] naming the stage.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Overrides the largest response body read (e.g. a file download): a larger one
    /// fails with [`ErrorKind::ResponseTooLarge`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The method.
    #[must_use]
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The target.
    #[must_use]
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Turns this into the form the layers see.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] when the URL cannot be built.
    pub fn into_http(self) -> Result<HttpRequest> {
        let idempotent = self
            .idempotent
            .unwrap_or_else(|| is_idempotent(&self.method));
        let (uri, service, query) = match self.target {
            Target::Url(mut url) => {
                if !self.query.is_empty() {
                    url.query_pairs_mut().extend_pairs(&self.query);
                }
                let uri = Uri::try_from(url.as_str()).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidInput,
                        format!("invalid request URL `{url}`: {e}"),
                    )
                    .with_source(e)
                })?;
                (uri, None, Vec::new())
            }
            // Resolved per attempt by the service layer; this placeholder is never sent.
            Target::Service { name, path } => (UNRESOLVED.clone(), Some((name, path)), self.query),
        };
        let mut req = http::Request::new(self.body);
        *req.method_mut() = self.method;
        *req.uri_mut() = uri;
        *req.headers_mut() = self.headers;
        // One allocation for the headers the pipeline adds, rather than growing the map (and
        // rehashing it) on the way down.
        req.headers_mut().reserve(PIPELINE_HEADERS);
        req.headers_mut()
            .entry(header::ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        req.extensions_mut().insert(Arc::new(RequestOptions {
            service,
            query,
            authenticate: self.authenticate,
            idempotent,
            timeout: self.timeout,
            deadline: self.deadline,
            max_response_body: self.max_response_body,
        }));
        Ok(req)
    }
}

/// How many headers the pipeline may add to a request: `accept`, `trackingid`, `user-agent`,
/// `spark-user-agent`, `authorization`, `cisco-no-http-redirect`, and hyper's `host`.
const PIPELINE_HEADERS: usize = 7;

/// The URI of a request addressed by service name until the service layer resolves it
/// (never sent); parsed once, cloned without an allocation.
static UNRESOLVED: LazyLock<Uri> = LazyLock::new(|| Uri::from_static("http://service.invalid/"));

/// Whether sending a request with `method` twice is harmless (RFC 9110 §9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// The options of `req` (shared, cheap to clone), or the defaults for a request built by hand.
pub(crate) fn options_of(req: &HttpRequest) -> Arc<RequestOptions> {
    req.extensions()
        .get::<Arc<RequestOptions>>()
        .cloned()
        .unwrap_or_else(|| {
            Arc::new(RequestOptions {
                service: None,
                query: Vec::new(),
                authenticate: true,
                idempotent: is_idempotent(req.method()),
                timeout: None,
                deadline: None,
                max_response_body: None,
            })
        })
}

/// A copy of a request for a replay (bodies are bytes or stream factories: cloning is
/// cheap), made before the request is sent. Most copies are dropped unused, so the copy's
/// options go into its extensions only when it is used ([`into_request`](Self::into_request)):
/// an extension map costs three allocations.
#[derive(Debug)]
pub(crate) struct Replay {
    head: HttpRequest,
    options: Option<Arc<RequestOptions>>,
}

impl Replay {
    /// A copy of `req`.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        Self {
            head: copy_head(req),
            options: req.extensions().get::<Arc<RequestOptions>>().cloned(),
        }
    }

    /// The request, to send again.
    pub(crate) fn into_request(self) -> HttpRequest {
        let mut req = self.head;
        if let Some(options) = self.options {
            req.extensions_mut().insert(options);
        }
        req
    }
}

/// Method, URI, version, headers and body of `req`, without its extensions.
fn copy_head(req: &HttpRequest) -> HttpRequest {
    let mut head = http::Request::new(req.body().clone());
    *head.method_mut() = req.method().clone();
    *head.uri_mut() = req.uri().clone();
    *head.version_mut() = req.version();
    *head.headers_mut() = req.headers().clone();
    head
}

/// A [`Replay`] one layer keeps and may lend to a layer below it through the request's
/// extensions (the retry layer to the redirect layer), so an attempt makes one copy, not two.
#[derive(Debug, Clone)]
pub(crate) struct SharedReplay(Arc<Replay>);

impl SharedReplay {
    /// A copy of `req`.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        Self(Arc::new(Replay::of(req)))
    }

    /// The method.
    pub(crate) fn method(&self) -> &Method {
        self.0.head.method()
    }

    /// The URI.
    pub(crate) fn uri(&self) -> &Uri {
        self.0.head.uri()
    }

    /// The copy: this one when no other layer still holds it, else a copy of it.
    pub(crate) fn into_replay(self) -> Replay {
        Arc::try_unwrap(self.0).unwrap_or_else(|shared| Replay {
            head: copy_head(&shared.head),
            options: shared.options.clone(),
        })
    }
}
