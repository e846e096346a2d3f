//! The admin API under `/_emulator/`: test setup, never faulted and never
//! authenticated.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::Control;
use super::burst::MercuryBurst;
use super::faults::Fault;
use super::mercury_faults::MercuryFault;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::services::locus::ledger::LocusFault;
use crate::services::locus::media_fault::MediaFault;
use crate::views::catalog::CatalogHost;
use crate::world::people::{CreatedPerson, NewPerson};

/// The prefix of every admin path.
const PREFIX: &str = "/_emulator";

/// Whether `path` belongs to the admin API, which faults and request
/// counting leave alone so that test setup cannot disturb what is measured.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &[
    "GET /_emulator/health",
    "POST /_emulator/people",
    "POST /_emulator/faults",
    "DELETE /_emulator/faults",
    "POST /_emulator/catalog/hosts",
    "DELETE /_emulator/catalog/hosts",
    "GET /_emulator/webhooks/deliveries",
    "DELETE /_emulator/webhooks/deliveries",
    "GET /_emulator/mercury/connections",
    "GET /_emulator/media/sessions",
    "POST /_emulator/mercury/burst",
];

/// The admin routes, for any router state.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/health", get(health))
        .route("/_emulator/people", post(create_person))
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route(
            "/_emulator/catalog/hosts",
            post(add_catalog_host).delete(reset_catalog_hosts),
        )
        .route(
            "/_emulator/webhooks/deliveries",
            get(webhook_deliveries).delete(clear_webhook_deliveries),
        )
        .route("/_emulator/mercury/connections", get(mercury_connections))
        .route("/_emulator/media/sessions", get(media_sessions))
        .merge(super::devices::routes(Arc::clone(&control)))
        .merge(super::kms::routes(Arc::clone(&control)))
        .merge(super::client_logs::routes(Arc::clone(&control)))
        .merge(super::meetings::routes(Arc::clone(&control)))
        .merge(super::oauth::routes(Arc::clone(&control)))
        .merge(super::paired_devices::routes(Arc::clone(&control)))
        .merge(super::console::routes())
        .merge(super::people::routes(Arc::clone(&control)))
        .merge(super::recent_requests::routes(Arc::clone(&control)))
        .merge(super::state::routes(Arc::clone(&control)))
        .route("/_emulator/mercury/burst", post(mercury_burst))
        .with_state(control)
}

/// `GET /_emulator/mercury/connections`: `{"items": [...]}`, oldest first.
async fn mercury_connections(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.mercury_connections()}))
}

/// `GET /_emulator/media/sessions`: `{"items": [...]}`, the media server's
/// live sessions.
async fn media_sessions(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.media_sessions()}))
}

/// `POST /_emulator/mercury/burst`: 202 `{"count"}` (see [`super::burst`]).
async fn mercury_burst(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let burst: MercuryBurst = body::json(&raw)?;
    let count = control.start_mercury_burst(burst)?;
    Ok((StatusCode::ACCEPTED, Json(json!({"count": count}))))
}

/// `GET /_emulator/webhooks/deliveries`: `{"items": [...]}`, oldest first.
async fn webhook_deliveries(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.webhook_deliveries()}))
}

/// `DELETE /_emulator/webhooks/deliveries`.
async fn clear_webhook_deliveries(State(control): State<Arc<Control>>) -> StatusCode {
    control.clear_webhook_deliveries();
    StatusCode::NO_CONTENT
}

/// `GET /_emulator/health`.
async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `POST /_emulator/people`.
async fn create_person(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<CreatedPerson>), ApiError> {
    let request: NewPerson = body::json(&raw)?;
    let created = control.create_person(request)?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /_emulator/faults`: an HTTP fault (`{"id"}`), a Mercury fault
/// (`{"sockets": n}`), a Locus fault (`{"locus": "drop-deltas"}`) or a media
/// answer fault (`{"media": "drop-m-line"}`).
async fn add_fault(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let value: Value = body::json(&raw)?;
    if LocusFault::is_one(&value) {
        let fault: LocusFault = serde_json::from_value(value)
            .map_err(|error| ApiError::bad_request(format!("Invalid request body: {error}.")))?;
        control.add_locus_fault(&fault)?;
        return Ok((StatusCode::CREATED, Json(json!({"locus": fault.locus}))));
    }
    if MediaFault::is_one(&value) {
        let fault: MediaFault = serde_json::from_value(value)
            .map_err(|error| ApiError::bad_request(format!("Invalid request body: {error}.")))?;
        control.add_media_fault(&fault)?;
        return Ok((StatusCode::CREATED, Json(json!({"media": fault.media}))));
    }
    if MercuryFault::is_one(&value) {
        let sockets = control.add_mercury_fault(&MercuryFault::from_wire(value)?)?;
        return Ok((StatusCode::CREATED, Json(json!({"sockets": sockets}))));
    }
    let fault: Fault = serde_json::from_value(value)
        .map_err(|error| ApiError::bad_request(format!("Invalid request body: {error}.")))?;
    let id = control.add_fault(fault)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// `DELETE /_emulator/faults`.
async fn clear_faults(State(control): State<Arc<Control>>) -> StatusCode {
    control.clear_faults();
    StatusCode::NO_CONTENT
}

/// `POST /_emulator/catalog/hosts`.
async fn add_catalog_host(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<StatusCode, ApiError> {
    let host: CatalogHost = body::json(&raw)?;
    control.add_catalog_host(host)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /_emulator/catalog/hosts`.
async fn reset_catalog_hosts(State(control): State<Arc<Control>>) -> StatusCode {
    control.reset_catalog_hosts();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_paths() {
        assert!(is_admin_path("/_emulator"));
        assert!(is_admin_path("/_emulator/faults"));
        assert!(!is_admin_path("/_emulatorx"));
        assert!(!is_admin_path("/v1/_emulator"));
    }
}
