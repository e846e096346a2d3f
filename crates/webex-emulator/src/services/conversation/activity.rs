//! The renderer of `conversation.activity` events pushed to devices, in the shape
//! the JS SDK's `listen()` converters read (and other clients parse).
//!
//! Every activity is plaintext (no `encryptionKeyUrl`), so clients need no
//! KMS. Common fields: `objectType: "activity"`, `id`, `url` (under the
//! conversation service, whose host the catalog maps to the `us` cluster),
//! `published`, `verb`, `actor` (a person with `entryUUID`, `emailAddress`,
//! `displayName`, `orgId` and `type`, `PERSON` or `ROBOT`), `object` and,
//! for most verbs, `target` (the
//! conversation: `id`, `url`, `globalId` (the Hydra room id) and `tags`).
//!
//! | change | verb | `id` | `object` |
//! | --- | --- | --- | --- |
//! | message created | `post`, or `share` with files | the message uuid | `comment` (`displayName`, `content`, `mentions`) or `content` (with `files.items`); replies carry `parent {id, type: "reply", actorId, published}` |
//! | message deleted | `delete` | new | `{objectType: "activity", id: <message uuid>}` |
//! | room created | `create` | new (not the room's) | the conversation with `participants.items`; no `target` |
//! | room renamed (title, description, announcement mode) | `update` | new | `{objectType: "conversation", displayName}` |
//! | room locked, unlocked | `lock`, `unlock` | new | the conversation with its new `tags` and `creatorUUID` |
//! | member added, left or removed | `add`, `leave` | new | the person with `roomProperties.isModerator` |
//! | moderator made or unmade | `assignModerator`, `unassignModerator` | new | the person |
//! | room hidden | `hide` | new | the conversation; the actor is the member; no `target` |
//! | card submitted | `cardAction` | the attachment action uuid | `{objectType: "submit", inputs}`; `parent` is the card's message |
//! | read receipt | `acknowledge` | new | `{objectType: "activity", id: <message uuid>}` |
//!
//! Message edits, room deletions and unhiding push nothing: the JS SDK has
//! no converter for them and their real shapes are not known.

use std::time::SystemTime;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{person_json, tags};
use crate::bus::{Audience, Envelope, Event, EventKind, Payload, Renderer, RoomChange};
use crate::kit::clock;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::messages::Message;
use crate::world::rooms::{Room, RoomKind};

/// The Mercury event type of every activity.
const EVENT_TYPE: &str = "conversation.activity";

/// The envelope that pushes `activity` to the devices of `audience`.
pub(crate) fn envelope(audience: Vec<Uuid>, activity: Value) -> Envelope {
    Envelope {
        audience: Audience::People(audience),
        payload: Payload::Mercury {
            event_type: EVENT_TYPE,
            data: json!({"eventType": EVENT_TYPE, "activity": activity}),
        },
    }
}

/// The renderer of activities, subscribed to the bus.
pub(crate) struct Activities {
    /// The conversation service's base URL, which activities carry in
    /// their `url` fields.
    base: String,
}

impl Renderer<Data> for Activities {
    fn render(&self, data: &Data, event: &Event, out: &mut Vec<Envelope>) {
        let rendered = match *event {
            Event::Room {
                room,
                kind: EventKind::Created,
                actor,
            } => self.room_created(data, room, actor),
            Event::RoomSettings {
                room,
                change,
                actor,
                at,
            } => self.room_update(data, room, change, actor, at),
            Event::Membership {
                room,
                person,
                kind,
                actor,
                with_room: false,
                at,
            } => match kind {
                EventKind::Created => self.membership(data, room, person, "add", actor, at),
                EventKind::Deleted => self.membership(data, room, person, "leave", actor, at),
                EventKind::Updated => None,
            },
            Event::Moderator {
                room,
                person,
                moderator,
                actor,
                at,
            } => {
                let verb = if moderator {
                    "assignModerator"
                } else {
                    "unassignModerator"
                };
                self.membership(data, room, person, verb, actor, at)
            }
            Event::RoomHidden { room, person, at } => self.hide(data, room, person, at),
            Event::Message {
                message,
                kind,
                actor,
                at,
            } => self.message(data, message, kind, actor, at),
            Event::AttachmentAction { action } => self.card_action(data, action),
            Event::Room { .. }
            | Event::Membership { .. }
            | Event::Locus { .. }
            | Event::PairedDevice { .. } => None,
        };
        if let Some((audience, activity)) = rendered
            && !audience.is_empty()
        {
            out.push(envelope(audience, Value::Object(activity)));
        }
    }
}

