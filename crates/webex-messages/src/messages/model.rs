use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::id::{MessageId, PersonId, RoomId};
use crate::rooms::RoomType;

/// The content type of Adaptive Cards.
pub const ADAPTIVE_CARD: &str = "application/vnd.microsoft.card.adaptive";

/// A message, as Hydra returns it (from a get, a list, a create or an update, and in a
/// webhook's `data`). Fields Webex adds later land in `extra`; `Option` fields may be
/// absent on the wire (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub files: Vec<String>,
    /// The author.
    pub person_id: PersonId,
    /// The author's e-mail address.
    pub person_email: String,
    /// People mentioned.
    #[serde(default)]
    pub mentioned_people: Vec<PersonId>,
    /// Groups mentioned (e.g. `all`).
    #[serde(default)]
    pub mentioned_groups: Vec<String>,
    /// Cards.
    #[serde(default)]
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
