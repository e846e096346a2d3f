//! The `conversation.activity` activities pushed to devices, in the shape
//! the JS SDK's `listen()` converters read (and other clients parse).
//!
//! Every activity is plaintext (no `encryptionKeyUrl`), so clients need no
//! KMS. Common fields: `objectType: "activity"`, `id`, `url` (under the
//! conversation service, whose host the catalog maps to the `us` cluster),
//! `published`, `verb`, `actor` (a person with `entryUUID`, `emailAddress`,
//! `displayName`, `orgId`), `object` and, for most verbs, `target` (the
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

use crate::conversation::{person_json, tags};
use crate::events::{EventKind, Push};
use crate::kit::clock;
use crate::kit::ids::{self, HydraType};
use crate::messages::Message;
use crate::rooms::{Room, RoomKind};
use crate::state::Data;

/// How a room changed, for [`Data::push_room_update`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoomChange {
    /// Title, description or announcement mode.
    Update,
    /// Now locked.
    Lock,
    /// Now unlocked.
    Unlock,
}

/// A membership change, for [`Data::push_membership`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemberChange {
    /// Added to the room.
    Add,
    /// Left or was removed.
    Leave,
    /// Made a moderator.
    AssignModerator,
    /// No longer a moderator.
    UnassignModerator,
}

impl MemberChange {
    fn verb(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Leave => "leave",
            Self::AssignModerator => "assignModerator",
            Self::UnassignModerator => "unassignModerator",
        }
    }
}

impl Data {
    /// A conversation as activities refer to it.
    fn conversation_ref(&self, room: &Room) -> Value {
        json!({
            "objectType": "conversation",
            "id": room.uuid.to_string(),
            "url": format!("{}/conversations/{}", self.conversation_url, room.uuid),
            "globalId": ids::uuid_id(HydraType::Room, room.uuid),
            "tags": tags(self, room, None),
        })
    }

