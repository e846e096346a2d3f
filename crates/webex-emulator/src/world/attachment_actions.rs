//! Attachment actions: submits of Adaptive Card forms.

use std::collections::HashMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::Data;
use crate::bus::Event;
use crate::kit::clock::Stamp;
use crate::kit::error::ApiError;

/// A stored action.
#[derive(Clone, Debug)]
pub(crate) struct AttachmentAction {
    pub(crate) uuid: Uuid,
    pub(crate) message: Uuid,
    pub(crate) room: Uuid,
    pub(crate) person: Uuid,
    pub(crate) inputs: Map<String, Value>,
    pub(crate) created: Stamp,
}

/// All actions.
#[derive(Default)]
pub(crate) struct AttachmentActionStore {
    actions: HashMap<Uuid, AttachmentAction>,
}

impl AttachmentActionStore {
    /// The action with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&AttachmentAction> {
        self.actions.get(&uuid)
    }
}

impl Data {
    /// Stores a submit and publishes it.
    pub(crate) fn submit_action(&mut self, action: AttachmentAction) {
        let uuid = action.uuid;
        self.attachment_actions.actions.insert(uuid, action);
        self.publish(Event::AttachmentAction { action: uuid });
    }

    /// The action, if `viewer` may read it: whoever submitted it, and whoever
    /// sees the card's message, in a room they are in (403 otherwise); 404
    /// for an unknown action.
    pub(crate) fn visible_action(
        &self,
        uuid: Uuid,
        viewer: Uuid,
    ) -> Result<&AttachmentAction, ApiError> {
        let not_found =
            || ApiError::not_found("Could not find an attachment action with the provided ID.");
        let action = self.attachment_actions.get(uuid).ok_or_else(not_found)?;
        self.member_room(action.room, viewer)?;
        let sees_message = self
            .messages
            .get(action.message)
            .is_some_and(|m| self.can_see_message(m, viewer));
        if action.person != viewer && !sees_message {
            return Err(not_found());
        }
        Ok(action)
    }
}
