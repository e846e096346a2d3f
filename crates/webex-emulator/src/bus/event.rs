//! What happened in the world, as typed events.
//!
//! World operations publish an [`Event`] while they hold the data lock, at
//! the moment of the change, so that renderers still see an object that the
//! same operation is about to delete. Events carry ids, not rendered JSON:
//! each renderer decides what its audience gets.

use std::time::SystemTime;

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

/// How a room's settings changed, beyond what [`Event::Room`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoomChange {
    /// Title, description or announcement mode.
    Update,
    /// Now locked.
    Lock,
    /// Now unlocked.
    Unlock,
}

/// What changed in a Locus (a meeting's live state); decides the Mercury
/// event type a full DTO of the change travels under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocusChange {
    /// Someone joined, or entered the lobby.
    ParticipantJoined,
    /// Someone left or was removed.
    ParticipantLeft,
    /// The callee of a call declined it.
    ParticipantDeclined,
    /// A participant's state changed otherwise (admitted, media status).
    ParticipantUpdated,
    /// Meeting-wide controls (lock, recording, reactions, ...).
    ControlsUpdated,
    /// One participant's controls (mute, hand, layout).
    ParticipantControlsUpdated,
    /// One participant's roles.
    ParticipantRolesUpdated,
    /// The content floor was granted.
    FloorGranted,
    /// The content floor was released.
    FloorReleased,
    /// The meeting ended for everyone.
    Ended,
}

/// One thing that happened in the world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A room was created (with its first members already in it), updated,
    /// or is about to be deleted (its members are still there).
    Room {
        /// The room.
        room: Uuid,
        /// What happened to it.
        kind: EventKind,
        /// Who did it.
        actor: Uuid,
    },
    /// A room's title, description, announcement mode or lock changed.
    RoomSettings {
        /// The room.
        room: Uuid,
        /// What changed.
        change: RoomChange,
        /// Who did it.
        actor: Uuid,
        /// When.
        at: SystemTime,
    },
    /// A membership was created, updated, or is about to be deleted.
    Membership {
        /// The room.
        room: Uuid,
        /// The member.
        person: Uuid,
        /// What happened to the membership.
        kind: EventKind,
        /// Who did it.
        actor: Uuid,
        /// Part of creating the room (whose own event lists its first
        /// members), not a change of an existing room.
        with_room: bool,
        /// When.
        at: SystemTime,
    },
    /// A member was made, or stopped being, a moderator.
    Moderator {
        /// The room.
        room: Uuid,
        /// The member.
        person: Uuid,
        /// Whether they moderate now.
        moderator: bool,
        /// Who did it.
        actor: Uuid,
        /// When.
        at: SystemTime,
    },
    /// A member hid a room from their list.
    RoomHidden {
        /// The room.
        room: Uuid,
        /// The member.
        person: Uuid,
        /// When.
        at: SystemTime,
    },
    /// A message was created, edited, or is about to be deleted.
    Message {
        /// The message.
        message: Uuid,
        /// What happened to it.
        kind: EventKind,
        /// Who did it.
        actor: Uuid,
        /// When.
        at: SystemTime,
    },
    /// A card was submitted.
    AttachmentAction {
        /// The attachment action.
        action: Uuid,
    },
    /// A Locus changed; its sequence number already counts the change.
    Locus {
        /// The locus.
        locus: Uuid,
        /// What changed.
        change: LocusChange,
        /// The person the change is about (the joiner, the one who left),
        /// who gets a full DTO rather than a delta.
        subject: Option<Uuid>,
        /// People who must get this change although they are no longer
        /// in the meeting (the one who just left, everyone at the end).
        also: Vec<Uuid>,
    },
    /// A simulated room device (a Lyra space) changed: pairing, bindings
    /// or audio.
    PairedDevice {
        /// The device.
        device: Uuid,
        /// People who must hear of it although they are not paired with it
        /// (anymore): the one who just left.
        also: Vec<Uuid>,
    },
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
