//! Messages: the store, visibility, the Hydra JSON and the `messages`
//! routes.
//!
//! Visibility, as on Webex: room members see a room's messages, except that
//! a bot in a group room sees only the messages that mention it (and its
//! own); listing a group room's messages as a bot needs
//! `mentionedPeople=me`.

mod create;
mod handlers;
mod list;
mod markup;
mod multipart;

use std::collections::HashMap;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::contents::ContentStore;
use crate::events::{Change, EventKind, Resource};
use crate::kit::clock::{self, Stamp};
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::people::PersonType;
use crate::rooms::RoomKind;
use crate::state::Data;

pub(crate) use handlers::routes;

/// A stored message.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) uuid: Uuid,
    pub(crate) room: Uuid,
    pub(crate) parent: Option<Uuid>,
    pub(crate) author: Uuid,
    /// The recipient, when the message was sent with `toPersonId` or
    /// `toPersonEmail`.
    pub(crate) to_person: Option<Uuid>,
    pub(crate) text: Option<String>,
    pub(crate) markdown: Option<String>,
    pub(crate) html: Option<String>,
    /// File URLs: content URLs of uploads, or the URLs the sender gave.
    pub(crate) files: Vec<String>,
    pub(crate) attachments: Vec<Value>,
    pub(crate) mentioned_people: Vec<Uuid>,
    pub(crate) mentioned_groups: Vec<String>,
    pub(crate) created: Stamp,
    pub(crate) updated: Option<Stamp>,
}

/// Messages by id and per room, and the sequence numbers of deleted ones
/// (so a `beforeMessage` cursor stays valid when its message is deleted).
#[derive(Default)]
pub(crate) struct MessageStore {
    by_id: HashMap<Uuid, Message>,
    by_room: HashMap<Uuid, Vec<Uuid>>,
    deleted: HashMap<Uuid, u64>,
}

impl MessageStore {
    /// The message with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Message> {
        self.by_id.get(&uuid)
    }

    /// The message with this uuid, to change it.
    pub(crate) fn get_mut(&mut self, uuid: Uuid) -> Option<&mut Message> {
        self.by_id.get_mut(&uuid)
    }

    /// The sequence number of a message, deleted or not.
    pub(crate) fn seq_of(&self, uuid: Uuid) -> Option<u64> {
        self.by_id
            .get(&uuid)
            .map(|m| m.created.seq)
            .or_else(|| self.deleted.get(&uuid).copied())
    }

    /// A room's messages, oldest first.
    pub(crate) fn of_room(&self, room: Uuid) -> impl DoubleEndedIterator<Item = &Message> {
        self.by_room
            .get(&room)
            .into_iter()
            .flatten()
            .filter_map(|uuid| self.by_id.get(uuid))
    }

    fn insert(&mut self, message: Message) {
        self.by_room
            .entry(message.room)
            .or_default()
            .push(message.uuid);
        self.by_id.insert(message.uuid, message);
    }

    /// Removes a message and its files.
    pub(crate) fn remove(&mut self, uuid: Uuid, contents: &mut ContentStore) -> Option<Message> {
        let message = self.by_id.remove(&uuid)?;
        if let Some(list) = self.by_room.get_mut(&message.room) {
            list.retain(|id| *id != uuid);
        }
        self.deleted.insert(uuid, message.created.seq);
        contents.remove_message(uuid);
        Some(message)
    }

    /// Removes every message of a room.
    pub(crate) fn remove_room(&mut self, room: Uuid, contents: &mut ContentStore) {
        for uuid in self.by_room.remove(&room).unwrap_or_default() {
            if let Some(message) = self.by_id.remove(&uuid) {
                self.deleted.insert(uuid, message.created.seq);
            }
            contents.remove_message(uuid);
        }
    }
}

/// Parses a message id: 400 when it is not one.
pub(crate) fn parse_id(id: &str, field: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(id, HydraType::Message)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid {field} '{id}'.")))
}

/// The message for unknown (and hidden) messages.
pub(crate) fn not_found() -> ApiError {
    ApiError::not_found("Could not find a message with the provided ID.")
}

