//! Conversations bound to a space (shown on the device):
//! `GET/POST/DELETE {space}/bindings`. Binding carries a `kmsMessage` that
//! authorizes the space on the conversation's KMS resource; unbinding one
//! that removes the authorization.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{SPEC, base, base64url, space_id, view};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::query::Params;

/// The binding routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        &SPEC.path("/spaces/{id}/bindings"),
        get(list).post(bind).delete(unbind),
    )
}

/// `GET {space}/bindings`: `{"bindings": [...]}` (paired people only).
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = space_id(&id)?;
    let data = lock(&state.data);
    let device = data
        .paired_devices
        .paired_with(uuid, caller.person)
        .map_err(|error| view::error(&error))?;
    let url = view::space_url(&base(&state), uuid);
    let bindings: Vec<Value> = device
        .bindings
        .iter()
        .map(|binding| view::binding(&url, binding))
        .collect();
    Ok(Json(json!({"bindings": bindings})))
}

/// The body of a bind.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BindRequest {
    kms_message: Value,
    conversation_url: String,
}

/// Checks that a `kmsMessage` is there, as the compact JWE clients send.
fn kms_message(value: &Value) -> Result<&str, ApiError> {
    value
        .as_str()
        .filter(|jwe| jwe.split('.').count() == 5)
        .ok_or_else(|| ApiError::bad_request("kmsMessage must be a compact JWE."))
}

/// `POST {space}/bindings` with `{"kmsMessage", "conversationUrl"}`:
/// `{"bindings": [the new one]}`.
async fn bind(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    raw: Bytes,
) -> Result<Json<Value>, ApiError> {
    let uuid = space_id(&id)?;
    let request: BindRequest = body::json(&raw)?;
    kms_message(&request.kms_message)?;
    let binding = lock(&state.data)
        .bind_conversation(uuid, caller.person, &request.conversation_url)
        .map_err(|error| view::error(&error))?;
    let url = view::space_url(&base(&state), uuid);
    Ok(Json(json!({"bindings": [view::binding(&url, &binding)]})))
}

/// `DELETE {space}/bindings?kmsMessage=<JWE>&conversationUrl=<base64url>`.
async fn unbind(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let uuid = space_id(&id)?;
    kms_message(&Value::from(params.require("kmsMessage")?))?;
    let conversation_url = base64url(params.require("conversationUrl")?, "conversationUrl")?;
    lock(&state.data)
        .unbind_conversation(uuid, caller.person, &conversation_url)
        .map_err(|error| view::error(&error))?;
    Ok(StatusCode::NO_CONTENT)
}
