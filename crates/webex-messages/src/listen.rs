//! `listen()`: Mercury conversation activities as Hydra-style events
//! (`docs/protocol/conversation.md`, *Hydra-style events from activities*), converted the way
//! the JS SDK's plugins do.

use futures::StreamExt;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;
use webex_core::{Error, ErrorKind, Result};
use webex_mercury::{Activity, ActivityObject, MercuryEvent, MercuryExt};

use crate::Timestamp;
use crate::attachment_actions::AttachmentActionType;
use crate::client::Hydra;
use crate::id::{
    AttachmentActionId, Id, IdKind, MembershipId, MessageId, OrganizationId, PersonId, RoomId,
    US_CLUSTER,
};
use crate::messages::Message;
use crate::rooms::RoomType;

/// A stream of Hydra-style events from [`listen`](crate::messages::Messages::listen).
pub type EventStream<D> = BoxStream<'static, HydraEvent<D>>;

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
    /// `messages`, `rooms`, `memberships` or `attachmentActions`.
    pub resource: String,
    /// What happened.
    pub event: EventType,
    /// Who did it.
    pub actor_id: PersonId,
    /// The listening user.
    pub created_by: PersonId,
    /// The listening user's organisation.
    pub org_id: OrganizationId,
    /// Always `creator`.
    pub owned_by: String,
    /// Always `active`.
    pub status: String,
    /// When `listen()` was called.
    pub created: Timestamp,
    /// The resource, as the JS SDK's converter builds it.
    pub data: D,
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
    resource: &'static str,
    created_by: PersonId,
    org_id: OrganizationId,
    created: Timestamp,
}

impl Envelope {
    fn event<D>(&self, event: EventType, actor_id: PersonId, data: D) -> HydraEvent<D> {
        HydraEvent {
            resource: self.resource.to_owned(),
            event,
            actor_id,
            created_by: self.created_by.clone(),
            org_id: self.org_id.clone(),
            owned_by: "creator".to_owned(),
            status: "active".to_owned(),
            created: self.created,
            data,
        }
    }
}

/// Subscribes, connects Mercury and builds the envelope; then converts each activity with
/// `convert` (which may return several events). Conversion failures are logged and dropped.
pub(crate) async fn listen<D, F, Fut>(
    hydra: Hydra,
    resource: &'static str,
    convert: F,
) -> Result<EventStream<D>>
where
    D: Send + 'static,
    F: Fn(Hydra, Envelope, Activity) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<HydraEvent<D>>>> + Send + 'static,
{
    let webex = hydra.webex().clone();
    if webex.plugin::<webex_mercury::MercuryPlugin>().is_none() {
        return Err(Error::new(
            ErrorKind::MissingDependency,
            "listen() needs the `mercury` plugin (add webex_mercury::MercuryPlugin, and \
             webex_devices::DevicesPlugin)",
        ));
    }
    let events = webex.mercury().events();
    webex.mercury().connect().await?;
    let me = crate::people::cached_me(&hydra).await?;
    let envelope = Envelope {
        resource,
        created_by: me.id.clone(),
        org_id: me.org_id.clone(),
        created: Timestamp::now(),
    };
    let convert = std::sync::Arc::new(convert);
    let stream = events
        .filter_map(move |event| {
            let (hydra, envelope, convert) = (hydra.clone(), envelope.clone(), convert.clone());
            async move {
                let event = match event {
                    Ok(MercuryEvent::Activity(event)) => event,
                    Ok(_) => return None,
                    Err(err) => {
                        webex_core::log_warn!(hydra.webex().logger(), "{resource} events: {err}");
                        return None;
                    }
                };
                match convert(hydra.clone(), envelope, event.activity).await {
                    Ok(events) => Some(futures::stream::iter(events)),
                    Err(err) => {
                        webex_core::log_warn!(
                            hydra.webex().logger(),
                            "{resource} event dropped: {err}"
                        );
                        None
                    }
                }
            }
        })
        .flatten()
        .boxed();
    Ok(stream)
}

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

fn missing(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("activity without {what}"),
    )
}

