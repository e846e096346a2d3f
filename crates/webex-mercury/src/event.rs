//! What Mercury pushes: the envelope (`docs/protocol/mercury.md`, *Events*) and, for
//! `conversation.activity`, the activity (`docs/protocol/conversation.md`, *The activity*) with
//! the fields the SDK reads typed.

use std::fmt;

use serde::de::{DeserializeOwned, Deserializer, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;
use webex_core::extra::{FromMap, field, read_fields, required};

/// An event received on the socket.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MercuryEvent {
    /// `conversation.activity`: something happened in a conversation (room).
    Activity(Box<ActivityEvent>),
    /// Any other event type (`mercury.buffer_state`, `status.start_typing`, ...), kept raw.
    Other(Envelope),
}

impl MercuryEvent {
    /// The envelope, whatever the event.
    #[must_use]
    pub fn envelope(&self) -> &Envelope {
        match self {
            Self::Activity(event) => &event.envelope,
            Self::Other(envelope) => envelope,
        }
    }

    /// `data.eventType`, e.g. `conversation.activity`.
    #[must_use]
    pub fn event_type(&self) -> &str {
        &self.envelope().event_type
    }

    /// What identifies a redelivery of this event: for `conversation.activity` the
    /// activity's id (`data.activity.id`), for other events the envelope's `id`.
    #[must_use]
    pub fn dedupe_key(&self) -> Option<&str> {
        match self {
            Self::Activity(event) => Some(&event.activity.id),
            Self::Other(envelope) => envelope.id.as_deref(),
        }
    }
}

/// An envelope's `data`, as received (JSON text); read it with [`parse`](Self::parse).
///
/// It holds the frame the event came in, as received (clones do not copy it), and finds
/// `data` in it when asked: the SDK reads what it needs of a frame in one pass and never asks.
#[derive(Clone)]
pub struct RawData {
    frame: Utf8Bytes,
}

impl RawData {
    /// The `data` of `frame` (a frame that has one).
    pub(crate) fn of_frame(frame: Utf8Bytes) -> Self {
        Self { frame }
    }

    /// The JSON text.
    #[must_use]
    pub fn get(&self) -> &str {
        /// A frame's `data`, located without reading anything else.
        #[derive(Deserialize)]
        struct DataOnly<'a> {
            #[serde(borrow)]
            data: Option<&'a RawValue>,
        }
        // A `RawData` is only made for a frame that was read and has a `data`: `null` stands
        // for what cannot happen.
        serde_json::from_str::<DataOnly<'_>>(self.frame.as_str())
            .ok()
            .and_then(|frame| frame.data)
            .map_or("null", RawValue::get)
    }

    /// Parses it as `T` (a [`Value`] for a tree).
    ///
    /// # Errors
    /// When it does not have `T`'s shape.
    pub fn parse<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.get())
    }
}

impl PartialEq for RawData {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

/// The event type of conversation activities.
pub const ACTIVITY: &str = "conversation.activity";

/// A `conversation.activity` event: the envelope and its parsed `data.activity`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActivityEvent {
    /// The envelope (its `data` still holds the activity as received).
    pub envelope: Envelope,
    /// The activity.
    pub activity: Activity,
}

/// The server → client envelope.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Envelope {
    /// The frame id (acknowledged by the client).
    pub id: Option<String>,
    /// `data.eventType`.
    pub event_type: String,
    /// Per-connection sequence number.
    pub sequence_number: Option<u64>,
    /// The tracking id of the request that caused the event.
    pub tracking_id: Option<String>,
    /// Server time, epoch milliseconds.
    pub timestamp: Option<i64>,
    /// `data`, as received.
    pub data: RawData,
}

/// A conversation activity (unencrypted; see `docs/protocol/conversation.md`, *The activity*).
///
/// Its objects are boxed: unboxed, an activity event would take one allocation of over a
/// kilobyte, which allocators serve on a slow path, once per event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Activity {
    /// The activity uuid (for `post`/`share` the message's uuid).
    pub id: String,
    /// `post`, `share`, `delete`, `create`, `update`, `add`, `leave`, `acknowledge`, ...
    pub verb: String,
    /// The activity URL, under the conversation service.
    pub url: Option<String>,
    /// When it happened (RFC 3339).
    pub published: Option<String>,
    /// Who did it.
    pub actor: Option<Box<ActivityObject>>,
    /// What it was done to.
    pub object: Option<Box<ActivityObject>>,
    /// Where (the conversation).
    pub target: Option<Box<ActivityObject>>,
    /// The replied-to or carded message (`{id, type}`).
    pub parent: Option<Box<ActivityObject>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Read in one pass (`webex_core::extra`), not with `#[serde(flatten)]`: one per event.
