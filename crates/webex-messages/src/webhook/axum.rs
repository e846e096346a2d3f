//! Webhook deliveries in an axum app (cargo feature `axum`).
//!
//! Either mount a ready route that verifies, parses and hands each event to a callback:
//!
//! ```no_run
//! use webex_messages::webhook::{WebhookVerifier, axum::webhook_route};
//!
//! let app: axum::Router = axum::Router::new().route(
//!     "/webex",
//!     webhook_route(WebhookVerifier::new("s3cret"), |event| async move {
//!         println!("{} {}", event.resource, event.event);
//!     }),
//! );
//! # drop(app);
//! ```
//!
//! or take [`VerifiedWebhook`] as an extractor in your own handler, with a
//! [`WebhookVerifier`] reachable from the router state (`FromRef`). Deliveries that are not
//! authentic get `401`, authentic bodies that are not events `400`; the callback or handler
//! never sees them.

use std::future::Future;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};

use super::{WebhookError, WebhookEvent, WebhookVerifier};

/// A `POST` route that answers `200` after `on_event` finished with each verified event, and
/// `401` / `400` (without calling it) otherwise. Spawn from `on_event` for long work: Webex
/// waits for the answer.
pub fn webhook_route<S, F, Fut>(verifier: WebhookVerifier, on_event: F) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    F: Fn(WebhookEvent) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    post(move |headers: HeaderMap, body: Bytes| async move {
        match verifier.verify_and_parse(&headers, &body) {
            Ok(event) => {
                on_event(event).await;
                StatusCode::OK.into_response()
            }
            Err(error) => WebhookRejection::Invalid(error).into_response(),
        }
    })
}

/// An extractor for a verified, parsed delivery; the router state must give a
/// [`WebhookVerifier`] through `FromRef`.
#[derive(Debug, Clone)]
pub struct VerifiedWebhook(pub WebhookEvent);

impl<S> FromRequest<S> for VerifiedWebhook
where
    WebhookVerifier: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = WebhookVerifier::from_ref(state);
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| WebhookRejection::Body(rejection.into_response()))?;
        verifier
            .verify_and_parse(&headers, &body)
            .map(Self)
            .map_err(WebhookRejection::Invalid)
    }
}

/// Why [`VerifiedWebhook`] rejected a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// Not authentic (`401`) or not an event (`400`).
    Invalid(WebhookError),
    /// The body could not be read (axum's own answer).
    Body(Response),
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Invalid(error) if error.is_unauthenticated() => {
                (StatusCode::UNAUTHORIZED, error.to_string()).into_response()
            }
            Self::Invalid(error) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
            Self::Body(response) => response,
        }
    }
}
