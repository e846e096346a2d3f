//! Reading a received frame: its top-level fields, and for an event its `data.eventType` and
//! activity (`docs/protocol/mercury.md`, *Events*).
//!
//! A frame of the usual shape is read in one pass, the activity straight into [`Activity`],
//! borrowing the other strings from the frame. Any other frame (an activity that does not
//! have the shape, a `data` that is not an object) is read again leniently: its top level,
//! then what `data` holds, so an unreadable activity still leaves an event of its type.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::event::{ACTIVITY, Activity, ActivityEvent, Envelope, MercuryEvent, RawData};

/// A received frame: its top-level scalars and its `data`.
pub(crate) struct Incoming<'a> {
    pub(crate) head: Head<'a>,
    pub(crate) data: Option<Data<'a>>,
}

/// A frame's top-level scalars, borrowed from it (unless they have escapes) and read
/// leniently: a field of another type counts as absent.
pub(crate) struct Head<'a> {
    id: Lenient<'a>,
    kind: Lenient<'a>,
    sequence_number: Lenient<'a>,
    tracking_id: Lenient<'a>,
    timestamp: Lenient<'a>,
}

/// A frame's `data`.
#[expect(
    clippy::large_enum_variant,
    reason = "on the stack for one frame only; boxing the activity would cost an allocation per event"
)]
pub(crate) enum Data<'a> {
    /// Read with the frame.
    Read(ReadData<'a>),
    /// Kept as text, to be read leniently.
    Raw(&'a RawValue),
}

/// What the SDK reads of a frame's `data`, in the frame's pass.
#[derive(Deserialize)]
pub(crate) struct ReadData<'a> {
    #[serde(default, borrow, rename = "eventType")]
    event_type: Lenient<'a>,
    #[serde(default)]
    activity: Option<Activity>,
}

/// What the SDK reads of a `data` kept as text.
#[derive(Deserialize)]
struct RawDataHead<'a> {
    #[serde(default, borrow, rename = "eventType")]
    event_type: Lenient<'a>,
    #[serde(default, borrow)]
    activity: Option<&'a RawValue>,
}

/// A frame on the wire, with its `data` as `D`.
#[derive(Deserialize)]
#[serde(bound(deserialize = "D: Deserialize<'de>"))]
struct Wire<'a, D> {
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
    #[serde(default)]
    data: Option<D>,
}

impl<'a, D> Wire<'a, D> {
    fn into_incoming(self, data: impl FnOnce(D) -> Data<'a>) -> Incoming<'a> {
        Incoming {
            head: Head {
                id: self.id,
                kind: self.kind,
                sequence_number: self.sequence_number,
                tracking_id: self.tracking_id,
                timestamp: self.timestamp,
            },
            data: self.data.map(data),
        }
    }
}

impl<'a> Incoming<'a> {
    /// Reads `text`, in one pass when it has the usual shape.
    ///
    /// # Errors
    /// It is not a JSON object (or repeats a top-level field): the lenient reading's error.
    pub(crate) fn parse(text: &'a str) -> serde_json::Result<Self> {
        if let Ok(wire) = serde_json::from_str::<Wire<'a, ReadData<'a>>>(text) {
            return Ok(wire.into_incoming(Data::Read));
        }
        serde_json::from_str::<Wire<'a, &'a RawValue>>(text)
            .map(|wire| wire.into_incoming(Data::Raw))
    }

    /// The event of this frame, `text`; see [`event`].
    #[cfg(test)]
    pub(crate) fn into_event(self, text: &str) -> Option<MercuryEvent> {
        event(&self.head, self.data, &FrameText::Borrowed(text))
    }
}

impl Head<'_> {
    /// The frame's `id`, when it is a string.
    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_str()
    }

    /// The frame's `type` (`pong`, ...), when it is a string.
    pub(crate) fn kind(&self) -> Option<&str> {
        self.kind.as_str()
    }
}

