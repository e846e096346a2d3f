use serde::de::{Deserializer, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use webex_core::extra::{FromMap, field, read_fields, required};

use crate::Timestamp;
use crate::id::{MessageId, PersonId, RoomId};
use crate::rooms::RoomType;

/// The content type of Adaptive Cards.
pub const ADAPTIVE_CARD: &str = "application/vnd.microsoft.card.adaptive";

/// A message, as Hydra returns it (from a get, a list, a create or an update, and in a
/// webhook's `data`). Fields Webex adds later land in `extra`; `Option` fields may be
/// absent on the wire (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// The message id.
    pub id: MessageId,
    /// The thread's first message; absent unless the message is a reply.
    pub parent_id: Option<MessageId>,
    /// The room it was posted in.
    pub room_id: RoomId,
    /// Direct or group.
    pub room_type: RoomType,
    /// The recipient of a 1:1 message sent by person id; absent for messages posted to a
    /// room id.
    pub to_person_id: Option<PersonId>,
    /// The recipient of a 1:1 message sent by e-mail; absent like `to_person_id`.
    pub to_person_email: Option<String>,
    /// Plain text; absent for file-only and card-only messages, and in webhook `data`.
    pub text: Option<String>,
    /// Markdown; absent unless the message was sent as markdown.
    pub markdown: Option<String>,
    /// HTML rendered from the markdown; absent like `markdown`.
    pub html: Option<String>,
    /// URLs of the attached files.
    pub files: Vec<String>,
    /// The author.
    pub person_id: PersonId,
    /// The author's e-mail address.
    pub person_email: String,
    /// People mentioned.
    pub mentioned_people: Vec<PersonId>,
    /// Groups mentioned (e.g. `all`).
    pub mentioned_groups: Vec<String>,
    /// Cards.
    pub attachments: Vec<Attachment>,
    /// When it was posted.
    pub created: Timestamp,
    /// When it was last edited; absent for messages never edited.
    pub updated: Option<Timestamp>,
    /// Whether it is a voice clip; only some messages carry it.
    pub is_voice_clip: Option<bool>,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Read in one pass (`webex_core::extra`), not with `#[serde(flatten)]`: `listen()` reads one
// per event.
impl FromMap for Message {
    const EXPECTING: &'static str = "a message";
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let (mut id, mut parent_id, mut room_id, mut room_type) = (None, None, None, None);
        let (mut to_person_id, mut to_person_email) = (None, None);
        let (mut text, mut markdown, mut html, mut files) = (None, None, None, None);
        let (mut person_id, mut person_email) = (None, None);
        let (mut mentioned_people, mut mentioned_groups) = (None, None);
        let (mut attachments, mut created, mut updated) = (None, None, None);
        let mut is_voice_clip = None;
        let extra = read_fields(map, |key, map| {
            match key {
                "id" => field(map, &mut id, "id")?,
                "parentId" => field(map, &mut parent_id, "parentId")?,
                "roomId" => field(map, &mut room_id, "roomId")?,
                "roomType" => field(map, &mut room_type, "roomType")?,
                "toPersonId" => field(map, &mut to_person_id, "toPersonId")?,
                "toPersonEmail" => field(map, &mut to_person_email, "toPersonEmail")?,
                "text" => field(map, &mut text, "text")?,
                "markdown" => field(map, &mut markdown, "markdown")?,
                "html" => field(map, &mut html, "html")?,
                "files" => field(map, &mut files, "files")?,
                "personId" => field(map, &mut person_id, "personId")?,
                "personEmail" => field(map, &mut person_email, "personEmail")?,
                "mentionedPeople" => field(map, &mut mentioned_people, "mentionedPeople")?,
                "mentionedGroups" => field(map, &mut mentioned_groups, "mentionedGroups")?,
                "attachments" => field(map, &mut attachments, "attachments")?,
                "created" => field(map, &mut created, "created")?,
                "updated" => field(map, &mut updated, "updated")?,
                "isVoiceClip" => field(map, &mut is_voice_clip, "isVoiceClip")?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Message {
            id: required(id, "id")?,
            parent_id: parent_id.flatten(),
            room_id: required(room_id, "roomId")?,
            room_type: required(room_type, "roomType")?,
            to_person_id: to_person_id.flatten(),
            to_person_email: to_person_email.flatten(),
            text: text.flatten(),
            markdown: markdown.flatten(),
            html: html.flatten(),
            files: files.unwrap_or_default(),
            person_id: required(person_id, "personId")?,
            person_email: required(person_email, "personEmail")?,
            mentioned_people: mentioned_people.unwrap_or_default(),
            mentioned_groups: mentioned_groups.unwrap_or_default(),
            attachments: attachments.unwrap_or_default(),
            created: required(created, "created")?,
            updated: updated.flatten(),
            is_voice_clip: is_voice_clip.flatten(),
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        webex_core::extra::deserialize(deserializer)
    }
}

/// A message attachment such as an Adaptive Card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attachment {
    /// The content type, e.g. [`ADAPTIVE_CARD`].
    pub content_type: String,
    /// The card itself.
    pub content: Value,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Attachment {
    /// An attachment of `content_type`.
    pub fn new(content_type: impl Into<String>, content: Value) -> Self {
        Self {
            content_type: content_type.into(),
            content,
            extra: Map::new(),
        }
    }

    /// An Adaptive Card (`{"type": "AdaptiveCard", "version": ..., "body": [...]}`).
    pub fn adaptive_card(card: Value) -> Self {
        Self::new(ADAPTIVE_CARD, card)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Message;

    #[test]
    fn a_message_reads_its_fields_keeps_the_others_and_writes_them_back() {
        let wire = json!({
            "id": "m1", "roomId": "r1", "roomType": "group", "text": "hi",
            "personId": "p1", "personEmail": "a@example.com", "created": "2026-01-02T03:04:05.678Z",
            "markdown": null, "newField": {"x": 1}, "mentionedGroups": ["all"]
        });
        let message: Message = serde_json::from_str(&wire.to_string()).unwrap();
        assert_eq!(message.text.as_deref(), Some("hi"));
        assert_eq!(message.markdown, None);
        assert_eq!(message.mentioned_groups, ["all"]);
        assert!(message.files.is_empty());
        assert_eq!(message.extra.len(), 1);
        assert_eq!(message.extra["newField"], json!({"x": 1}));
        let again: Message =
            serde_json::from_value(serde_json::to_value(&message).unwrap()).unwrap();
        assert_eq!(again, message);

        let mut missing = wire;
        missing.as_object_mut().unwrap().remove("personEmail");
        let error = serde_json::from_value::<Message>(missing).unwrap_err();
        assert!(error.to_string().contains("personEmail"), "{error}");
    }
}
