//! U2C, the service catalog: where clients look up every other service.
//! The catalog itself ([`crate::views::catalog`]) is generated from the
//! registered services' specs.

use std::collections::HashMap;
use std::time::SystemTime;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};

use crate::app::{AppState, Shared};
use crate::kit::auth::Caller;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::service::{Listing, ServiceSpec};
use crate::views::catalog::Hostmap;

/// The U2C service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "u2c",
    base_path: "/u2c/api/v1",
    listing: Listing::Base,
};

/// The query keys a limited (pre-auth) catalog request must carry one of.
const LIMITED_KEYS: [&str; 5] = ["orgId", "emailhash", "email", "userId", "mode"];

/// The U2C routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/limited/catalog"), get(limited_catalog))
        .route(&SPEC.path("/catalog"), get(full_catalog))
}

/// `GET /u2c/api/v1/limited/catalog`: the pre-auth catalog, without token
/// but with one identifying key.
async fn limited_catalog(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Hostmap>, ApiError> {
    if !LIMITED_KEYS.iter().any(|key| query.contains_key(*key)) {
        return Err(ApiError::bad_request(
            "One of orgId, emailhash, userId or mode is required.",
        ));
    }
    current(&state, &query).map(Json)
}

/// `GET /u2c/api/v1/catalog`: the post-auth catalog.
async fn full_catalog(
    State(state): State<AppState>,
    _caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Hostmap>, ApiError> {
    current(&state, &query).map(Json)
}

/// The catalog as of now, if the requested format is one the emulator has.
fn current(state: &Shared, query: &HashMap<String, String>) -> Result<Hostmap, ApiError> {
    match query.get("format") {
        None => {}
        Some(format) if format.eq_ignore_ascii_case("hostmap") => {}
        Some(format) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported catalog format '{format}'; only hostmap is available."
            )));
        }
    }
    Ok(state.catalog.hostmap(
        &state.endpoint,
        state.org.uuid,
        clock::unix_secs(SystemTime::now()),
    ))
}
