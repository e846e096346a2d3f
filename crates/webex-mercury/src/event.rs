//! What Mercury pushes: the envelope (`docs/protocol/mercury.md`, *Events*) and, for
//! `conversation.activity`, the activity (`docs/protocol/conversation.md`, *The activity*) with
//! the fields the SDK reads typed.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
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

    /// The event a frame carries; `None` when it has no `data.eventType`. Only the envelope's
    /// fields and, for an activity, the activity are parsed; `data` is kept as text.
    pub(crate) fn from_frame(frame: &Incoming<'_>) -> Option<Self> {
        let data = frame.data?;
        let head: DataHead<'_> = serde_json::from_str(data.get()).ok()?;
        let event_type = head.event_type.as_str()?;
        let activity = head
            .activity
            .filter(|_| event_type == ACTIVITY)
            .and_then(|activity| serde_json::from_str::<Activity>(activity.get()).ok());
        let envelope = Envelope {
            id: frame.id().map(str::to_owned),
            event_type: event_type.to_owned(),
            sequence_number: frame.sequence_number.as_u64(),
            tracking_id: frame.tracking_id.as_str().map(str::to_owned),
            timestamp: frame.timestamp.as_i64(),
            data: RawData(data.to_owned()),
        };
        Some(match activity {
            Some(activity) => Self::Activity(Box::new(ActivityEvent { envelope, activity })),
            None => Self::Other(envelope),
        })
    }
}

/// A received frame's top-level fields, read without building a tree of the frame or
/// copying its strings: `data` stays JSON text until [`MercuryEvent::from_frame`] reads what
/// it needs of it. Scalars are read leniently (a field of another type counts as absent).
#[derive(Deserialize)]
pub(crate) struct Incoming<'a> {
    #[serde(default, borrow)]
    id: Lenient<'a>,
    #[serde(default, borrow, rename = "type")]
    kind: Lenient<'a>,
    #[serde(default, borrow, rename = "sequenceNumber")]
    sequence_number: Lenient<'a>,
    #[serde(default, borrow, rename = "trackingId")]
    tracking_id: Lenient<'a>,
    #[serde(default, borrow)]
    timestamp: Lenient<'a>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

impl Incoming<'_> {
    /// The frame's `id`, when it is a string.
    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_str()
    }

    /// The frame's `type` (`pong`, ...), when it is a string.
    pub(crate) fn kind(&self) -> Option<&str> {
        self.kind.as_str()
    }
}

/// What the SDK reads of a frame's `data`.
#[derive(Deserialize)]
struct DataHead<'a> {
    #[serde(default, borrow, rename = "eventType")]
    event_type: Lenient<'a>,
    #[serde(default, borrow)]
    activity: Option<&'a RawValue>,
}

/// A JSON value read for the string or the integer it may be (a string is borrowed from the
/// frame unless it has escapes); any other value, or none, is [`Lenient::Other`].
#[derive(Default)]
enum Lenient<'a> {
    Str(Cow<'a, str>),
    Unsigned(u64),
    Negative(i64),
    #[default]
    Other,
}

impl Lenient<'_> {
    fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(text) => Some(text),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Unsigned(n) => Some(*n),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Unsigned(n) => i64::try_from(*n).ok(),
            Self::Negative(n) => Some(*n),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LenientVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for LenientVisitor<'a> {
            type Value = Lenient<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Unsigned(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lenient<'a>, E> {
                Ok(u64::try_from(v).map_or(Lenient::Negative(v), Lenient::Unsigned))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<Lenient<'a>, E> {
                Ok(Lenient::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Lenient<'a>, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Lenient<'a>, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| Lenient::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<'a>, A::Error> {
                IgnoredAny.visit_map(map).map(|_| Lenient::Other)
            }
        }
        deserializer.deserialize_any(LenientVisitor(std::marker::PhantomData))
    }
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
    pub actor: Option<ActivityObject>,
    /// What it was done to.
    pub object: Option<ActivityObject>,
    /// Where (the conversation).
    pub target: Option<ActivityObject>,
    /// The replied-to or carded message (`{id, type}`).
    pub parent: Option<ActivityObject>,
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
        MercuryEvent::from_frame(&serde_json::from_str(frame).unwrap()).unwrap()
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
