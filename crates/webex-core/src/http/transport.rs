use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use http::HeaderValue;
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, Either, Full, LengthLimitError, Limited, StreamBody};
use hyper::body::Frame;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::Service;

use super::deadline;
use super::layers::TRACKING_ID;
use super::request::options_of;
use super::roots::configured_tls;
use super::{Body, HttpFuture, HttpRequest, HttpResponse, ResponseMeta, secret_headers};
use crate::catalog::trust;
use crate::config::WebexConfig;
use crate::logging::redact;
use crate::{Error, ErrorKind};

/// What hyper sends: bytes in memory, or a stream of frames.
type WireBody = Either<Full<Bytes>, StreamBody<BoxStream<'static, std::io::Result<Frame<Bytes>>>>>;
type HyperClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, WireBody>;

/// Turns our replayable [`Body`] into one attempt's wire body.
fn wire_body(req: HttpRequest) -> http::Request<WireBody> {
    let (mut parts, body) = req.into_parts();
    let wire = match body {
        Body::Empty => Either::Left(Full::new(Bytes::new())),
        Body::Full(bytes) => Either::Left(Full::new(bytes)),
        Body::Stream { len, make } => {
            if let Some(len) = len {
                parts
                    .headers
                    .entry(CONTENT_LENGTH)
                    .or_insert_with(|| HeaderValue::from(len));
            }
            Either::Right(StreamBody::new(make().map_ok(Frame::data).boxed()))
        }
    };
    http::Request::from_parts(parts, wire)
}

/// The innermost stage: sends one attempt with hyper (HTTP/1.1 and HTTP/2 over rustls with
/// the webpki roots and the configured `extra_root_certificates`, plain HTTP for local
/// servers), collects the body, applies the timeout.
///
/// It is also the last guard for credentials: a request carrying one
/// ([`secret_headers::carries_secret`]) over plain `http` to a host that is not loopback is
/// refused with [`ErrorKind::Credentials`] before anything is sent.
#[derive(Clone, Debug)]
pub struct HyperTransport {
    /// Behind an `Arc`: every layer above clones the stack below it per request.
    client: Arc<HyperClient>,
    timeout: Duration,
    max_body: usize,
}

impl HyperTransport {
    /// A transport whose attempts time out after `timeout` unless a request says otherwise.
    #[must_use]
    pub fn new(timeout: Duration) -> Self {
        // A second crypto provider pulled in by another dependency would make rustls panic on
        // first use without an explicit choice; installing ring here settles it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .build();
        Self::with_connector(timeout, https)
    }