    /// A member of a room: the person with `roomProperties`.
    fn member_json(&self, room: Uuid, person: Uuid) -> Value {
        let mut json = person_json(self, person);
        let moderator = self
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
            format!("{}/activities/{id}", self.conversation_url).into(),
        );
        activity.insert(
            "published".to_owned(),
            clock::rfc3339_millis(published).into(),
        );
        activity.insert("verb".to_owned(), verb.into());
        activity.insert("actor".to_owned(), person_json(self, actor));
        activity.insert("object".to_owned(), object);
        activity
    }

    /// Records an activity for the devices of `audience`.
    pub(crate) fn push_activity(&mut self, audience: Vec<Uuid>, activity: Value) {
        if !audience.is_empty() {
            self.pushes.push(Push { audience, activity });
        }
    }

    /// Records an activity with `target` set to the room, for its members.
    fn push_to_room(&mut self, room: &Room, mut activity: Map<String, Value>) {
        activity.insert("target".to_owned(), self.conversation_ref(room));
        let audience = self
            .memberships
            .of_room(room.uuid)
            .map(|m| m.person)
            .collect();
        self.push_activity(audience, Value::Object(activity));
    }

    /// The people who may see `message`.
    fn message_audience(&self, message: &Message) -> Vec<Uuid> {
        self.memberships
            .of_room(message.room)
            .filter(|m| self.can_see_message(message, m.person))
            .map(|m| m.person)
            .collect()
    }

    /// `post`/`share` for a new message, `delete` for one about to be
    /// removed (call it while the message is still stored); edits push
    /// nothing.
    pub(crate) fn push_message(&mut self, uuid: Uuid, event: EventKind, actor: Uuid) {
        let Some(message) = self.messages.get(uuid).cloned() else {
            return;
        };
        let Some(room) = self.rooms.get(message.room).cloned() else {
            return;
        };
        let mut activity = match event {
            EventKind::Created => self.post_activity(&message),
            EventKind::Deleted => {
                let published = self.clock_now();
                self.activity(
                    "delete",
                    Uuid::new_v4(),
                    published,
                    actor,
                    json!({"objectType": "activity", "id": uuid.to_string()}),
                )
            }
            EventKind::Updated => return,
        };
        activity.insert("target".to_owned(), self.conversation_ref(&room));
        let audience = self.message_audience(&message);
        self.push_activity(audience, Value::Object(activity));
    }

    /// The `post` (or `share`) activity of a message; its id is the
    /// message's, which the JS SDK turns into the Hydra id it then GETs.
    fn post_activity(&self, message: &Message) -> Map<String, Value> {
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
            verb,
            message.uuid,
            message.created.time,
            message.author,
            Value::Object(object),
        );
        if let Some(parent) = message.parent.and_then(|uuid| self.messages.get(uuid)) {
            activity.insert("parent".to_owned(), parent_ref(parent, "reply"));
        }
        activity
    }

    /// `add`, `leave`, `assignModerator` or `unassignModerator`, seen by the
    /// room's members (for `leave`, call it while the membership exists, so
    /// the leaving member gets it too).
    pub(crate) fn push_membership(
        &mut self,
        room: Uuid,
        person: Uuid,
        change: MemberChange,
        actor: Uuid,
    ) {
        let Some(room) = self.rooms.get(room).cloned() else {
            return;
        };
        let published = self.clock_now();
        let object = self.member_json(room.uuid, person);
        let activity = self.activity(change.verb(), Uuid::new_v4(), published, actor, object);
        self.push_to_room(&room, activity);
    }

    /// `hide`, seen only by the member who hid the room.
    pub(crate) fn push_hide(&mut self, room: Uuid, person: Uuid) {
        let Some(room) = self.rooms.get(room) else {
            return;
        };
        let object = self.conversation_ref(room);
        let published = self.clock_now();
        let activity = self.activity("hide", Uuid::new_v4(), published, person, object);
        self.push_activity(vec![person], Value::Object(activity));
    }

    /// `create` for a new room, with its members as participants.
    pub(crate) fn push_room_created(&mut self, room: Uuid, actor: Uuid) {
        let Some(room) = self.rooms.get(room).cloned() else {
            return;
        };
        let mut object = self.conversation_ref(&room);
        let participants: Vec<Value> = self
            .memberships
            .of_room(room.uuid)
            .map(|m| self.member_json(room.uuid, m.person))
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
        let activity = self.activity("create", Uuid::new_v4(), room.created.time, actor, object);
        let audience = self
            .memberships
            .of_room(room.uuid)
            .map(|m| m.person)
            .collect();
        self.push_activity(audience, Value::Object(activity));
    }

    /// `update`, `lock` or `unlock`, seen by the room's members.
    pub(crate) fn push_room_update(&mut self, room: Uuid, change: RoomChange, actor: Uuid) {
        let Some(room) = self.rooms.get(room).cloned() else {
            return;
        };
        let published = self.clock_now();
        let (verb, object) = match change {
            RoomChange::Update => {
                let mut object = json!({"objectType": "conversation"});
                if let (RoomKind::Group, Some(fields)) = (room.kind, object.as_object_mut()) {
                    fields.insert("displayName".to_owned(), room.title.clone().into());
                }
                ("update", object)
            }
            RoomChange::Lock | RoomChange::Unlock => {
                let mut object = self.conversation_ref(&room);
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
        let activity = self.activity(verb, Uuid::new_v4(), published, actor, object);
        self.push_to_room(&room, activity);
    }

    /// `cardAction` for a card submit, seen by those who see the card.
    pub(crate) fn push_card_action(
        &mut self,
        action: Uuid,
        message: Uuid,
        actor: Uuid,
        inputs: &Map<String, Value>,
        published: SystemTime,
    ) {
        let Some(message) = self.messages.get(message) else {
            return;
        };
        let Some(room) = self.rooms.get(message.room) else {
            return;
        };
        let object = json!({"objectType": "submit", "inputs": inputs});
        let mut activity = self.activity("cardAction", action, published, actor, object);
        activity.insert("parent".to_owned(), parent_ref(message, "cardAction"));
        activity.insert("target".to_owned(), self.conversation_ref(room));
        let audience = self.message_audience(message);
        self.push_activity(audience, Value::Object(activity));
    }

    /// The people who may see `message` in the room it belongs to, for read
    /// receipts.
    pub(crate) fn audience_of_message(&self, message: Uuid) -> Vec<Uuid> {
        self.messages
            .get(message)
            .map(|message| self.message_audience(message))
            .unwrap_or_default()
    }

    /// A fresh time for an activity that is not a stored object's.
    fn clock_now(&mut self) -> SystemTime {
        self.tick().time
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