impl FromMap for Activity {
    const EXPECTING: &'static str = "a conversation activity";
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let (mut id, mut verb, mut url, mut published) = (None, None, None, None);
        let (mut actor, mut object, mut target, mut parent) = (None, None, None, None);
        let extra = read_fields(map, |key, map| {
            match key {
                "id" => field(map, &mut id, "id")?,
                "verb" => field(map, &mut verb, "verb")?,
                "url" => field(map, &mut url, "url")?,
                "published" => field(map, &mut published, "published")?,
                "actor" => field(map, &mut actor, "actor")?,
                "object" => field(map, &mut object, "object")?,
                "target" => field(map, &mut target, "target")?,
                "parent" => field(map, &mut parent, "parent")?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Activity {
            id: required(id, "id")?,
            verb: required(verb, "verb")?,
            url: url.flatten(),
            published: published.flatten(),
            actor: actor.flatten(),
            object: object.flatten(),
            target: target.flatten(),
            parent: parent.flatten(),
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for Activity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        webex_core::extra::deserialize(deserializer)
    }
}

/// An actor, object, target or parent of an activity.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActivityObject {
    /// `person`, `conversation`, `comment`, `content`, `activity`, `submit`, ...
    pub object_type: Option<String>,
    /// The uuid.
    pub id: Option<String>,
    /// Its URL (conversations).
    pub url: Option<String>,
    /// A person's uuid.
    #[serde(rename = "entryUUID")]
    pub entry_uuid: Option<String>,
    /// A person's e-mail.
    pub email_address: Option<String>,
    /// A person's e-mail (fallback).
    pub entry_email: Option<String>,
    /// Name or title.
    pub display_name: Option<String>,
    /// A person's org uuid.
    pub org_id: Option<String>,
    /// A conversation's tags (`ONE_ON_ONE`, `LOCKED`, `HIDDEN`, ...); empty when absent.
    pub tags: Vec<String>,
    /// Every other field (`participants`, `roomProperties`, `inputs`, `creatorUUID`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Read in one pass, like `Activity`.
impl FromMap for ActivityObject {
    const EXPECTING: &'static str = "an activity object";
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let (mut object_type, mut id, mut url) = (None, None, None);
        let (mut entry_uuid, mut email_address, mut entry_email) = (None, None, None);
        let (mut display_name, mut org_id, mut tags) = (None, None, None);
        let extra = read_fields(map, |key, map| {
            match key {
                "objectType" => field(map, &mut object_type, "objectType")?,
                "id" => field(map, &mut id, "id")?,
                "url" => field(map, &mut url, "url")?,
                "entryUUID" => field(map, &mut entry_uuid, "entryUUID")?,
                "emailAddress" => field(map, &mut email_address, "emailAddress")?,
                "entryEmail" => field(map, &mut entry_email, "entryEmail")?,
                "displayName" => field(map, &mut display_name, "displayName")?,
                "orgId" => field(map, &mut org_id, "orgId")?,
                "tags" => field(map, &mut tags, "tags")?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(ActivityObject {
            object_type: object_type.flatten(),
            id: id.flatten(),
            url: url.flatten(),
            entry_uuid: entry_uuid.flatten(),
            email_address: email_address.flatten(),
            entry_email: entry_email.flatten(),
            display_name: display_name.flatten(),
            org_id: org_id.flatten(),
            tags: tags.unwrap_or_default(),
            extra,
        })
    }
}

impl<'de> Deserialize<'de> for ActivityObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        webex_core::extra::deserialize(deserializer)
    }
}

impl ActivityObject {
    /// Whether `tags` holds `tag`.
    #[must_use]
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(frame: &str) -> MercuryEvent {
        crate::frame::Incoming::parse(frame)
            .unwrap()
            .into_event(frame)
            .unwrap()
    }

    #[test]
    fn activities_are_typed_and_others_kept_raw() {
        let frame = json!({
            "id": "e1", "sequenceNumber": 3, "trackingId": "T", "timestamp": 5,
            "data": {"eventType": "conversation.activity", "activity": {
                "id": "a1", "verb": "post", "actor": {"objectType": "person", "entryUUID": "u1"},
                "target": {"id": "c1", "tags": ["ONE_ON_ONE"]}, "clientTempId": "x"
            }}
        });
        let frame = frame.to_string();
        let MercuryEvent::Activity(event) = read(&frame) else {
            panic!("not an activity");
        };
        assert_eq!(event.activity.verb, "post");
        assert_eq!(event.envelope.sequence_number, Some(3));
        assert_eq!(
            event.activity.actor.unwrap().entry_uuid.as_deref(),
            Some("u1")
        );
        assert!(event.activity.target.unwrap().has_tag("ONE_ON_ONE"));
        assert_eq!(event.activity.extra["clientTempId"], "x");

        let typing = json!({"id": "e2", "data": {"eventType": "status.start_typing", "x": 1}});
        let typing = typing.to_string();
        let event = read(&typing);
        assert!(
            matches!(&event, MercuryEvent::Other(e) if e.data.parse::<Value>().unwrap()["x"] == 1)
        );
        assert_eq!(event.event_type(), "status.start_typing");

        // An activity that does not parse stays raw.
        let bad = json!({"data": {"eventType": "conversation.activity", "activity": 3}});
        assert!(matches!(read(&bad.to_string()), MercuryEvent::Other(_)));
    }
}
