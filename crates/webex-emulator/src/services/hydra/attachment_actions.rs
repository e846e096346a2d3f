//! The Hydra `attachment/actions` endpoints.
//!
//! `POST /v1/attachment/actions {type: "submit", messageId, inputs}` needs
//! a message with attachments that the caller can see. Those who can see
//! the message can read the action.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::views::{action_json, visible_action_json};
use crate::world::attachment_actions::AttachmentAction;
use crate::world::messages;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    super::collection("attachment/actions", post(create), get(get_one))
}

/// The body of `POST /attachment/actions`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    message_id: Option<String>,
    inputs: Option<Value>,
}

/// `POST /v1/attachment/actions`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: CreateBody = body::json(&raw)?;
    let kind = body::required(request.kind.as_deref(), "type")?;
    if kind != "submit" {
        return Err(ApiError::bad_request(format!(
            "type must be submit, not '{kind}'."
        )));
    }
    let message_id = body::required(request.message_id.as_deref(), "messageId")?;
    let message_uuid = messages::parse_id(message_id, "messageId")?;
    let inputs = match request.inputs {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(inputs)) => inputs,
        Some(_) => return Err(ApiError::bad_request("inputs must be an object.")),
    };
    let mut data = lock(&state.data);
    let message = data.visible_message(message_uuid, caller.person)?;
    if message.attachments.is_empty() {
        return Err(ApiError::bad_request(
            "The message has no attachments to act on.",
        ));
    }
    let room = message.room;
    let action = AttachmentAction {
        uuid: Uuid::new_v4(),
        message: message_uuid,
        room,
        person: caller.person,
        inputs,
        created: data.tick(),
    };
    let json = action_json(&action, true);
    data.submit_action(action);
    Ok(Json(json))
}

/// `GET /v1/attachment/actions/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let data = lock(&state.data);
    Ok(Json(visible_action_json(&data, &id, caller.person)?))
}
