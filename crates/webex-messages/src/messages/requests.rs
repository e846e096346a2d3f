use serde::Serialize;
use serde::de::DeserializeOwned;
use webex_core::http::Request;
use webex_core::{Page, Result};

use super::Message;
use crate::Timestamp;
use crate::client::{
    Hydra, get_request, hydra, invalid, remove_request, request_future, require, require_opt,
};
use crate::id::{MessageId, PersonId, RoomId};

get_request!(
    /// `GET messages/{id}`: one message.
    GetMessage, MessageId, Message, "messages"
);

remove_request!(
    /// `DELETE messages/{id}`: deletes a message.
    RemoveMessage, MessageId, "messages"
);

/// `GET messages?roomId=…`: a room's messages, newest first, a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListMessages {
    hydra: Hydra,
    room_id: RoomId,
    parent_id: Option<MessageId>,
    mentioned_people: Vec<String>,
    before: Option<Timestamp>,
    before_message: Option<MessageId>,
    max: Option<u32>,
}

impl ListMessages {
    pub(crate) fn new(hydra: Hydra, room_id: RoomId) -> Self {
        Self {
            hydra,
            room_id,
            parent_id: None,
            mentioned_people: Vec::new(),
            before: None,
            before_message: None,
            max: None,
        }
    }

    /// Only the replies in this message's thread.
    pub fn parent_id(mut self, parent_id: impl Into<MessageId>) -> Self {
        self.parent_id = Some(parent_id.into());
        self
    }

    /// Only messages mentioning the caller (bots must set this in group rooms).
    pub fn mentioned_me(mut self) -> Self {
        self.mentioned_people.push("me".to_owned());
        self
    }

    /// Only messages mentioning this person.
    pub fn mentioned_person(mut self, person_id: impl Into<PersonId>) -> Self {
        self.mentioned_people.push(person_id.into().into_string());
        self
    }

    /// Only messages posted before this time (a [`Timestamp`] or a `SystemTime`), e.g. the
    /// `created` of the oldest message seen so far.
    pub fn before(mut self, time: impl Into<Timestamp>) -> Self {
        self.before = Some(time.into());
        self
    }

    /// Only messages posted before this one.
    pub fn before_message(mut self, message_id: impl Into<MessageId>) -> Self {
        self.before_message = Some(message_id.into());
        self
    }

    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for empty ids; HTTP errors.
    pub async fn send(self) -> Result<Page<Message>> {
        self.page().await
    }

    /// Sends the request, reading each listed message as `T` (`listen()` reads only the
    /// messages it looks for in full).
    pub(crate) async fn page<T: DeserializeOwned + Send + 'static>(self) -> Result<Page<T>> {
        require("the room id", self.room_id.as_str())?;
        require_opt(
            "the parent id",
            self.parent_id.as_ref().map(|id| id.as_str()),
        )?;
        require_opt(
            "the before-message id",
            self.before_message.as_ref().map(|id| id.as_str()),
        )?;
        for person in &self.mentioned_people {
            require("a mentioned person id", person)?;
        }
        let mentioned =
            (!self.mentioned_people.is_empty()).then(|| self.mentioned_people.join(","));
        let req = Request::get(hydra("messages", None))
            .query("roomId", &self.room_id)
            .query_opt("parentId", self.parent_id)
            .query_opt("mentionedPeople", mentioned)
            .query_opt("before", self.before)
            .query_opt("beforeMessage", self.before_message)
            .query_opt("max", self.max);
        self.hydra.page(req).await
    }
}

request_future!(ListMessages => Page<Message>);

/// The body of a message edit.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct EditBody {
    room_id: RoomId,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

/// `PUT messages/{id}`: edits a message's text or markdown. Hydra needs the room id in the
/// body, so the builder takes it up front.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateMessage {
    hydra: Hydra,
    id: MessageId,
    body: EditBody,
}

impl UpdateMessage {
    pub(crate) fn new(hydra: Hydra, id: MessageId, room_id: RoomId) -> Self {
        Self {
            hydra,
            id,
            body: EditBody {
                room_id,
                text: None,
                markdown: None,
            },
        }
    }

    /// The new plain text.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.body.text = Some(text.into());
        self
    }

    /// The new markdown.
    pub fn markdown(mut self, markdown: impl Into<String>) -> Self {
        self.body.markdown = Some(markdown.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for empty ids or an edit without text and markdown; HTTP errors.
    pub async fn send(self) -> Result<Message> {
        require("the message id", self.id.as_str())?;
        require("the room id", self.body.room_id.as_str())?;
        let has_text = [&self.body.text, &self.body.markdown]
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| !t.trim().is_empty()));
        if !has_text {
            return Err(invalid("a message edit needs text or markdown"));
        }
        let req = Request::put(hydra("messages", Some(self.id.as_str()))).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(UpdateMessage => Message);
