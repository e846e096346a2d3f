//! Changes to Hydra resources, as webhooks (and later the Mercury event
//! stream) report them.
//!
//! Operations record a [`Change`] in [`crate::state::Data::outbox`] while they
//! hold the data lock, with the object already rendered for everyone allowed
//! to see it (a deleted object cannot be rendered later). The dispatch
//! middleware ([`crate::webhooks::dispatch`]) drains the outbox after every
//! request, so no handler can forget to.

use serde_json::Value;
use uuid::Uuid;

/// The resource kinds webhooks subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resource {
    /// `messages`.
    Messages,
    /// `memberships`.
    Memberships,
    /// `rooms`.
    Rooms,
    /// `attachmentActions`.
    AttachmentActions,
}

impl Resource {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Messages => "messages",
            Self::Memberships => "memberships",
            Self::Rooms => "rooms",
            Self::AttachmentActions => "attachmentActions",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [
            Self::Messages,
            Self::Memberships,
            Self::Rooms,
            Self::AttachmentActions,
        ]
        .into_iter()
        .find(|resource| resource.as_str() == name)
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// `created`.
    Created,
    /// `updated`.
    Updated,
    /// `deleted`.
    Deleted,
}

impl EventKind {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [Self::Created, Self::Updated, Self::Deleted]
            .into_iter()
            .find(|event| event.as_str() == name)
    }
}

/// One change, rendered for each person who may see it.
#[derive(Clone, Debug)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in ["messages", "memberships", "rooms", "attachmentActions"] {
            assert_eq!(Resource::parse(name).map(Resource::as_str), Some(name));
        }
        assert_eq!(Resource::parse("all"), None);
        for name in ["created", "updated", "deleted"] {
            assert_eq!(EventKind::parse(name).map(EventKind::as_str), Some(name));
        }
    }
}
