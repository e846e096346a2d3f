//! The conversation service's own shapes, read leniently: every field is optional so that an
//! older or newer server never fails the whole call.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::rooms::RoomType;

/// A conversation tag that marks a 1:1 space.
const ONE_ON_ONE: &str = "ONE_ON_ONE";
/// A conversation tag that marks a space the caller hid.
const HIDDEN: &str = "HIDDEN";

/// `GET conversations` answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConversationList {
    #[serde(default)]
    pub(super) items: Vec<Conversation>,
    /// Bases of other clusters that hold more of the caller's conversations.
    #[serde(default)]
    pub(super) additional_urls: Vec<String>,
}

/// A conversation (room) as the conversation service returns it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Conversation {
    pub(super) id: Option<String>,
    pub(super) url: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) computed_title: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) published: Option<Timestamp>,
    pub(super) last_readable_activity_date: Option<Timestamp>,
    pub(super) last_relevant_activity_date: Option<Timestamp>,
    pub(super) last_seen_activity_date: Option<Timestamp>,
    pub(super) participants: Items<Participant>,
}

impl Conversation {
    pub(super) fn room_type(&self) -> RoomType {
        room_type(&self.tags)
    }

    pub(super) fn is_hidden(&self) -> bool {
        self.tags.iter().any(|t| t == HIDDEN)
    }
}

/// Direct when the tags say 1:1, else group (what the JS SDK does).
pub(super) fn room_type(tags: &[String]) -> RoomType {
    if tags.iter().any(|t| t == ONE_ON_ONE) {
        RoomType::Direct
    } else {
        RoomType::Group
    }
}

/// `{"items": [...]}`, defaulting to empty.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub(super) struct Items<T> {
    pub(super) items: Vec<T>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

/// A person in a conversation or an activity.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Participant {
    pub(super) id: Option<String>,
    #[serde(rename = "entryUUID")]
    pub(super) entry_uuid: Option<String>,
    pub(super) entry_email_address: Option<String>,
    pub(super) entry_email: Option<String>,
    pub(super) email_address: Option<String>,
    pub(super) display_name: Option<String>,
    pub(super) org_id: Option<String>,
    pub(super) room_properties: Option<RoomProperties>,
}

impl Participant {
    /// The user uuid: `entryUUID`, or `id` for servers that send only that.
    pub(super) fn uuid(&self) -> Option<&str> {
        self.entry_uuid.as_deref().or(self.id.as_deref())
    }

    pub(super) fn email(&self) -> Option<String> {
        self.entry_email_address
            .as_ref()
            .or(self.email_address.as_ref())
            .or(self.entry_email.as_ref())
            .cloned()
    }
}

/// A participant's per-room state.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct RoomProperties {
    #[serde(rename = "lastSeenActivityUUID")]
    pub(super) last_seen_activity_uuid: Option<String>,
    pub(super) last_seen_activity_date: Option<Timestamp>,
    pub(super) is_moderator: Option<bool>,
}

/// An activity as stored and returned by the conversation service.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct Activity {
    pub(super) published: Option<Timestamp>,
    pub(super) actor: Participant,
    pub(super) object: ActivityObject,
    pub(super) target: ActivityTarget,
}

/// An activity's object (for `acknowledge`: the activity that was read).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ActivityObject {
    pub(super) id: Option<String>,
}

/// An activity's target conversation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ActivityTarget {
    pub(super) id: Option<String>,
    pub(super) tags: Vec<String>,
}

/// The `acknowledge` activity that marks a message as read.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Acknowledge {
    pub(super) verb: &'static str,
    pub(super) object_type: &'static str,
    pub(super) client_temp_id: String,
    pub(super) actor: Ref,
    pub(super) object: Ref,
    pub(super) target: Ref,
}

/// `{"objectType", "id", "url"?}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Ref {
    pub(super) object_type: &'static str,
    pub(super) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) url: Option<String>,
}
