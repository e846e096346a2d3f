//! The events `listen()` yields: the JS SDK's envelope around typed `data` per resource
//! (`docs/protocol/conversation.md`, *Hydra-style events from activities*).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Timestamp;
use crate::attachment_actions::AttachmentActionType;
use crate::id::{AttachmentActionId, MembershipId, MessageId, OrganizationId, PersonId, RoomId};
use crate::messages::Message;
use crate::rooms::RoomType;
use crate::webhooks::{WebhookOwner, WebhookResource, WebhookStatus};

/// Which change an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EventType {
    /// `created`.
    Created,
    /// `updated`.
    Updated,
    /// `deleted`.
    Deleted,
    /// `seen` (read receipts; memberships only).
    Seen,
}

/// An event in the JS SDK's envelope: like a webhook delivery without the webhook fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HydraEvent<D> {
    /// [`Messages`](WebhookResource::Messages), [`Rooms`](WebhookResource::Rooms),
    /// [`Memberships`](WebhookResource::Memberships) or
    /// [`AttachmentActions`](WebhookResource::AttachmentActions).
    pub resource: WebhookResource,
    /// What happened.
    pub event: EventType,
    /// Who did it.
    pub actor_id: PersonId,
    /// The listening user.
    pub created_by: PersonId,
    /// The listening user's organisation.
    pub org_id: OrganizationId,
    /// Always [`WebhookOwner::Creator`] (`creator`).
    pub owned_by: WebhookOwner,
    /// Always [`WebhookStatus::Active`] (`active`).
    pub status: WebhookStatus,
    /// When `listen()` was called.
    pub created: Timestamp,
    /// The resource, as the JS SDK's converter builds it.
    pub data: D,
    /// True when the event was not pushed over Mercury but recovered over REST after a
    /// reconnect or a lag (*backfill*, see [the module docs](crate::listen)); sent only when
    /// true, so live events keep the JS SDK's shape.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backfilled: bool,
}

/// `data` of a `messages` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum MessageEventData {
    /// `created`: the message as Hydra returns it (fetched, like the JS SDK does).
    Created(Box<Message>),
    /// `deleted`: what the activity tells.
    Deleted(DeletedMessage),
}

/// `data` of a `messages:deleted` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeletedMessage {
    /// The deleted message.
    pub id: MessageId,
    /// Who deleted it.
    pub person_id: PersonId,
    /// Their e-mail (or uuid when the activity has none).
    pub person_email: String,
    /// The room.
    pub room_id: RoomId,
    /// Direct or group.
    pub room_type: RoomType,
}

/// `data` of a `rooms` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoomEventData {
    /// The room.
    pub id: RoomId,
    /// The activity's `published`.
    pub created: Option<Timestamp>,
    /// The creator (created; lock/unlock when known).
    pub creator_id: Option<PersonId>,
    /// `published` (created only).
    pub last_activity: Option<Timestamp>,
    /// Direct or group.
    #[serde(rename = "type")]
    pub room_type: RoomType,
    /// Whether the room is locked.
    pub is_locked: bool,
}

/// `data` of a `memberships` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MembershipEventData {
    /// `MEMBERSHIP(<person uuid>:<room uuid>)`.
    pub id: MembershipId,
    /// The member.
    pub person_id: PersonId,
    /// The member's e-mail.
    pub person_email: Option<String>,
    /// The member's name.
    pub person_display_name: Option<String>,
    /// The member's organisation.
    pub person_org_id: Option<OrganizationId>,
    /// The room.
    pub room_id: RoomId,
    /// Direct or group.
    pub room_type: RoomType,
    /// True only for `hide`.
    pub is_room_hidden: bool,
    /// From the member's room properties; not set for `seen`.
    pub is_moderator: Option<bool>,
    /// The activity's `published`.
    pub created: Option<Timestamp>,
    /// The message read (`seen` only).
    pub last_seen_id: Option<MessageId>,
}

/// `data` of an `attachmentActions` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttachmentActionEventData {
    /// The submission.
    pub id: AttachmentActionId,
    /// The card's message.
    pub message_id: Option<MessageId>,
    /// The room.
    pub room_id: RoomId,
    /// Who submitted.
    pub person_id: PersonId,
    /// What the action does (`submit`), as the activity's object type says.
    #[serde(rename = "type")]
    pub action_type: Option<AttachmentActionType>,
    /// The card's inputs.
    pub inputs: Value,
    /// The activity's `published`.
    pub created: Option<Timestamp>,
}

/// What every event of one `listen()` shares.
#[derive(Debug, Clone)]
pub(crate) struct Envelope {
    pub(crate) resource: WebhookResource,
    pub(crate) created_by: PersonId,
    pub(crate) org_id: OrganizationId,
    pub(crate) created: Timestamp,
}

impl Envelope {
    /// A live event.
    pub(crate) fn event<D>(&self, event: EventType, actor_id: PersonId, data: D) -> HydraEvent<D> {
        self.clone().into_event(event, actor_id, data)
    }

    /// A live event from an envelope of its own (a fetch's, cloned once when it started).
    pub(crate) fn into_event<D>(
        self,
        event: EventType,
        actor_id: PersonId,
        data: D,
    ) -> HydraEvent<D> {
        HydraEvent {
            resource: self.resource,
            event,
            actor_id,
            created_by: self.created_by,
            org_id: self.org_id,
            owned_by: WebhookOwner::Creator,
            status: WebhookStatus::Active,
            created: self.created,
            data,
            backfilled: false,
        }
    }

    /// An event recovered by backfill.
    pub(crate) fn backfilled<D>(
        &self,
        event: EventType,
        actor_id: PersonId,
        data: D,
    ) -> HydraEvent<D> {
        HydraEvent {
            backfilled: true,
            ..self.event(event, actor_id, data)
        }
    }
}