/// Who gets an activity, and the activity.
type Rendered = Option<(Vec<Uuid>, Map<String, Value>)>;

impl Activities {
    /// A renderer for a conversation service at `base`.
    pub(crate) fn new(base: String) -> Self {
        Self { base }
    }

    /// A conversation as activities refer to it.
    fn conversation_ref(&self, data: &Data, room: &Room) -> Value {
        json!({
            "objectType": "conversation",
            "id": room.uuid.to_string(),
            "url": format!("{}/conversations/{}", self.base, room.uuid),
            "globalId": ids::uuid_id(HydraType::Room, room.uuid),
            "tags": tags(data, room, None),
        })
    }

    /// A member of a room: the person with `roomProperties`.
    fn member_json(data: &Data, room: Uuid, person: Uuid) -> Value {
        let mut json = person_json(data, person);
        let moderator = data
            .memberships
            .get(room, person)
            .is_some_and(|m| m.moderator);
        if let Some(fields) = json.as_object_mut() {
            fields.insert(
                "roomProperties".to_owned(),
                json!({ "isModerator": moderator }),
            );
        }
        json
    }

    /// A new activity.
    fn activity(
        &self,
        data: &Data,
        verb: &str,
        id: Uuid,
        published: SystemTime,
        actor: Uuid,
        object: Value,
    ) -> Map<String, Value> {
        let mut activity = Map::new();
        activity.insert("objectType".to_owned(), "activity".into());
        activity.insert("id".to_owned(), id.to_string().into());
        activity.insert(
            "url".to_owned(),
            format!("{}/activities/{id}", self.base).into(),
        );
        activity.insert(
            "published".to_owned(),
            clock::rfc3339_millis(published).into(),
        );
        activity.insert("verb".to_owned(), verb.into());
        activity.insert("actor".to_owned(), person_json(data, actor));
        activity.insert("object".to_owned(), object);
        activity
    }

    /// An activity with `target` set to the room, for its members.
    fn to_room(&self, data: &Data, room: &Room, mut activity: Map<String, Value>) -> Rendered {
        activity.insert("target".to_owned(), self.conversation_ref(data, room));
        let audience = data
            .memberships
            .of_room(room.uuid)
            .map(|m| m.person)
            .collect();
        Some((audience, activity))
    }

    /// `post`/`share` for a new message, `delete` for one about to be
    /// removed; edits push nothing.
    fn message(
        &self,
        data: &Data,
        uuid: Uuid,
        kind: EventKind,
        actor: Uuid,
        at: SystemTime,
    ) -> Rendered {
        let message = data.messages.get(uuid)?;
        let room = data.rooms.get(message.room)?;
        let mut activity = match kind {
            EventKind::Created => self.post_activity(data, message),
            EventKind::Deleted => self.activity(
                data,
                "delete",
                Uuid::new_v4(),
                at,
                actor,
                json!({"objectType": "activity", "id": uuid.to_string()}),
            ),
            EventKind::Updated => return None,
        };
        activity.insert("target".to_owned(), self.conversation_ref(data, room));
        Some((data.message_audience(message), activity))
    }

    /// The `post` (or `share`) activity of a message; its id is the
    /// message's, which the JS SDK turns into the Hydra id it then GETs.
    fn post_activity(&self, data: &Data, message: &Message) -> Map<String, Value> {
        let mut object = Map::new();
        let verb = if message.files.is_empty() {
            object.insert("objectType".to_owned(), "comment".into());
            "post"
        } else {
            object.insert("objectType".to_owned(), "content".into());
            object.insert("contentCategory".to_owned(), "documents".into());
            let files: Vec<Value> = message
                .files
                .iter()
                .map(|url| json!({"objectType": "file", "url": url}))
                .collect();
            object.insert("files".to_owned(), json!({ "items": files }));
            "share"
        };
        if let Some(text) = &message.text {
            object.insert("displayName".to_owned(), text.clone().into());
        }
        if let Some(html) = &message.html {
            object.insert("content".to_owned(), html.clone().into());
        }
        if !message.mentioned_people.is_empty() {
            let people: Vec<Value> = message
                .mentioned_people
                .iter()
                .map(|person| json!({"objectType": "person", "id": person.to_string()}))
                .collect();
            object.insert("mentions".to_owned(), json!({ "items": people }));
        }
        if !message.mentioned_groups.is_empty() {
            let groups: Vec<Value> = message
                .mentioned_groups
                .iter()
                .map(|group| json!({"objectType": "groupMention", "groupType": group}))
                .collect();
            object.insert("groupMentions".to_owned(), json!({ "items": groups }));
        }
        let mut activity = self.activity(
            data,
            verb,
            message.uuid,
            message.created.time,
            message.author,
            Value::Object(object),
        );
        if let Some(parent) = message.parent.and_then(|uuid| data.messages.get(uuid)) {
            activity.insert("parent".to_owned(), parent_ref(parent, "reply"));
        }
        activity
    }