/// The Hydra cluster of a conversation-service URL.
fn cluster(hydra: &Hydra, url: Option<&str>) -> Result<String> {
    let url = url.ok_or_else(|| missing("a URL"))?;
    let url = Url::parse(url).map_err(|_| missing("a valid URL"))?;
    crate::conversation::hydra_cluster(hydra, &url)
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

/// messages: `post`/`share` → created (fetched from Hydra), `delete` → deleted.
pub(crate) async fn message_event(
    hydra: Hydra,
    envelope: Envelope,
    activity: Activity,
) -> Result<Vec<HydraEvent<MessageEventData>>> {
    let target = part(activity.target.as_ref(), "a target")?;
    let c = cluster(&hydra, target.url.as_deref())?;
    match activity.verb.as_str() {
        "post" | "share" => {
            let message_id: MessageId = id(&c, &activity.id);
            let message: Message =
                crate::messages::GetMessage::new(hydra.clone(), message_id.clone())
                    .send()
                    .await?;
            let actor = message.person_id.clone();
            Ok(vec![envelope.event(
                EventType::Created,
                actor,
                MessageEventData::Created(Box::new(message)),
            )])
        }
        "delete" => {
            let actor = part(activity.actor.as_ref(), "an actor")?;
            let object = part(activity.object.as_ref(), "an object")?;
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
            Ok(vec![envelope.event(
                EventType::Deleted,
                person_id,
                MessageEventData::Deleted(data),
            )])
        }
        _ => Ok(Vec::new()),
    }
}

/// rooms: `create` → created, `update`/`lock`/`unlock` → updated.
pub(crate) async fn room_event(
    hydra: Hydra,
    envelope: Envelope,
    activity: Activity,
) -> Result<Vec<HydraEvent<RoomEventData>>> {
    let event = match activity.verb.as_str() {
        "create" => EventType::Created,
        "update" | "lock" | "unlock" => EventType::Updated,
        _ => return Ok(Vec::new()),
    };
    let c = cluster(&hydra, activity.url.as_deref())?;
    let actor = person(part(activity.actor.as_ref(), "an actor")?)?;
    let object = activity.object.clone().unwrap_or_default();
    let target = activity.target.clone().unwrap_or_default();
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
    Ok(vec![envelope.event(event, actor, data)])
}

/// memberships: `create` (one per participant), `add` → created, `leave` → deleted,
/// `assignModerator`/`unassignModerator`/`hide` → updated, `acknowledge` → seen.
pub(crate) async fn membership_event(
    hydra: Hydra,
    envelope: Envelope,
    activity: Activity,
) -> Result<Vec<HydraEvent<MembershipEventData>>> {
    let verb = activity.verb.as_str();
    let event = match verb {
        "create" | "add" => EventType::Created,
        "leave" => EventType::Deleted,
        "assignModerator" | "unassignModerator" | "hide" => EventType::Updated,
        "acknowledge" => EventType::Seen,
        _ => return Ok(Vec::new()),
    };
    let actor = part(activity.actor.as_ref(), "an actor")?;
    let actor_id = person(actor)?;
    let object = activity.object.clone().unwrap_or_default();
    let target = activity.target.clone().unwrap_or_default();
    let (members, room): (Vec<ActivityObject>, &ActivityObject) = match verb {
        "create" => {
            let participants = object
                .extra
                .get("participants")
                .and_then(|p| p.get("items"))
                .cloned()
                .unwrap_or(Value::Array(Vec::new()));
            let members =
                serde_json::from_value(participants).map_err(|_| missing("valid participants"))?;
            (members, &object)
        }
        "hide" => (vec![actor.clone()], &object),
        "acknowledge" => (vec![actor.clone()], &target),
        _ => (vec![object.clone()], &target),
    };
    let c = if verb == "hide" || verb == "create" && room.url.is_none() {
        cluster(&hydra, activity.url.as_deref())?
    } else {
        cluster(&hydra, room.url.as_deref().or(activity.url.as_deref()))?
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
        events.push(envelope.event(event, actor_id.clone(), data));
    }
    Ok(events)
}

/// attachmentActions: `cardAction` → created.
pub(crate) async fn attachment_action_event(
    hydra: Hydra,
    envelope: Envelope,
    activity: Activity,
) -> Result<Vec<HydraEvent<AttachmentActionEventData>>> {
    if activity.verb != "cardAction" {
        return Ok(Vec::new());
    }
    let target = part(activity.target.as_ref(), "a target")?;
    let c = cluster(&hydra, target.url.as_deref())?;
    let actor = person(part(activity.actor.as_ref(), "an actor")?)?;
    let object = activity.object.clone().unwrap_or_default();
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
    Ok(vec![envelope.event(EventType::Created, actor, data)])
}
