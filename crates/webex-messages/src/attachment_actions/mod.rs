//! Attachment actions (Adaptive Card submissions): `webex.attachment_actions()`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use webex_core::Result;
use webex_core::http::Request;

use crate::Timestamp;
use crate::client::{Hydra, get_request, hydra, request_future, require};
use crate::id::{AttachmentActionId, MessageId, PersonId, RoomId};
use crate::wire_enum::wire_enum;

/// Hydra writes the resource with a slash.
const RESOURCE: &str = "attachment/actions";

wire_enum! {
    /// What a card action does.
    pub enum AttachmentActionType {
        /// An `Action.Submit` (`submit`).
        Submit => "submit",
    }
}

/// A card submission, as Hydra returns it (from a get or a create, and in a webhook's
/// `data`). Fields Webex adds later land in `extra`; `Option` fields may be absent on the wire
/// (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttachmentAction {
    /// The action id.
    pub id: AttachmentActionId,
    /// What the action does (`submit`).
    #[serde(rename = "type")]
    pub action_type: AttachmentActionType,
    /// The message carrying the card.
    pub message_id: MessageId,
    /// The card's input values, by input id; absent in webhook `data` (fetch the action).
    pub inputs: Option<Map<String, Value>>,
    /// Who submitted.
    pub person_id: PersonId,
    /// The room of the message.
    pub room_id: RoomId,
    /// When it was submitted.
    pub created: Timestamp,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The attachment actions API; from
/// [`MessagesExt::attachment_actions`](crate::MessagesExt::attachment_actions).
#[derive(Debug, Clone)]
pub struct AttachmentActions {
    hydra: Hydra,
}

impl AttachmentActions {
    /// Real-time attachmentActions events over Mercury: `created` (card submissions, with their `inputs`), as the JS SDK's `listen()` emits
    /// them. Connects Mercury (registering the device) first; the stream ends when Mercury
    /// disconnects. Each item is an event or a [`ListenError`](crate::listen::ListenError)
    /// (an activity that could not be converted, a lag, ...); the stream goes on after one.
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`](webex_core::ErrorKind::MissingDependency) without the
    /// `mercury` plugin; Mercury connection failures; `people/me` failures.
    #[cfg(feature = "listen")]
    pub async fn listen(
        &self,
    ) -> Result<crate::listen::EventStream<crate::listen::AttachmentActionEventData>> {
        crate::listen::listen(self.hydra.clone(), crate::listen::AttachmentActionEvents).await
    }

    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Submits the card of `message_id` with `inputs` (input id → value).
    pub fn create(
        &self,
        message_id: impl Into<MessageId>,
        inputs: Map<String, Value>,
    ) -> CreateAttachmentAction {
        CreateAttachmentAction {
            hydra: self.hydra.clone(),
            body: ActionBody {
                action_type: AttachmentActionType::Submit,
                message_id: message_id.into(),
                inputs,
            },
        }
    }

    /// One attachment action.
    pub fn get(&self, id: impl Into<AttachmentActionId>) -> GetAttachmentAction {
        GetAttachmentAction::new(self.hydra.clone(), id.into())
    }
}

get_request!(
    /// `GET attachment/actions/{id}`: one card submission.
    GetAttachmentAction, AttachmentActionId, AttachmentAction, "attachment/actions"
);

/// The body of an attachment action.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ActionBody {
    #[serde(rename = "type")]
    action_type: AttachmentActionType,
    message_id: MessageId,
    inputs: Map<String, Value>,
}

/// `POST attachment/actions`: submits a card.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateAttachmentAction {
    hydra: Hydra,
    body: ActionBody,
}

impl CreateAttachmentAction {
    /// The action type (`submit`, the default and today the only one).
    pub fn action_type(mut self, action_type: AttachmentActionType) -> Self {
        self.body.action_type = action_type;
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty message id; HTTP errors.
    pub async fn send(self) -> Result<AttachmentAction> {
        require("the message id", self.body.message_id.as_str())?;
        let req = Request::post(hydra(RESOURCE, None)).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(CreateAttachmentAction => AttachmentAction);
