//! Posting a message: validation, direct rooms, threads, mentions, files
//! and cards.

use http::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::markup::{self, Mention};
use super::{Message, parse_id};
use crate::bus::EventKind;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::contents::{Content, Stored};
use crate::world::rooms;

/// The largest file a message may carry, as on Webex.
pub(crate) const FILE_LIMIT: u64 = 100 * 1024 * 1024;

/// The most bytes of `text` or `markdown`, as on Webex.
const TEXT_LIMIT: usize = 7439;

/// The only card type Webex accepts.
const ADAPTIVE_CARD: &str = "application/vnd.microsoft.card.adaptive";

/// An uploaded file of a multipart message.
#[derive(Debug)]
pub(crate) struct Upload {
    pub(crate) filename: String,
    pub(crate) content_type: String,
    pub(crate) body: Stored,
}

/// A message to post, from a JSON or a multipart body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NewMessage {
    pub(crate) room_id: Option<String>,
    pub(crate) to_person_id: Option<String>,
    pub(crate) to_person_email: Option<String>,
    pub(crate) parent_id: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) markdown: Option<String>,
    /// A URL or a list of URLs.
    pub(crate) files: Option<Value>,
    pub(crate) attachments: Option<Value>,
    #[serde(skip)]
    pub(crate) uploads: Vec<Upload>,
}

/// A non-empty string field.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

impl NewMessage {
    /// The file URLs given as `files`.
    fn file_urls(&self) -> Result<Vec<String>, ApiError> {
        let bad = || ApiError::bad_request("files must be a URL or a list of URLs.");
        match &self.files {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(url)) => Ok(vec![url.clone()]),
            Some(Value::Array(urls)) => urls
                .iter()
                .map(|url| url.as_str().map(str::to_owned).ok_or_else(bad))
                .collect(),
            Some(_) => Err(bad()),
        }
    }

    /// The cards given as `attachments`, checked.
    pub(crate) fn cards(&self) -> Result<Vec<Value>, ApiError> {
        let cards = match &self.attachments {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(cards)) => cards.clone(),
            Some(card @ Value::Object(_)) => vec![card.clone()],
            Some(_) => return Err(ApiError::bad_request("attachments must be a list.")),
        };
        if cards.len() > 1 {
            return Err(ApiError::bad_request(
                "Only one attachment is allowed per message.",
            ));
        }
        for card in &cards {
            let content_type = card.get("contentType").and_then(Value::as_str);
            if content_type != Some(ADAPTIVE_CARD) {
                return Err(ApiError::bad_request(format!(
                    "attachments[].contentType must be {ADAPTIVE_CARD}."
                )));
            }
            if !card.get("content").is_some_and(Value::is_object) {
                return Err(ApiError::bad_request(
                    "attachments[].content must be an object.",
                ));
            }
        }
        Ok(cards)
    }
}

/// The parsed markdown of a message, mentions resolved against the people
/// store.
pub(crate) fn read_markdown(data: &Data, markdown: &str) -> markup::Rendered {
    markup::render(markdown, |mention| {
        let person = match mention {
            Mention::PersonId(id) => {
                ids::decode_uuid(id, HydraType::People).and_then(|uuid| data.people.get(uuid))
            }
            Mention::PersonEmail(email) => data.people.by_email(email),
            Mention::All => None,
        }?;
        Some((
            person.uuid,
            ids::person_id(person.uuid),
            person.display_name.clone(),
        ))
    })
}

/// Text, markdown, html and mentions of a message body.
pub(crate) struct Shown {
    pub(crate) text: Option<String>,
    pub(crate) markdown: Option<String>,
    pub(crate) html: Option<String>,
    pub(crate) people: Vec<Uuid>,
    pub(crate) groups: Vec<String>,
}

/// Derives what a message shows from its `text` and `markdown`.
pub(crate) fn compose(
    data: &Data,
    text: Option<&str>,
    markdown: Option<&str>,
) -> Result<Shown, ApiError> {
    check_lengths(text, markdown)?;
    Ok(shown(data, text, markdown))
}

/// A 400 when `text` or `markdown` is longer than Webex allows.
pub(crate) fn check_lengths(text: Option<&str>, markdown: Option<&str>) -> Result<(), ApiError> {
    for (name, value) in [("text", text), ("markdown", markdown)] {
        if value.is_some_and(|v| v.len() > TEXT_LIMIT) {
            return Err(ApiError::bad_request(format!(
                "{name} must be at most {TEXT_LIMIT} bytes."
            )));
        }
    }
    Ok(())
}

