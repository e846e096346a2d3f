use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use tower::{Layer, Service};

use crate::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::tracking_id::{TRACKING_ID_HEADER, TrackingIds};

/// The `TrackingID` header's name, parsed once.
pub(crate) const TRACKING_ID: HeaderName = HeaderName::from_static(TRACKING_ID_HEADER);

/// Adds a `TrackingID` (`<prefix>_<session>_<n>`) unless the request has one.
#[derive(Debug, Clone)]
pub struct TrackingIdLayer {
    ids: Arc<TrackingIds>,
}

impl TrackingIdLayer {
    /// A layer drawing ids from `ids`.
    #[must_use]
    pub fn new(ids: Arc<TrackingIds>) -> Self {
        Self { ids }
    }
}

impl<S> Layer<S> for TrackingIdLayer {
    type Service = TrackingId<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TrackingId {
            inner,
            ids: self.ids.clone(),
        }
    }
}

/// The service of [`TrackingIdLayer`].
#[derive(Debug, Clone)]
pub struct TrackingId<S> {
    inner: S,
    ids: Arc<TrackingIds>,
}

impl<S> Service<HttpRequest> for TrackingId<S>
where
    S: Service<HttpRequest, Response = HttpResponse, Error = Error>,
{
    type Response = HttpResponse;
    type Error = Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: HttpRequest) -> Self::Future {
        if let http::header::Entry::Vacant(slot) = req.headers_mut().entry(TRACKING_ID) {
            // Prefix, uuid and counter are all header-safe, so this cannot fail in practice.
            // The id's own buffer becomes the value's, uncopied.
            if let Ok(value) = HeaderValue::from_maybe_shared(Bytes::from(self.ids.next_id())) {
                slot.insert(value);
            }
        }
        self.inner.call(req)
    }
}
