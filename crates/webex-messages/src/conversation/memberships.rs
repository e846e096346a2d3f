use serde::{Deserialize, Serialize};
use webex_core::http::{Request, Target};
use webex_core::{Error, ErrorKind, Result};

use super::wire::{Acknowledge, Activity, Conversation, Participant, Ref, room_type};
use super::{ConversationRef, join, my_uuid, read_query};
use crate::Timestamp;
use crate::client::{Hydra, request_future, require};
use crate::id::{MembershipId, MessageId, OrganizationId, PersonId, RoomId, US_CLUSTER};
use crate::rooms::RoomType;

/// A membership with the member's read position in the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MembershipReadStatus {
    /// The membership id.
    pub id: MembershipId,
    /// The room.
    pub room_id: RoomId,
    /// The member.
    pub person_id: PersonId,
    /// The member's e-mail address.
    pub person_email: Option<String>,
    /// The member's name.
    pub person_display_name: Option<String>,
    /// The member's organisation.
    pub person_org_id: Option<OrganizationId>,
    /// Direct or group.
    pub room_type: RoomType,
    /// The last message the member read; absent if they never read the room.
    pub last_seen_id: Option<MessageId>,
    /// When they read it.
    pub last_seen_date: Option<Timestamp>,
    /// Whether the member moderates the room, when the service says.
    pub is_moderator: Option<bool>,
    /// Always false (monitors are deprecated).
    pub is_monitor: bool,
    /// Whether the caller hid the room (only ever true for the caller's own membership).
    pub is_room_hidden: bool,
    /// When the read receipt was sent; only from [`UpdateLastSeen`].
    pub created: Option<Timestamp>,
}

/// The parts of a membership that come from the member, with ids built the way the JS SDK
/// builds them: people and organisations always in cluster `us`, the rest in the room's.
fn member_ids(
    member: &Participant,
    room_uuid: &str,
    cluster: &str,
) -> Result<(MembershipId, PersonId, Option<OrganizationId>)> {
    let uuid = member.uuid().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidResponse,
            "a conversation participant without a uuid",
        )
    })?;
    Ok((
        MembershipId::encode(cluster, &format!("{uuid}:{room_uuid}")),
        PersonId::encode(US_CLUSTER, uuid),
        member
            .org_id
            .as_deref()
            .map(|org| OrganizationId::encode(US_CLUSTER, org)),
    ))
}

/// `GET {conversation}/conversations/{uuid}` with every participant's read position.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListMembershipsWithReadStatus {
    hydra: Hydra,
    room_id: RoomId,
}

impl ListMembershipsWithReadStatus {
    pub(crate) fn new(hydra: Hydra, room_id: RoomId) -> Self {
        Self { hydra, room_id }
    }

    /// Sends the request (and `people/me`, once per client with `MessagesPlugin`, to mark the
    /// caller's hidden room).
    ///
    /// # Errors
    /// `InvalidInput` for an empty or non-room id; `UnknownService` when the catalog has no
    /// conversation service for the room's cluster; HTTP errors.
    pub async fn send(self) -> Result<Vec<MembershipReadStatus>> {
        let conversation = ConversationRef::resolve(&self.hydra, &self.room_id)?;
        let req = read_query(Request::get(Target::Url(conversation.url)))
            .query("includeConvWithDeletedUserUUID", "false")
            .query("participantAckFilter", "all")
            .query("computeTitleIfEmpty", "true");
        let found: Conversation = self.hydra.json(req).await?;
        let me = my_uuid(&self.hydra).await?.to_string();
        let room_uuid = conversation.uuid.to_string();
        let room_type = found.room_type();
        let hidden = found.is_hidden();
        let room_id = RoomId::encode(&conversation.cluster, &room_uuid);
        found
            .participants
            .items
            .iter()
            .map(|member| {
                let (id, person_id, person_org_id) =
                    member_ids(member, &room_uuid, &conversation.cluster)?;
                let props = member.room_properties.as_ref();
                let seen_date = props.and_then(|p| p.last_seen_activity_date);
                // A seen id without a date is stale: the JS SDK shows both or neither.
                let seen_id = seen_date.as_ref().and_then(|_| {
                    props
                        .and_then(|p| p.last_seen_activity_uuid.as_deref())
                        .map(|uuid| MessageId::encode(&conversation.cluster, uuid))
                });
                Ok(MembershipReadStatus {
                    id,
                    room_id: room_id.clone(),
                    person_id,
                    person_email: member.email(),
                    person_display_name: member.display_name.clone(),
                    person_org_id,
                    room_type: room_type.clone(),
                    last_seen_id: seen_id,
                    last_seen_date: seen_date,
                    is_moderator: Some(props.and_then(|p| p.is_moderator).unwrap_or(false)),
                    is_monitor: false,
                    is_room_hidden: hidden && member.uuid() == Some(me.as_str()),
                    created: None,
                })
            })
            .collect()
    }
}

