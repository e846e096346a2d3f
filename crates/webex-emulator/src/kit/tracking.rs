//! Tracking ids: echoed on every response and written into error bodies.
//!
//! This is the outermost middleware, so it also sees responses produced by
//! faults and by the framework itself (for example a rejected path
//! parameter), and turns every error into Webex's JSON shape.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use crate::kit::error::{self, ApiError, PendingError};

/// The header Webex clients and servers use, lower-case as on the wire.
pub(crate) const TRACKING_ID: HeaderName = HeaderName::from_static("trackingid");

/// The tracking id of the current request, available to handlers as an
/// extension.
#[derive(Clone, Debug)]
pub(crate) struct TrackingId(pub(crate) HeaderValue);

impl TrackingId {
    /// The request's own id when it sent a non-empty one, else a fresh
    /// `EMULATOR_<uuid>`.
    fn for_request(request: &Request) -> Self {
        match request.headers().get(&TRACKING_ID) {
            Some(value) if !value.is_empty() => Self(value.clone()),
            _ => {
                let generated = format!("EMULATOR_{}", Uuid::new_v4());
                Self(
                    HeaderValue::from_str(&generated)
                        .unwrap_or(HeaderValue::from_static("EMULATOR")),
                )
            }
        }
    }

    /// The tracking id the middleware attached to `request`, as text; empty
    /// outside the middleware.
    pub(crate) fn text_of(request: &Request) -> String {
        request
            .extensions()
            .get::<Self>()
            .map(Self::as_text)
            .unwrap_or_default()
    }

    /// The id as text for JSON bodies. Non-UTF-8 bytes cannot be echoed in
    /// JSON; replacing them is better than failing the response.
    pub(crate) fn as_text(&self) -> String {
        String::from_utf8_lossy(self.0.as_bytes()).into_owned()
    }
}

/// Middleware: attaches the tracking id to the request and the response and
/// writes pending Webex error bodies.
pub(crate) async fn middleware(mut request: Request, next: Next) -> Response {
    let tracking = TrackingId::for_request(&request);
    request.extensions_mut().insert(tracking.clone());
    let mut response = next.run(request).await;

    if let Some(PendingError(message)) = response.extensions_mut().remove::<PendingError>() {
        response = error::render(response, &message, &tracking.as_text());
    } else if response.status().as_u16() >= 400 && !is_json_or_html(&response) {
        // A framework rejection (bad path, 405, ...) comes as plain text;
        // clients expect every error in the Webex shape. HTML error pages
        // (idbroker's sign-in errors, shown to a person) stay as they are.
        let fallback = ApiError::for_status(response.status());
        response = error::render(response, &fallback.message, &tracking.as_text());
    }

    response.headers_mut().insert(TRACKING_ID, tracking.0);
    response
}

/// Whether a response already declares a JSON body (handlers' own errors,
/// faults with a raw body) or an HTML page.
fn is_json_or_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.starts_with("application/json") || value.starts_with("text/html")
        })
}
