//! The client-metrics sink.
//!
//! The JS SDK posts metrics in the background and crashes on an unhandled
//! rejection when the `metrics` service is missing or failing, so the
//! emulator accepts and drops them. Tests that care can count the requests
//! with [`crate::Emulator::request_count`].

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;

use crate::state::AppState;

/// The metrics routes; no authentication, since the pre-login variant has
/// none.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/metrics/api/v1/clientmetrics", post(accept))
        .route("/metrics/api/v1/clientmetrics-prelogin", post(accept))
}

/// Accepts and discards a metrics batch.
async fn accept() -> StatusCode {
    StatusCode::NO_CONTENT
}