/// What a message of `text` and `markdown` (of checked lengths) shows.
pub(crate) fn shown(data: &Data, text: Option<&str>, markdown: Option<&str>) -> Shown {
    let rendered = markdown.map(|markdown| read_markdown(data, markdown));
    Shown {
        text: text
            .map(str::to_owned)
            .or_else(|| rendered.as_ref().map(|r| r.text.clone())),
        markdown: markdown.map(str::to_owned),
        html: rendered.as_ref().map(|r| r.html.clone()),
        people: rendered
            .as_ref()
            .map(|r| r.people.clone())
            .unwrap_or_default(),
        groups: rendered.map(|r| r.groups).unwrap_or_default(),
    }
}

/// Posts a message as `author`; returns its uuid. `file_url` gives the
/// download URL of a message's `index`th upload.
pub(crate) fn post(
    data: &mut Data,
    file_url: &dyn Fn(Uuid, usize) -> String,
    author: Uuid,
    request: NewMessage,
) -> Result<Uuid, ApiError> {
    let urls = request.file_urls()?;
    let cards = request.cards()?;
    let text = present(&request.text);
    let markdown = present(&request.markdown);
    if text.is_none()
        && markdown.is_none()
        && urls.is_empty()
        && request.uploads.is_empty()
        && cards.is_empty()
    {
        return Err(ApiError::bad_request(
            "text, markdown, files or attachments is required.",
        ));
    }
    if urls.len() + request.uploads.len() > 1 {
        return Err(ApiError::bad_request(
            "Only one file is allowed per message.",
        ));
    }
    if let Some(upload) = request.uploads.iter().find(|u| u.body.len() > FILE_LIMIT) {
        return Err(too_large(&upload.filename));
    }
    let uploaded: u64 = request.uploads.iter().map(|u| u.body.len()).sum();
    if let Some(upload) = request.uploads.first() {
        data.contents.check_room(&upload.filename, uploaded)?;
    }

    let (room, to_person) = target_room(data, author, &request)?;
    let room_info = data.member_room(room, author)?.clone();
    if room_info.announcement_only && !data.can_moderate(&room_info, author) {
        return Err(ApiError::forbidden(
            "Only moderators can post in an announcement-only room.",
        ));
    }
    let parent = match present(&request.parent_id) {
        Some(id) => Some(check_parent(data, room, parse_id(id, "parentId")?)?),
        None => None,
    };
    let shown = compose(data, text, markdown)?;

    let created = data.tick();
    let uuid = Uuid::new_v4();
    let mut files = urls;
    for (index, upload) in request.uploads.into_iter().enumerate() {
        files.push(file_url(uuid, index));
        data.contents.insert(
            uuid,
            index,
            Content {
                filename: upload.filename,
                content_type: upload.content_type,
                body: upload.body,
            },
        );
    }
    data.messages.insert(Message {
        uuid,
        room,
        parent,
        author,
        to_person,
        text: shown.text,
        markdown: shown.markdown,
        html: shown.html,
        files,
        attachments: cards,
        mentioned_people: shown.people,
        mentioned_groups: shown.groups,
        created,
        updated: None,
    });
    data.touch_room(room, created);
    data.emit_message(uuid, EventKind::Created, author);
    Ok(uuid)
}

/// The 413 for a file over the limit.
pub(crate) fn too_large(filename: &str) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("File '{filename}' is larger than the 100 MB limit."),
    )
}

/// The room a message goes to: `roomId`, or the direct room with
/// `toPersonId`/`toPersonEmail` (created on first use).
fn target_room(
    data: &mut Data,
    author: Uuid,
    request: &NewMessage,
) -> Result<(Uuid, Option<Uuid>), ApiError> {
    let room_id = present(&request.room_id);
    let to_id = present(&request.to_person_id);
    let to_email = present(&request.to_person_email);
    match (room_id, to_id.is_some() || to_email.is_some()) {
        (Some(_), true) => Err(ApiError::bad_request(
            "Use either roomId or toPersonId/toPersonEmail, not both.",
        )),
        (None, false) => Err(ApiError::bad_request(
            "roomId, toPersonId or toPersonEmail is required.",
        )),
        (Some(id), false) => Ok((rooms::parse_id(id)?, None)),
        (None, true) => {
            let to = data.person_by_id_or_email(to_id, to_email)?;
            if to == author {
                return Err(ApiError::bad_request(
                    "You cannot send a direct message to yourself.",
                ));
            }
            Ok((data.direct_room(author, to), Some(to)))
        }
    }
}

/// Checks a `parentId`: a message of the same room that is not itself a
/// reply (Webex threads are one level deep).
fn check_parent(data: &Data, room: Uuid, parent: Uuid) -> Result<Uuid, ApiError> {
    let message = data
        .messages
        .get(parent)
        .filter(|m| m.room == room)
        .ok_or_else(|| ApiError::not_found("Could not find the parent message in this room."))?;
    if message.parent.is_some() {
        return Err(ApiError::bad_request(
            "Cannot reply to a reply; use the thread's first message as parentId.",
        ));
    }
    Ok(parent)
}
