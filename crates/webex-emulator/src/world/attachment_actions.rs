//! Attachment actions: submits of Adaptive Card forms.

use std::collections::HashMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::Data;
use crate::bus::Event;
use crate::kit::clock::Stamp;

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
}