impl Data {
    /// Whether `person` is a bot.
    pub(crate) fn is_bot(&self, person: Uuid) -> bool {
        self.people
            .get(person)
            .is_some_and(|p| p.kind == PersonType::Bot)
    }

    /// Whether `viewer` may see `message`: room members, except bots in
    /// group rooms, who see only their own messages and those mentioning
    /// them.
    pub(crate) fn can_see_message(&self, message: &Message, viewer: Uuid) -> bool {
        if !self.is_member(message.room, viewer) {
            return false;
        }
        let group = self
            .rooms
            .get(message.room)
            .is_some_and(|room| room.kind == RoomKind::Group);
        !(group && self.is_bot(viewer))
            || message.author == viewer
            || message.mentioned_people.contains(&viewer)
    }

    /// The message, if `viewer` may see it: 404 for unknown (or, for bots,
    /// hidden) messages, 403 for a room the viewer is not in.
    pub(crate) fn visible_message(&self, uuid: Uuid, viewer: Uuid) -> Result<&Message, ApiError> {
        let message = self.messages.get(uuid).ok_or_else(not_found)?;
        self.member_room(message.room, viewer)?;
        if self.can_see_message(message, viewer) {
            Ok(message)
        } else {
            Err(not_found())
        }
    }

    /// The Hydra JSON of a message; `with_text` false gives the webhook
    /// form (no text, markdown, html or attachments).
    pub(crate) fn message_json(&self, message: &Message, with_text: bool) -> Value {
        let author = self.people.get(message.author);
        let room_type = self
            .rooms
            .get(message.room)
            .map_or(RoomKind::Group, |room| room.kind);
        let mut json = serde_json::Map::new();
        let mut put = |key: &str, value: Value| {
            json.insert(key.to_owned(), value);
        };
        put("id", ids::uuid_id(HydraType::Message, message.uuid).into());
        if let Some(parent) = message.parent {
            put("parentId", ids::uuid_id(HydraType::Message, parent).into());
        }
        put("roomId", ids::uuid_id(HydraType::Room, message.room).into());
        put("roomType", room_type.as_str().into());
        if let Some(to) = message.to_person {
            put("toPersonId", ids::person_id(to).into());
            if let Some(person) = self.people.get(to) {
                put("toPersonEmail", person.email.clone().into());
            }
        }
        if with_text {
            if let Some(text) = &message.text {
                put("text", text.clone().into());
            }
            if let Some(markdown) = &message.markdown {
                put("markdown", markdown.clone().into());
            }
            if let Some(html) = &message.html {
                put("html", html.clone().into());
            }
        }
        if !message.files.is_empty() {
            put("files", json!(message.files));
        }
        put("personId", ids::person_id(message.author).into());
        put(
            "personEmail",
            author.map(|p| p.email.clone()).unwrap_or_default().into(),
        );
        if !message.mentioned_people.is_empty() {
            let people: Vec<String> = message
                .mentioned_people
                .iter()
                .map(|uuid| ids::person_id(*uuid))
                .collect();
            put("mentionedPeople", json!(people));
        }
        if !message.mentioned_groups.is_empty() {
            put("mentionedGroups", json!(message.mentioned_groups));
        }
        if with_text && !message.attachments.is_empty() {
            put("attachments", Value::Array(message.attachments.clone()));
        }
        put(
            "created",
            clock::rfc3339_millis(message.created.time).into(),
        );
        if let Some(updated) = message.updated {
            put("updated", clock::rfc3339_millis(updated.time).into());
        }
        Value::Object(json)
    }

    /// Records a message event for the room members who may see it, for
    /// webhooks and Mercury. Call it while the message is still stored.
    pub(crate) fn emit_message(&mut self, uuid: Uuid, event: EventKind, actor: Uuid) {
        let Some(message) = self.messages.get(uuid) else {
            return;
        };
        let json = self.message_json(message, false);
        let audience = self
            .memberships
            .of_room(message.room)
            .filter(|m| self.can_see_message(message, m.person))
            .map(|m| (m.person, json.clone()))
            .collect();
        self.outbox.push(Change {
            resource: Resource::Messages,
            event,
            actor,
            audience,
        });
        self.push_message(uuid, event, actor);
    }
}
