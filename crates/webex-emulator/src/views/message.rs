//! The Hydra message, served by more than one service.
//!
//! It is what Hydra's `messages` answer, what webhooks carry
//! and what the conversation service's `GET messages/{uuid}` answers (as
//! webex-bot reads it), so it is drawn here once rather than in one service
//! that the others would then import.

use serde_json::{Value, json};

use crate::kit::clock;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::messages::Message;
use crate::world::rooms::RoomKind;

/// The Hydra JSON of a message; `with_text` false gives the webhook
/// form (no text, markdown, html or attachments).
pub(crate) fn message_json(data: &Data, message: &Message, with_text: bool) -> Value {
    let author = data.people.get(message.author);
    let room_type = data
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
        if let Some(person) = data.people.get(to) {
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
