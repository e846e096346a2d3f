use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use webex_core::Result;
use webex_core::http::Request;

use super::upload::{LocalFile, multipart};
use super::{Attachment, Message};
use crate::client::{Hydra, hydra, invalid, request_future, require_opt};
use crate::id::{MessageId, PersonId, RoomId};

/// Where a message's file comes from.
#[derive(Debug, Clone)]
enum FileSource {
    /// A local file, streamed as `multipart/form-data`.
    Path(PathBuf),
    /// A public URL Webex downloads itself (JSON body `files: [url]`).
    Url(String),
}

/// The JSON body of a message, and the text fields of a multipart one.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    room_id: Option<RoomId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_person_id: Option<PersonId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_person_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<MessageId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    files: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
}

/// `POST messages`: posts a message to a room, or 1:1 to a person.
///
/// Exactly one destination ([`room_id`](Self::room_id), [`to_person_id`](Self::to_person_id)
/// or [`to_person_email`](Self::to_person_email)) and some content (text, markdown, a file or
/// an attachment) are required; the call fails with `InvalidInput` before sending otherwise.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateMessage {
    hydra: Hydra,
    body: MessageBody,
    file: Option<FileSource>,
    timeout: Option<Duration>,
}

impl CreateMessage {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self {
            hydra,
            body: MessageBody::default(),
            file: None,
            timeout: None,
        }
    }

    /// Posts into this room.
    pub fn room_id(mut self, room_id: impl Into<RoomId>) -> Self {
        self.body.room_id = Some(room_id.into());
        self
    }

    /// Posts 1:1 to this person.
    pub fn to_person_id(mut self, person_id: impl Into<PersonId>) -> Self {
        self.body.to_person_id = Some(person_id.into());
        self
    }

    /// Posts 1:1 to the person with this e-mail address.
    pub fn to_person_email(mut self, email: impl Into<String>) -> Self {
        self.body.to_person_email = Some(email.into());
        self
    }

    /// Replies in the thread of this message.
    pub fn parent_id(mut self, parent_id: impl Into<MessageId>) -> Self {
        self.body.parent_id = Some(parent_id.into());
        self
    }

    /// Plain text (shown by clients that cannot render markdown).
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.body.text = Some(text.into());
        self
    }

    /// Markdown.
    pub fn markdown(mut self, markdown: impl Into<String>) -> Self {
        self.body.markdown = Some(markdown.into());
        self
    }

    /// Attaches a local file (at most 100 MB), streamed from disk when the request is sent.
    /// Replaces any file set before: Webex takes one file per message.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(FileSource::Path(path.into()));
        self
    }

    /// Attaches the file at a public URL, which Webex downloads. Replaces any file set before.
    pub fn file_url(mut self, url: impl Into<String>) -> Self {
        self.file = Some(FileSource::Url(url.into()));
        self
    }

    /// Adds an attachment such as an [Adaptive Card](Attachment::adaptive_card).
    pub fn attachment(mut self, attachment: Attachment) -> Self {
        self.body.attachments.push(attachment);
        self
    }

    /// Overrides the per-attempt timeout (`request_timeout`, 30 s by default), e.g. for a
    /// large file on a slow link.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Checks the message; nothing is sent when this fails.
    fn validate(&self) -> Result<()> {
        let body = &self.body;
        let destinations = [
            body.room_id.is_some(),
            body.to_person_id.is_some(),
            body.to_person_email.is_some(),
        ];
        match destinations.iter().filter(|set| **set).count() {
            0 => {
                return Err(invalid(
                    "a message needs a destination: room_id, to_person_id or to_person_email",
                ));
            }
            1 => {}
            _ => {
                return Err(invalid(
                    "a message takes one destination: room_id, to_person_id or to_person_email",
                ));
            }
        }
        require_opt("the room id", body.room_id.as_ref().map(|id| id.as_str()))?;
        require_opt(
            "the person id",
            body.to_person_id.as_ref().map(|id| id.as_str()),
        )?;
        require_opt("the e-mail address", body.to_person_email.as_deref())?;
        require_opt(
            "the parent id",
            body.parent_id.as_ref().map(|id| id.as_str()),
        )?;
        let has_text = [&body.text, &body.markdown]
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| !t.trim().is_empty()));
        if !has_text && self.file.is_none() && body.attachments.is_empty() {
            return Err(invalid(
                "a message needs text, markdown, a file or an attachment",
            ));
        }
        match &self.file {
            Some(FileSource::Url(url)) if url.trim().is_empty() => {
                Err(invalid("the file URL must not be empty"))
            }
            Some(FileSource::Path(_)) if !body.attachments.is_empty() => Err(invalid(
                "Webex takes attachments only in a JSON message: send the file by URL instead",
            )),
            _ => Ok(()),
        }
    }

    /// Sends the message: JSON, or `multipart/form-data` with a local file.
    ///
    /// # Errors
    /// `InvalidInput` for a message without destination or content, empty ids, a missing
    /// local file or one over 100 MB; HTTP errors.
    pub async fn send(self) -> Result<Message> {
        self.validate()?;
        let target = hydra("messages", None);
        let mut body = self.body;
        let req = match self.file {
            Some(FileSource::Path(path)) => {
                let file = LocalFile::check(&path).await?;
                let fields = multipart_fields(&body);
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let (stream, content_type) = multipart(&fields, file);
                Request::post(target).body(stream, content_type)
            }
            Some(FileSource::Url(url)) => {
                body.files = vec![url];
                Request::post(target).json(&body)?
            }
            None => Request::post(target).json(&body)?,
        };
        let req = match self.timeout {
            Some(timeout) => req.timeout(timeout),
            None => req,
        };
        self.hydra.json(req).await
    }
}

request_future!(CreateMessage => Message);

/// The text fields of a multipart message, named as in JSON.
fn multipart_fields(body: &MessageBody) -> Vec<(&'static str, String)> {
    [
        ("roomId", body.room_id.as_ref().map(ToString::to_string)),
        (
            "toPersonId",
            body.to_person_id.as_ref().map(ToString::to_string),
        ),
        ("toPersonEmail", body.to_person_email.clone()),
        ("parentId", body.parent_id.as_ref().map(ToString::to_string)),
        ("text", body.text.clone()),
        ("markdown", body.markdown.clone()),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| (name, v)))
    .collect()
}
