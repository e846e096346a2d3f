//! Ultrasound advertisements: a room device plays a token; an app that
//! heard it asks `GET {proximity}/ultrasound/advertisements?token=...` which
//! device it was.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::PROXIMITY;
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::query::Params;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(
        &PROXIMITY.path("/ultrasound/advertisements"),
        get(advertisement),
    )
}

/// `GET {proximity}/ultrasound/advertisements?token=`: `{"advertiser":
/// {"id", "displayName", "orgId"}, "links": {"lyra_space", "addMeToSpace"},
/// "token": {"value"}}`.
async fn advertisement(
    State(state): State<AppState>,
    _caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let token = params.require("token")?;
    let data = lock(&state.data);
    let device = data
        .paired_devices
        .by_token(token)
        .ok_or_else(|| ApiError::not_found("No device advertises this token."))?;
    let space = super::space_url(&state, device.uuid);
    Ok(Json(json!({
        "advertiser": {
            "id": device.uuid.to_string(),
            "displayName": device.name,
            "orgId": state.org.uuid.to_string(),
        },
        "links": {
            "lyra_space": {"href": space, "method": "GET"},
            "addMeToSpace": {"href": format!("{space}/occupants/@me"), "method": "PUT"},
        },
        "token": {"value": token},
    })))
}