    /// `add`, `leave`, `assignModerator` or `unassignModerator`, seen by the
    /// room's members (a leaving member still is one when this renders).
    fn membership(
        &self,
        data: &Data,
        room: Uuid,
        person: Uuid,
        verb: &str,
        actor: Uuid,
        at: SystemTime,
    ) -> Rendered {
        let room = data.rooms.get(room)?;
        let object = Self::member_json(data, room.uuid, person);
        let activity = self.activity(data, verb, Uuid::new_v4(), at, actor, object);
        self.to_room(data, room, activity)
    }

    /// `hide`, seen only by the member who hid the room.
    fn hide(&self, data: &Data, room: Uuid, person: Uuid, at: SystemTime) -> Rendered {
        let room = data.rooms.get(room)?;
        let object = self.conversation_ref(data, room);
        let activity = self.activity(data, "hide", Uuid::new_v4(), at, person, object);
        Some((vec![person], activity))
    }

    /// `create` for a new room, with its members as participants.
    fn room_created(&self, data: &Data, room: Uuid, actor: Uuid) -> Rendered {
        let room = data.rooms.get(room)?;
        let mut object = self.conversation_ref(data, room);
        let participants: Vec<Value> = data
            .memberships
            .of_room(room.uuid)
            .map(|m| Self::member_json(data, room.uuid, m.person))
            .collect();
        if let Some(fields) = object.as_object_mut() {
            if room.kind == RoomKind::Group {
                fields.insert("displayName".to_owned(), room.title.clone().into());
            }
            fields.insert("creatorUUID".to_owned(), room.creator.to_string().into());
            fields.insert(
                "published".to_owned(),
                clock::rfc3339_millis(room.created.time).into(),
            );
            fields.insert("participants".to_owned(), json!({ "items": participants }));
            fields.insert("activities".to_owned(), json!({"items": []}));
        }
        let activity = self.activity(
            data,
            "create",
            Uuid::new_v4(),
            room.created.time,
            actor,
            object,
        );
        let audience = data
            .memberships
            .of_room(room.uuid)
            .map(|m| m.person)
            .collect();
        Some((audience, activity))
    }

    /// `update`, `lock` or `unlock`, seen by the room's members.
    fn room_update(
        &self,
        data: &Data,
        room: Uuid,
        change: RoomChange,
        actor: Uuid,
        at: SystemTime,
    ) -> Rendered {
        let room = data.rooms.get(room)?;
        let (verb, object) = match change {
            RoomChange::Update => {
                let mut object = json!({"objectType": "conversation"});
                if let (RoomKind::Group, Some(fields)) = (room.kind, object.as_object_mut()) {
                    fields.insert("displayName".to_owned(), room.title.clone().into());
                }
                ("update", object)
            }
            RoomChange::Lock | RoomChange::Unlock => {
                let mut object = self.conversation_ref(data, room);
                if let Some(fields) = object.as_object_mut() {
                    fields.insert("creatorUUID".to_owned(), room.creator.to_string().into());
                }
                let verb = if change == RoomChange::Lock {
                    "lock"
                } else {
                    "unlock"
                };
                (verb, object)
            }
        };
        let activity = self.activity(data, verb, Uuid::new_v4(), at, actor, object);
        self.to_room(data, room, activity)
    }

    /// `cardAction` for a card submit, seen by those who see the card.
    fn card_action(&self, data: &Data, action: Uuid) -> Rendered {
        let action = data.attachment_actions.get(action)?;
        let message = data.messages.get(action.message)?;
        let room = data.rooms.get(message.room)?;
        let object = json!({"objectType": "submit", "inputs": action.inputs});
        let mut activity = self.activity(
            data,
            "cardAction",
            action.uuid,
            action.created.time,
            action.person,
            object,
        );
        activity.insert("parent".to_owned(), parent_ref(message, "cardAction"));
        activity.insert("target".to_owned(), self.conversation_ref(data, room));
        Some((data.message_audience(message), activity))
    }
}

/// `parent` of a reply or card action: the message it belongs to.
fn parent_ref(message: &Message, kind: &str) -> Value {
    json!({
        "id": message.uuid.to_string(),
        "type": kind,
        "actorId": message.author.to_string(),
        "published": clock::rfc3339_millis(message.created.time),
    })
}
