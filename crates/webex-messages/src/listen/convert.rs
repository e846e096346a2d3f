//! Conversation activities → Hydra-style events, per resource, the way the JS SDK's plugins
//! convert them (`docs/protocol/conversation.md`, *Hydra-style events from activities*).
//! Only `messages` needs a request (the created message is fetched from Hydra); it is
//! handed back as a future so the stream can run several at once.

use futures::FutureExt;
use serde_json::Value;
use webex_core::{Error, ErrorKind, Result};
use webex_mercury::{Activity, ActivityObject};

use super::backfill::{self, Backfill};
use super::clusters::Clusters;
use super::event::{
    AttachmentActionEventData, DeletedMessage, Envelope, EventType, HydraEvent,
    MembershipEventData, MessageEventData, RoomEventData,
};
use super::fetch::MessageFetches;
use super::resource::{Converted, Item, Resource};
use crate::Timestamp;
use crate::attachment_actions::AttachmentActionType;
use crate::id::{Id, IdKind, MessageId, PersonId, US_CLUSTER};
use crate::messages::Message;
use crate::rooms::RoomType;

/// The activity's `published`, typed.
fn published(activity: &Activity) -> Result<Option<Timestamp>> {
    activity
        .published
        .as_deref()
        .map(|text| {
            text.parse()
                .map_err(|_| missing("a valid `published` time"))
        })
        .transpose()
}

/// An activity that lacks `what` the conversion needs.
pub(super) fn missing(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("activity without {what}"),
    )
}

fn id<K: IdKind>(cluster: &str, inner: &str) -> Id<K> {
    Id::encode(cluster, inner)
}

fn person(object: &ActivityObject) -> Result<PersonId> {
    object
        .entry_uuid
        .as_deref()
        .or(object.id.as_deref())
        .map(|uuid| id(US_CLUSTER, uuid))
        .ok_or_else(|| missing("a person uuid"))
}

fn part<'a>(object: Option<&'a ActivityObject>, what: &str) -> Result<&'a ActivityObject> {
    object.ok_or_else(|| missing(what))
}

fn room_type(object: &ActivityObject) -> RoomType {
    if object.has_tag("ONE_ON_ONE") {
        RoomType::Direct
    } else {
        RoomType::Group
    }
}

/// `messages`: `post`/`share` → created (fetched from Hydra), `delete` → deleted; backfilled
/// after reconnects, de-duplicated by message id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MessageEvents;

impl Resource for MessageEvents {
    type Data = MessageEventData;
    const NAME: &'static str = "messages";

    fn convert(
        &self,
        clusters: &Clusters,
        envelope: &Envelope,
        activity: Activity,
        fetches: &mut MessageFetches,
    ) -> Result<Vec<Converted<MessageEventData>>> {
        if !matches!(activity.verb.as_str(), "post" | "share" | "delete") {
            return Ok(Vec::new());
        }
        let target = part(activity.target.as_deref(), "a target")?;
        let c = clusters.of(target.url.as_deref())?;
        match activity.verb.as_str() {
            "post" | "share" => {
                let message_id: MessageId = id(&c, &activity.id);
                // Without a room or a time it cannot be listed, only fetched on its own.
                let get = fetches.want(
                    message_id,
                    &activity.id,
                    target.id.as_deref().map(|room| id(&c, room)),
                    room_type(target) == RoomType::Group,
                    published(&activity).ok().flatten(),
                );
                let envelope = envelope.clone();
                let fetch = async move {
                    let message: Message = get.await?;
                    let actor = message.person_id.clone();
                    Ok(envelope.into_event(
                        EventType::Created,
                        actor,
                        MessageEventData::Created(Box::new(message)),
                    ))
                };
                Ok(vec![Converted::Fetch(fetch.boxed())])
            }
            "delete" => {
                let actor = part(activity.actor.as_deref(), "an actor")?;
                let object = part(activity.object.as_deref(), "an object")?;
                let person_id = person(actor)?;
                let data = DeletedMessage {
                    id: id(
                        &c,
                        object.id.as_deref().ok_or_else(|| missing("object.id"))?,
                    ),
                    person_id: person_id.clone(),
                    person_email: actor
                        .email_address
                        .clone()
                        .or_else(|| actor.entry_uuid.clone())
                        .unwrap_or_default(),
                    room_id: id(
                        &c,
                        target.id.as_deref().ok_or_else(|| missing("target.id"))?,
                    ),
                    room_type: room_type(target),
                };
                Ok(vec![Converted::Ready(envelope.event(
                    EventType::Deleted,
                    person_id,
                    MessageEventData::Deleted(data),
                ))])
            }
            _ => Ok(Vec::new()),
        }
    }