/// A received frame's text, which an event keeps (its envelope's `data`).
pub(crate) enum FrameText<'a> {
    /// Copied when an event keeps it.
    Borrowed(&'a str),
    /// The received buffer, shared.
    Shared(&'a Utf8Bytes),
}

impl FrameText<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(text) => text,
            Self::Shared(text) => text.as_str(),
        }
    }

    fn share(&self) -> Utf8Bytes {
        match self {
            Self::Borrowed(text) => Utf8Bytes::from(*text),
            Self::Shared(text) => (*text).clone(),
        }
    }
}

/// The event the frame `text` carries (read into `head` and `data`); `None` when it has no
/// `data.eventType`. An activity that cannot be read leaves an event of its type, kept raw.
pub(crate) fn event(
    head: &Head<'_>,
    data: Option<Data<'_>>,
    text: &FrameText<'_>,
) -> Option<MercuryEvent> {
    let (event_type, activity) = match data? {
        Data::Read(data) => (data.event_type, data.activity),
        Data::Raw(data) => {
            let data: RawDataHead<'_> = serde_json::from_str(data.get()).ok()?;
            let activity = data
                .activity
                .filter(|_| data.event_type.as_str() == Some(ACTIVITY))
                .and_then(|activity| serde_json::from_str(activity.get()).ok());
            (data.event_type, activity)
        }
    };
    let event_type = event_type.as_str()?;
    let envelope = Envelope {
        id: head.id().map(str::to_owned),
        event_type: event_type.to_owned(),
        sequence_number: head.sequence_number.as_u64(),
        tracking_id: head.tracking_id.as_str().map(str::to_owned),
        timestamp: head.timestamp.as_i64(),
        data: RawData::of_frame(text.share()),
    };
    Some(match activity.filter(|_| event_type == ACTIVITY) {
        Some(activity) => MercuryEvent::Activity(Box::new(ActivityEvent { envelope, activity })),
        None => MercuryEvent::Other(envelope),
    })
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
        struct LenientVisitor<'a>(PhantomData<&'a ()>);
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
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Data, Incoming};
    use crate::event::MercuryEvent;

    #[test]
    fn the_usual_frame_is_read_in_one_pass_and_others_leniently() {
        let frame = json!({
            "id": "e\u{1}1", "sequenceNumber": 3, "timestamp": -5, "trackingId": 7,
            "data": {"activity": {"id": "a1", "verb": "post"}, "eventType": "conversation.activity"}
        })
        .to_string();
        let incoming = Incoming::parse(&frame).unwrap();
        assert!(matches!(incoming.data, Some(Data::Read(_))));
        assert_eq!(incoming.head.id(), Some("e\u{1}1"));
        let Some(MercuryEvent::Activity(event)) = incoming.into_event(&frame) else {
            panic!("not an activity");
        };
        assert_eq!(event.activity.id, "a1");
        assert_eq!(event.envelope.timestamp, Some(-5));
        assert_eq!(event.envelope.tracking_id, None);
        assert_eq!(
            event.envelope.data.parse::<serde_json::Value>().unwrap()["activity"]["verb"],
            "post"
        );

        // An activity without a verb: read again, an event of its type kept raw.
        let frame = json!({"id": "e2", "data": {"eventType": "conversation.activity",
            "activity": {"id": "a2"}}})
        .to_string();
        let incoming = Incoming::parse(&frame).unwrap();
        assert!(matches!(incoming.data, Some(Data::Raw(_))));
        let event = incoming.into_event(&frame).unwrap();
        assert!(
            matches!(&event, MercuryEvent::Other(e) if e.event_type == "conversation.activity")
        );
        assert_eq!(
            event.envelope().data.get(),
            r#"{"eventType":"conversation.activity","activity":{"id":"a2"}}"#
        );

        // No event type; not an object.
        let frame = json!({"id": "e3", "data": 3}).to_string();
        assert!(
            Incoming::parse(&frame)
                .unwrap()
                .into_event(&frame)
                .is_none()
        );
        assert!(Incoming::parse("3").is_err());
    }
}
