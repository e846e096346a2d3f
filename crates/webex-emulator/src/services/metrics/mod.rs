//! The client-metrics sink.
//!
//! The JS SDK posts metrics in the background and crashes on an unhandled
//! rejection when the `metrics` service is missing or failing, so the
//! emulator accepts and drops them. Tests that care can count the requests
//! with [`crate::Emulator::request_count`].
//!
//! The unified telemetry service (`unifiedTelemetry`, where the JS SDK's
//! multistream connections post their WebRTC statistics with `POST
//! metric/v2`) is a sink of the same kind, so it lives here too.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;

use crate::app::AppState;
use crate::kit::service::{Listing, ServiceSpec};

/// The metrics service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "metrics",
    base_path: "/metrics/api/v1",
    listing: Listing::Base,
};

/// The unified telemetry service.
pub(crate) const TELEMETRY_SPEC: ServiceSpec = ServiceSpec {
    name: "unifiedTelemetry",
    base_path: "/telemetry/api/v1",
    listing: Listing::Base,
};

/// The metrics routes; no authentication, since the pre-login variant has
/// none.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/clientmetrics"), post(accept))
        .route(&SPEC.path("/clientmetrics-prelogin"), post(accept))
        .route(&TELEMETRY_SPEC.path("/metric/v2"), post(accept))
}

/// Accepts and discards a metrics batch.
async fn accept() -> StatusCode {
    StatusCode::NO_CONTENT
}
