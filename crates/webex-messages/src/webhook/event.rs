use serde::Deserialize;
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::attachment_actions::AttachmentAction;
use crate::id::{OrganizationId, PersonId, WebhookId};
use crate::memberships::Membership;
use crate::messages::Message;
use crate::rooms::Room;
use crate::webhooks::{WebhookEventType, WebhookResource, WebhookStatus};

/// One webhook delivery: which webhook fired, for what, and the object it is about.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The webhook that fired.
    pub webhook_id: WebhookId,
    /// The webhook's name.
    pub name: String,
    /// What the webhook watches.
    pub resource: WebhookResource,
    /// What happened.
    pub event: WebhookEventType,
    /// The webhook's filter; absent when it has none.
    pub filter: Option<String>,
    /// Who caused the event.
    pub actor_id: PersonId,
    /// The webhook owner's organisation; kept optional like [`Webhook::org_id`](crate::webhooks::Webhook::org_id).
    pub org_id: Option<OrganizationId>,
    /// Who created the webhook; kept optional like [`Webhook::created_by`](crate::webhooks::Webhook::created_by).
    pub created_by: Option<PersonId>,
    /// The webhook's status.
    pub status: WebhookStatus,
    /// When the webhook was created.
    pub created: Timestamp,
    /// The object the event is about.
    pub data: WebhookData,
    /// Envelope fields this version of the SDK does not model, kept as sent.
    pub extra: Map<String, Value>,
}

/// The object of a webhook event, typed by resource. A message event carries the message's
/// ids only (no text): fetch it with `webex.messages().get(id)`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookData {
    /// `messages` events.
    Message(Box<Message>),
    /// `rooms` events.
    Room(Box<Room>),
    /// `memberships` events.
    Membership(Box<Membership>),
    /// `attachmentActions` events.
    AttachmentAction(Box<AttachmentAction>),
    /// A resource this SDK does not type, or data that did not fit its type, kept as sent.
    Other(Value),
}

/// The delivery as sent, before `data` is typed.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    id: WebhookId,
    name: String,
    resource: WebhookResource,
    event: WebhookEventType,
    filter: Option<String>,
    actor_id: PersonId,
    org_id: Option<OrganizationId>,
    created_by: Option<PersonId>,
    status: WebhookStatus,
    created: Timestamp,
    #[serde(default)]
    data: Value,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl WebhookEvent {
    /// Parses a delivery body (after its signature was checked).
    pub(super) fn parse(body: &[u8]) -> Result<Self, serde_json::Error> {
        let envelope: Envelope = serde_json::from_slice(body)?;
        let data = type_data(&envelope.resource, envelope.data);
        Ok(Self {
            webhook_id: envelope.id,
            name: envelope.name,
            resource: envelope.resource,
            event: envelope.event,
            filter: envelope.filter,
            actor_id: envelope.actor_id,
            org_id: envelope.org_id,
            created_by: envelope.created_by,
            status: envelope.status,
            created: envelope.created,
            data,
            extra: envelope.extra,
        })
    }
}

/// Types `data` by resource; data that does not fit is kept as [`WebhookData::Other`]
/// rather than failing the delivery.
fn type_data(resource: &WebhookResource, data: Value) -> WebhookData {
    fn typed<T: serde::de::DeserializeOwned>(
        data: Value,
        wrap: impl FnOnce(Box<T>) -> WebhookData,
    ) -> WebhookData {
        match serde_json::from_value::<T>(data.clone()) {
            Ok(value) => wrap(Box::new(value)),
            Err(_) => WebhookData::Other(data),
        }
    }
    match resource {
        WebhookResource::Messages => typed(data, WebhookData::Message),
        WebhookResource::Rooms => typed(data, WebhookData::Room),
        WebhookResource::Memberships => typed(data, WebhookData::Membership),
        WebhookResource::AttachmentActions => typed(data, WebhookData::AttachmentAction),
        _ => WebhookData::Other(data),
    }
}
