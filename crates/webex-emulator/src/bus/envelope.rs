//! What renderers produce from events, and what subscribers receive.

use serde_json::Value;
use uuid::Uuid;

use super::event::{EventKind, Resource};

/// Who an [`Envelope`] is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Audience {
    /// The connected devices of these people.
    People(Vec<Uuid>),
    /// One device, whatever its owner.
    Device(Uuid),
    /// The webhook dispatcher, which picks the webhooks that want it.
    Webhooks,
}

/// A rendered event, addressed to its audience.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Envelope {
    /// Who gets it.
    pub(crate) audience: Audience,
    /// What they get.
    pub(crate) payload: Payload,
}

/// The content of an [`Envelope`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Payload {
    /// A Mercury event: the `data` of a websocket envelope, whose
    /// `eventType` is `event_type` (e.g. `conversation.activity`).
    Mercury {
        /// The event type, also found in `data.eventType`.
        event_type: &'static str,
        /// The envelope's `data`.
        data: Value,
    },
    /// The websockets of the audience must close with 1000 and this reason.
    Close {
        /// The close reason.
        reason: &'static str,
    },
    /// A change of a Hydra resource, for webhooks.
    Change(Change),
}

/// One change of a Hydra resource, rendered for each person who may see it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Change {
    /// The kind of resource.
    pub(crate) resource: Resource,
    /// What happened to it.
    pub(crate) event: EventKind,
    /// Who did it.
    pub(crate) actor: Uuid,
    /// Each person who may see the change, with the object as they see it
    /// (for messages: without text, as webhooks carry them).
    pub(crate) audience: Vec<(Uuid, Value)>,
}
