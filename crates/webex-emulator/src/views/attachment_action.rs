//! The Hydra attachment action, served by more than one service: Hydra's
//! `attachment/actions`, webhooks (without `inputs`) and the conversation
//! service's `GET attachment/actions/{uuid}` (as webex-bot reads it).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::attachment_actions::AttachmentAction;

/// The Hydra JSON; webhooks get it without `inputs`.
pub(crate) fn action_json(action: &AttachmentAction, with_inputs: bool) -> Value {
    let mut json = json!({
        "id": ids::uuid_id(HydraType::AttachmentAction, action.uuid),
        "type": "submit",
        "messageId": ids::uuid_id(HydraType::Message, action.message),
        "personId": ids::person_id(action.person),
        "roomId": ids::uuid_id(HydraType::Room, action.room),
        "created": clock::rfc3339_millis(action.created.time),
    });
    if let (true, Some(object)) = (with_inputs, json.as_object_mut()) {
        object.insert("inputs".into(), Value::Object(action.inputs.clone()));
    }
    json
}

/// The Hydra JSON (with `inputs`) of the action whose id (Hydra or bare uuid)
/// is `id`, if `viewer` may read it.
pub(crate) fn visible_action_json(data: &Data, id: &str, viewer: Uuid) -> Result<Value, ApiError> {
    let uuid = ids::decode_uuid(id, HydraType::AttachmentAction)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid attachment action id '{id}'.")))?;
    let action = data.visible_action(uuid, viewer)?;
    Ok(action_json(action, true))
}
