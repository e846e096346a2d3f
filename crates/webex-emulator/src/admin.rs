//! The admin API under `/_emulator/`: test setup, never faulted and never
//! authenticated.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::catalog::{self, CatalogHost};
use crate::faults::Fault;
use crate::kit::error::ApiError;
use crate::people::{self, CreatedPerson, NewPerson};
use crate::state::{AppState, lock};

/// The prefix of every admin path.
const PREFIX: &str = "/_emulator";

/// Whether `path` belongs to the admin API, which faults and request
/// counting leave alone so that test setup cannot disturb what is measured.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The admin routes.
pub(crate) fn routes() -> Router<AppState> {
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
}

/// `GET /_emulator/webhooks/deliveries`: `{"items": [...]}`, oldest first.
async fn webhook_deliveries(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"items": state.deliveries.log()}))
}

/// `DELETE /_emulator/webhooks/deliveries`.
async fn clear_webhook_deliveries(State(state): State<AppState>) -> StatusCode {
    state.deliveries.clear_log();
    StatusCode::NO_CONTENT
}

/// `GET /_emulator/health`.
async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `POST /_emulator/people`.
async fn create_person(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<CreatedPerson>), ApiError> {
    let request: NewPerson = crate::kit::body::json(&body)?;
    let created = people::create(&state, request)?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /_emulator/faults`.
async fn add_fault(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fault: Fault = crate::kit::body::json(&body)?;
    let id = lock(&state.faults).add(fault)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// `DELETE /_emulator/faults`.
async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    lock(&state.faults).clear();
    StatusCode::NO_CONTENT
}

/// `POST /_emulator/catalog/hosts`.
async fn add_catalog_host(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let host: CatalogHost = crate::kit::body::json(&body)?;
    catalog::add_host(&state, host)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /_emulator/catalog/hosts`.
async fn reset_catalog_hosts(State(state): State<AppState>) -> StatusCode {
    catalog::reset_hosts(&state);
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
