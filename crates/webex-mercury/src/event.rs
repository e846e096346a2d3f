//! What Mercury pushes: the envelope (`docs/protocol/mercury.md`, *Events*) and, for
//! `conversation.activity`, the activity (`docs/protocol/conversation.md`, *The activity*) with
//! the fields the SDK reads typed.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

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

    /// The event a frame carries; `None` when it has no `data.eventType`. Only the envelope's
    /// fields and, for an activity, the activity are parsed; `data` is kept as text.
    pub(crate) fn from_frame(frame: Incoming<'_>) -> Option<Self> {
        let data = frame.data?;
        let head: DataHead<'_> = serde_json::from_str(data.get()).ok()?;
        let event_type = head.event_type.as_ref()?.as_str()?.to_owned();
        let activity = head
            .activity
            .filter(|_| event_type == ACTIVITY)
            .and_then(|activity| serde_json::from_str::<Activity>(activity.get()).ok());
        let envelope = Envelope {
            id: frame.id().map(str::to_owned),
            event_type,
            sequence_number: frame.sequence_number.as_ref().and_then(Value::as_u64),
            tracking_id: frame
                .tracking_id
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_owned),
            timestamp: frame.timestamp.as_ref().and_then(Value::as_i64),
            data: RawData(data.to_owned()),
        };
        Some(match activity {
            Some(activity) => Self::Activity(Box::new(ActivityEvent { envelope, activity })),
            None => Self::Other(envelope),
        })
    }
}

/// A received frame's top-level fields, read without building a tree of the frame: `data`
/// stays JSON text until [`MercuryEvent::from_frame`] reads what it needs of it. Scalars are
/// read leniently (a field of another type counts as absent).
#[derive(Deserialize)]
pub(crate) struct Incoming<'a> {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default, rename = "type")]
    kind: Option<Value>,
    #[serde(default, rename = "sequenceNumber")]
    sequence_number: Option<Value>,
    #[serde(default, rename = "trackingId")]
    tracking_id: Option<Value>,
    #[serde(default)]
    timestamp: Option<Value>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

impl Incoming<'_> {
    /// The frame's `id`, when it is a string.
    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_ref().and_then(Value::as_str)
    }

    /// The frame's `type` (`pong`, ...), when it is a string.
    pub(crate) fn kind(&self) -> Option<&str> {
        self.kind.as_ref().and_then(Value::as_str)
    }
}

/// What the SDK reads of a frame's `data`.
#[derive(Deserialize)]
struct DataHead<'a> {
    #[serde(default, rename = "eventType")]
    event_type: Option<Value>,
    #[serde(default, borrow)]
    activity: Option<&'a RawValue>,
}

/// An envelope's `data`, as received (JSON text); read it with [`parse`](Self::parse).
#[derive(Clone)]
pub struct RawData(Box<RawValue>);

impl RawData {
    /// The JSON text.
    #[must_use]
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Parses it as `T` (a [`Value`] for a tree).
    ///
    /// # Errors
    /// When it does not have `T`'s shape.
    pub fn parse<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawData {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for RawData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Activity {
    /// The activity uuid (for `post`/`share` the message's uuid).
    pub id: String,
    /// `post`, `share`, `delete`, `create`, `update`, `add`, `leave`, `acknowledge`, ...
    pub verb: String,
    /// The activity URL, under the conversation service.
    #[serde(default)]
    pub url: Option<String>,
    /// When it happened (RFC 3339).
    #[serde(default)]
    pub published: Option<String>,
    /// Who did it.
    #[serde(default)]
    pub actor: Option<ActivityObject>,
    /// What it was done to.
    #[serde(default)]
    pub object: Option<ActivityObject>,
    /// Where (the conversation).
    #[serde(default)]
    pub target: Option<ActivityObject>,
    /// The replied-to or carded message (`{id, type}`).
    #[serde(default)]
    pub parent: Option<ActivityObject>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An actor, object, target or parent of an activity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActivityObject {
    /// `person`, `conversation`, `comment`, `content`, `activity`, `submit`, ...
    #[serde(default)]
    pub object_type: Option<String>,
    /// The uuid.
    #[serde(default)]
    pub id: Option<String>,
    /// Its URL (conversations).
    #[serde(default)]
    pub url: Option<String>,
    /// A person's uuid.
    #[serde(default, rename = "entryUUID")]
    pub entry_uuid: Option<String>,
    /// A person's e-mail.
    #[serde(default)]
    pub email_address: Option<String>,
    /// A person's e-mail (fallback).
    #[serde(default)]
    pub entry_email: Option<String>,
    /// Name or title.
    #[serde(default)]
    pub display_name: Option<String>,
    /// A person's org uuid.
    #[serde(default)]
    pub org_id: Option<String>,
    /// A conversation's tags (`ONE_ON_ONE`, `LOCKED`, `HIDDEN`, ...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Every other field (`participants`, `roomProperties`, `inputs`, `creatorUUID`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
        MercuryEvent::from_frame(serde_json::from_str(frame).unwrap()).unwrap()
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