    /// A transport trusting what `tls` trusts (see
    /// [`tls_client_config`](super::tls_client_config)); its ALPN list is
    /// replaced by HTTP/2 and HTTP/1.1.
    #[must_use]
    pub fn with_tls_config(timeout: Duration, mut tls: rustls::ClientConfig) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        tls.alpn_protocols.clear();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .build();
        Self::with_connector(timeout, https)
    }

    /// The transport `config` describes: its `request_timeout`, `max_response_body`, and the
    /// webpki roots plus the `extra_root_certificates` file's.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] naming the `extra_root_certificates` file when it cannot be read
    /// or holds no usable certificate.
    pub fn from_config(config: &WebexConfig) -> crate::Result<Self> {
        Ok(Self::for_client(config, configured_tls(config)?.as_deref()))
    }

    /// The transport of a client whose TLS configuration (`tls`, from
    /// [`configured_tls`]) is already built.
    pub(crate) fn for_client(config: &WebexConfig, tls: Option<&rustls::ClientConfig>) -> Self {
        let transport = match tls {
            None => Self::new(config.request_timeout),
            Some(tls) => Self::with_tls_config(config.request_timeout, tls.clone()),
        };
        transport.with_max_response_body(config.max_response_body)
    }

    fn with_connector(
        timeout: Duration,
        https: hyper_rustls::HttpsConnector<HttpConnector>,
    ) -> Self {
        let client = Client::builder(TokioExecutor::new()).build(https);
        Self {
            client: Arc::new(client),
            timeout,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// The same transport reading at most `bytes` of a response body unless a request says
    /// otherwise (default 64 MiB); a larger body is [`ErrorKind::ResponseTooLarge`].
    #[must_use]
    pub fn with_max_response_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
}

impl Service<HttpRequest> for HyperTransport {
    type Response = HttpResponse;
    type Error = Error;
    type Future = HttpFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: HttpRequest) -> Self::Future {
        let options = options_of(&req);
        let timeout = options.timeout.unwrap_or(self.timeout);
        let max_body = options.max_response_body.unwrap_or(self.max_body);
        if !trust::is_secure_uri(req.uri()) && secret_headers::carries_secret(req.headers()) {
            let refused = Error::new(
                ErrorKind::Credentials,
                format!(
                    "refused to send credentials over plain http to {}: only https, or http \
                     to a loopback host, may carry them",
                    redact::uri(req.uri())
                ),
            );
            return Box::pin(std::future::ready(Err(refused)));
        }
        let meta = ResponseMeta {
            uri: req.uri().clone(),
            tracking_id: req.headers().get(TRACKING_ID).cloned(),
        };
        // Sent when first polled; made here so the future holds only the response's.
        let sent = self.client.request(wire_body(req));
        Box::pin(async move {
            let attempt = async {
                let res = sent.await.map_err(|e| {
                    let kind = if e.is_connect() {
                        ErrorKind::Connect
                    } else {
                        ErrorKind::Network
                    };
                    transport_error(kind, &meta, e)
                })?;
                let (parts, body) = res.into_parts();
                let announced = parts
                    .headers
                    .get(CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                if announced.is_some_and(|len| len > max_body as u64) {
                    return Err(too_large(&meta, max_body));
                }
                let body = Limited::new(body, max_body)
                    .collect()
                    .await
                    .map_err(|e| {
                        if e.is::<LengthLimitError>() {
                            too_large(&meta, max_body)
                        } else {
                            transport_error(ErrorKind::Network, &meta, e)
                        }
                    })?
                    .to_bytes();
                Ok::<_, Error>(HttpResponse::from_parts(parts, body))
            };
            // One timer: the attempt's timeout, or the call's deadline when that is sooner.
            let end = deadline::attempt_end(timeout);
            let mut res = tokio::time::timeout_at(end.at, attempt)
                .await
                .map_err(|_| {
                    end.expired().unwrap_or_else(|| {
                        with_id(
                            Error::new(
                                ErrorKind::Timeout,
                                format!("no response from {} within {timeout:?}", meta.uri),
                            ),
                            &meta,
                        )
                    })
                })??;
            res.extensions_mut().insert(meta);
            Ok(res)
        })
    }
}

/// Default cap of a response body.
const DEFAULT_MAX_BODY: usize = 64 << 20;

fn too_large(meta: &ResponseMeta, max_body: usize) -> Error {
    with_id(
        Error::new(
            ErrorKind::ResponseTooLarge,
            format!(
                "the response from {} is larger than the {max_body} bytes allowed",
                meta.uri
            ),
        ),
        meta,
    )
}

fn with_id(err: Error, meta: &ResponseMeta) -> Error {
    match meta.tracking_id() {
        Some(id) => err.with_tracking_id(id),
        None => err,
    }
}

fn transport_error(
    kind: ErrorKind,
    meta: &ResponseMeta,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> Error {
    let source = source.into();
    let what = if kind == ErrorKind::Connect {
        "could not connect to"
    } else {
        "connection failed during request to"
    };
    // The error chain names the cause (refused, reset, TLS).
    let mut cause = String::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(source.as_ref());
    while let Some(e) = next {
        cause.push_str(": ");
        cause.push_str(&e.to_string());
        next = e.source();
    }
    with_id(
        Error::new(kind, format!("{what} {}{cause}", meta.uri)).with_source(source),
        meta,
    )
}
