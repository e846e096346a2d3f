//! Messages: the store, visibility and posting.
//!
//! Visibility, as on Webex: room members see a room's messages, except that
//! a bot in a group room sees only the messages that mention it (and its
//! own); listing a group room's messages as a bot needs
//! `mentionedPeople=me`.

pub(crate) mod markup;
pub(crate) mod post;

use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use super::Data;
use super::contents::ContentStore;
use super::people::PersonType;
use super::rooms::RoomKind;
use crate::bus::{Event, EventKind};
use crate::kit::clock::Stamp;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};

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

    /// Adds a message at the end of its room (its files and the room's
    /// `lastActivity` are the caller's).
    pub(crate) fn insert(&mut self, message: Message) {
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

    /// The people who may see `message`.
    pub(crate) fn message_audience(&self, message: &Message) -> Vec<Uuid> {
        self.memberships
            .of_room(message.room)
            .filter(|m| self.can_see_message(message, m.person))
            .map(|m| m.person)
            .collect()
    }

    /// The people who may see the message `message`, if it exists.
    pub(crate) fn audience_of_message(&self, message: Uuid) -> Vec<Uuid> {
        self.messages
            .get(message)
            .map(|message| self.message_audience(message))
            .unwrap_or_default()
    }

    /// Publishes a message event. Call it while the message is still
    /// stored.
    pub(crate) fn emit_message(&mut self, uuid: Uuid, kind: EventKind, actor: Uuid) {
        let Some(created) = self.messages.get(uuid).map(|m| m.created.time) else {
            return;
        };
        let at = match kind {
            EventKind::Created => created,
            EventKind::Updated | EventKind::Deleted => self.tick().time,
        };
        self.publish(Event::Message {
            message: uuid,
            kind,
            actor,
            at,
        });
    }
}
