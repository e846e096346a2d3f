//! Device search: `POST {argonaut}/directory` with `searchType:
//! "DEVICE_SEARCH"` and a `queryString`, matched against device names
//! without regard to case. Answers `{"searchId", "items": [...]}`.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ARGONAUT;
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(&ARGONAUT.path("/directory"), post(search))
}

/// The search body (the JS SDK also sends `searchEntity`, `includePeople`
/// and `includeRooms`, which a device search does not need).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Search {
    search_id: Option<String>,
    search_type: Option<String>,
    query_string: Option<String>,
}

/// `POST {argonaut}/directory`.
async fn search(
    State(state): State<AppState>,
    _caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: Search = body::json(&raw)?;
    if request.search_type.as_deref() != Some("DEVICE_SEARCH") {
        return Err(ApiError::bad_request(
            "Only searchType DEVICE_SEARCH is supported.",
        ));
    }
    let query = body::required(request.query_string.as_deref(), "queryString")?.to_lowercase();
    let data = lock(&state.data);
    let items: Vec<Value> = data
        .paired_devices
        .all()
        .filter(|device| device.name.to_lowercase().contains(&query))
        .map(|device| {
            json!({
                "id": device.uuid.to_string(),
                "displayName": device.name,
                "productName": device.model,
                "machineType": "LYRA_SPACE",
                "url": super::space_url(&state, device.uuid),
            })
        })
        .collect();
    Ok(Json(json!({"searchId": request.search_id, "items": items})))
}