    fn backfill(
        &self,
        request: Backfill,
    ) -> Option<futures::future::BoxFuture<'static, Vec<Item<MessageEventData>>>> {
        Some(backfill::messages(request).boxed())
    }

    fn dedup_key(event: &HydraEvent<MessageEventData>) -> Option<&str> {
        match &event.data {
            MessageEventData::Created(message) => Some(message.id.as_str()),
            MessageEventData::Deleted(_) => None,
        }
    }
}

/// rooms: `create` → created, `update`/`lock`/`unlock` → updated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoomEvents;

impl Resource for RoomEvents {
    type Data = RoomEventData;
    const NAME: &'static str = "rooms";

    fn convert(
        &self,
        clusters: &Clusters,
        envelope: &Envelope,
        mut activity: Activity,
        _fetches: &mut MessageFetches,
    ) -> Result<Vec<Converted<RoomEventData>>> {
        let event = match activity.verb.as_str() {
            "create" => EventType::Created,
            "update" | "lock" | "unlock" => EventType::Updated,
            _ => return Ok(Vec::new()),
        };
        let c = clusters.of(activity.url.as_deref())?;
        let actor = person(part(activity.actor.as_deref(), "an actor")?)?;
        let object = activity.object.take().map(|part| *part).unwrap_or_default();
        let target = activity.target.take().map(|part| *part).unwrap_or_default();
        let room_uuid = match activity.verb.as_str() {
            "create" => object.id.as_deref().or(target.id.as_deref()),
            _ => target.id.as_deref().or(object.id.as_deref()),
        }
        .ok_or_else(|| missing("a room id"))?;
        // `update` reads the target's tags; the others the object's.
        let tags = if activity.verb == "update" {
            &target
        } else {
            &object
        };
        let creator_id = match activity.verb.as_str() {
            "create" => Some(actor.clone()),
            "lock" | "unlock" => object
                .extra
                .get("creatorUUID")
                .and_then(Value::as_str)
                .map(|uuid| id(US_CLUSTER, uuid)),
            _ => None,
        };
        let data = RoomEventData {
            id: id(&c, room_uuid),
            created: published(&activity)?,
            creator_id,
            last_activity: if event == EventType::Created {
                published(&activity)?
            } else {
                None
            },
            room_type: room_type(tags),
            is_locked: tags.has_tag("LOCKED"),
        };
        Ok(vec![Converted::Ready(envelope.event(event, actor, data))])
    }
}

/// memberships: `create` (one per participant), `add` → created, `leave` → deleted,
/// `assignModerator`/`unassignModerator`/`hide` → updated, `acknowledge` → seen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MembershipEvents;

impl Resource for MembershipEvents {
    type Data = MembershipEventData;
    const NAME: &'static str = "memberships";

