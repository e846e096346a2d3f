//! Conversations bound to a space (shown on the device):
//! `GET/POST/DELETE {space}/bindings`. Binding carries a `kmsMessage` that
//! authorizes the space on the conversation's KMS resource; unbinding one
//! that removes the authorization. Lyra opens it with the emulator's KMS and
//! has the KMS do it, so a binding exists only with its authorization.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{SPEC, base, base64url, space_id, view};
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::query::Params;
use crate::world::Data;

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

/// Opens the `kmsMessage` `caller` sent (a JWE under their ECDHE context),
/// checks it asks for `method` on an authorization of the space `space`, and
/// has the KMS carry it out (an authorization for the space on the
/// conversation's resource, or its removal).
fn authorize_in_kms(
    data: &mut Data,
    caller: Uuid,
    space: Uuid,
    jwe: &Value,
    method: &str,
) -> Result<(), ApiError> {
    let jwe = jwe
        .as_str()
        .ok_or_else(|| ApiError::bad_request("kmsMessage must be a compact JWE."))?;
    let request = data
        .kms
        .open(jwe)
        .map_err(|error| ApiError::bad_request(format!("kmsMessage: {error}")))?;
    if request["client"]["credential"]["userId"] != caller.to_string() {
        return Err(ApiError::forbidden("kmsMessage is not the caller's."));
    }
    let uri = request["uri"].as_str().unwrap_or_default();
    let space = space.to_string();
    let for_space = match method {
        "create" => uri == "/authorizations" && request["userIds"] == json!([space]),
        _ => uri.ends_with(&format!("/authorizations?authId={space}")),
    };
    if request["method"] != method || !for_space {
        return Err(ApiError::bad_request(format!(
            "kmsMessage must {method} the space's authorization, not {} {uri}.",
            request["method"]
        )));
    }
    let answer = data.kms.apply(caller, &request);
    if answer["status"].as_u64().unwrap_or(500) >= 400 {
        return Err(ApiError::forbidden(format!(
            "KMS refused the authorization: {}",
            answer["reason"].as_str().unwrap_or("no reason")
        )));
    }
    Ok(())
}

/// `POST {space}/bindings` with `{"kmsMessage", "conversationUrl"}`:
/// `{"bindings": [the new one]}`.
async fn bind(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let uuid = space_id(&id)?;
    let request: BindRequest = body::json(&raw)?;
    let mut data = lock(&state.data);
    data.paired_devices
        .paired_with(uuid, caller.person)
        .map_err(|error| view::error(&error))?;
    authorize_in_kms(
        &mut data,
        caller.person,
        uuid,
        &request.kms_message,
        "create",
    )?;
    let binding = data
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
    let kms_message = Value::from(params.require("kmsMessage")?);
    let conversation_url = base64url(params.require("conversationUrl")?, "conversationUrl")?;
    let mut data = lock(&state.data);
    let device = data
        .paired_devices
        .paired_with(uuid, caller.person)
        .map_err(|error| view::error(&error))?;
    if !device
        .bindings
        .iter()
        .any(|binding| binding.conversation_url == conversation_url)
    {
        return Err(ApiError::not_found("No binding for this conversation."));
    }
    authorize_in_kms(&mut data, caller.person, uuid, &kms_message, "delete")?;
    data.unbind_conversation(uuid, caller.person, &conversation_url)
        .map_err(|error| view::error(&error))?;
    Ok(StatusCode::NO_CONTENT)
}