request_future!(ListMembershipsWithReadStatus => Vec<MembershipReadStatus>);

/// `POST {conversation}/conversations/{uuid}/activities`: an `acknowledge` activity, the
/// read receipt that moves the caller's `lastSeenId` to a message.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateLastSeen {
    hydra: Hydra,
    message_id: MessageId,
    room_id: RoomId,
}

impl UpdateLastSeen {
    pub(crate) fn new(hydra: Hydra, message_id: MessageId, room_id: RoomId) -> Self {
        Self {
            hydra,
            message_id,
            room_id,
        }
    }

    /// Sends the request (and `people/me`, once per client with `MessagesPlugin`, for the actor
    /// id).
    ///
    /// # Errors
    /// `InvalidInput` for empty or mistyped ids; `UnknownService` when the catalog has no
    /// conversation service for the room's cluster; HTTP errors.
    pub async fn send(self) -> Result<MembershipReadStatus> {
        require("the message id", self.message_id.as_str())?;
        let message_uuid = self.message_id.uuid()?;
        let conversation = ConversationRef::resolve(&self.hydra, &self.room_id)?;
        let me = my_uuid(&self.hydra).await?;
        let body = Acknowledge {
            verb: "acknowledge",
            object_type: "activity",
            client_temp_id: uuid::Uuid::new_v4().to_string(),
            actor: Ref {
                object_type: "person",
                id: me.to_string(),
                url: None,
            },
            object: Ref {
                object_type: "activity",
                id: message_uuid.to_string(),
                url: None,
            },
            target: Ref {
                object_type: "conversation",
                id: conversation.uuid.to_string(),
                url: Some(conversation.url.to_string()),
            },
        };
        let url = join(&conversation.url, "activities")?;
        let req = Request::post(Target::Url(url))
            .query("personRefresh", "true")
            .json(&body)?;
        let activity: Activity = self.hydra.json(req).await?;
        let cluster = &conversation.cluster;
        let room_uuid = activity
            .target
            .id
            .clone()
            .unwrap_or_else(|| conversation.uuid.to_string());
        let (id, person_id, person_org_id) = member_ids(&activity.actor, &room_uuid, cluster)?;
        let seen = activity.object.id.as_deref().unwrap_or(&body.object.id);
        Ok(MembershipReadStatus {
            id,
            room_id: RoomId::encode(cluster, &room_uuid),
            person_id,
            person_email: activity.actor.email(),
            person_display_name: activity.actor.display_name.clone(),
            person_org_id,
            room_type: room_type(&activity.target.tags),
            last_seen_id: Some(MessageId::encode(cluster, seen)),
            last_seen_date: activity.published,
            is_moderator: None,
            is_monitor: false,
            is_room_hidden: false,
            created: activity.published,
        })
    }
}

request_future!(UpdateLastSeen => MembershipReadStatus);