    fn convert(
        &self,
        clusters: &Clusters,
        envelope: &Envelope,
        mut activity: Activity,
        _fetches: &mut MessageFetches,
    ) -> Result<Vec<Converted<MembershipEventData>>> {
        let verb = activity.verb.as_str();
        let event = match verb {
            "create" | "add" => EventType::Created,
            "leave" => EventType::Deleted,
            "assignModerator" | "unassignModerator" | "hide" => EventType::Updated,
            "acknowledge" => EventType::Seen,
            _ => return Ok(Vec::new()),
        };
        let actor = part(activity.actor.as_deref(), "an actor")?;
        let actor_id = person(actor)?;
        let object = activity.object.take().map(|part| *part).unwrap_or_default();
        let target = activity.target.take().map(|part| *part).unwrap_or_default();
        let (members, room): (Vec<ActivityObject>, &ActivityObject) = match verb {
            "create" => {
                let participants = object
                    .extra
                    .get("participants")
                    .and_then(|p| p.get("items"))
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new()));
                let members = serde_json::from_value(participants)
                    .map_err(|_| missing("valid participants"))?;
                (members, &object)
            }
            "hide" => (vec![actor.clone()], &object),
            "acknowledge" => (vec![actor.clone()], &target),
            _ => (vec![object.clone()], &target),
        };
        let c = if verb == "hide" || verb == "create" && room.url.is_none() {
            clusters.of(activity.url.as_deref())?
        } else {
            clusters.of(room.url.as_deref().or(activity.url.as_deref()))?
        };
        let room_uuid = room.id.as_deref().ok_or_else(|| missing("a room id"))?;
        let mut events = Vec::new();
        for member in &members {
            let uuid = member
                .entry_uuid
                .as_deref()
                .or(member.id.as_deref())
                .ok_or_else(|| missing("a member uuid"))?;
            let data = MembershipEventData {
                id: id(&c, &format!("{uuid}:{room_uuid}")),
                person_id: id(US_CLUSTER, uuid),
                person_email: member
                    .email_address
                    .clone()
                    .or_else(|| member.entry_email.clone()),
                person_display_name: member.display_name.clone(),
                person_org_id: member.org_id.as_deref().map(|org| id(US_CLUSTER, org)),
                room_id: id(&c, room_uuid),
                room_type: if verb == "hide" {
                    RoomType::Direct
                } else {
                    room_type(room)
                },
                is_room_hidden: verb == "hide",
                is_moderator: (verb != "acknowledge").then(|| {
                    object
                        .extra
                        .get("roomProperties")
                        .or_else(|| member.extra.get("roomProperties"))
                        .and_then(|p| p.get("isModerator"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                }),
                created: published(&activity)?,
                last_seen_id: (verb == "acknowledge")
                    .then(|| object.id.as_deref().map(|m| id(&c, m)))
                    .flatten(),
            };
            events.push(Converted::Ready(envelope.event(
                event,
                actor_id.clone(),
                data,
            )));
        }
        Ok(events)
    }
}

/// attachmentActions: `cardAction` → created.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AttachmentActionEvents;

impl Resource for AttachmentActionEvents {
    type Data = AttachmentActionEventData;
    const NAME: &'static str = "attachmentActions";

    fn convert(
        &self,
        clusters: &Clusters,
        envelope: &Envelope,
        mut activity: Activity,
        _fetches: &mut MessageFetches,
    ) -> Result<Vec<Converted<AttachmentActionEventData>>> {
        if activity.verb != "cardAction" {
            return Ok(Vec::new());
        }
        let target = part(activity.target.as_deref(), "a target")?;
        let c = clusters.of(target.url.as_deref())?;
        let actor = person(part(activity.actor.as_deref(), "an actor")?)?;
        let object = activity.object.take().map(|part| *part).unwrap_or_default();
        let data = AttachmentActionEventData {
            id: id(&c, &activity.id),
            message_id: activity
                .parent
                .as_ref()
                .and_then(|p| p.id.as_deref())
                .map(|m| id(&c, m)),
            room_id: id(
                &c,
                target.id.as_deref().ok_or_else(|| missing("target.id"))?,
            ),
            person_id: actor.clone(),
            action_type: object
                .object_type
                .as_deref()
                .map(AttachmentActionType::from),
            inputs: object.extra.get("inputs").cloned().unwrap_or(Value::Null),
            created: published(&activity)?,
        };
        Ok(vec![Converted::Ready(envelope.event(
            EventType::Created,
            actor,
            data,
        ))])
    }
}
