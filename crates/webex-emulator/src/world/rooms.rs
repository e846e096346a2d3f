//! Rooms (spaces): the store and access rules.
//!
//! Access rules, as on Webex:
//! - a room is visible to its members; rooms of a team are also visible to
//!   the team's members (who may join them);
//! - a room is *locked* (moderated) exactly when it has a moderator; in a
//!   locked room only moderators (and moderators of the room's team) change
//!   memberships, the title and the lock;
//! - direct (1:1) rooms are never created with `POST /rooms`, only by a
//!   message with `toPersonId`/`toPersonEmail`, and are reused for the pair.

use std::collections::HashMap;

use uuid::Uuid;

use super::Data;
use crate::bus::{Event, EventKind, RoomChange};
use crate::kit::clock::Stamp;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};

/// Group or direct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoomKind {
    /// A 1:1 room.
    Direct,
    /// A room with a title and any number of members.
    Group,
}

impl RoomKind {
    /// `direct` or `group`, as Hydra writes `type` and `roomType`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Group => "group",
        }
    }
}

/// A stored room.
#[derive(Clone, Debug)]
pub(crate) struct Room {
    pub(crate) uuid: Uuid,
    pub(crate) kind: RoomKind,
    /// The title of a group room; direct rooms show the other member's name.
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    pub(crate) team: Option<Uuid>,
    /// The team's General room, which cannot be deleted on its own.
    pub(crate) is_general: bool,
    pub(crate) creator: Uuid,
    pub(crate) created: Stamp,
    pub(crate) last_activity: Stamp,
    pub(crate) announcement_only: bool,
}

/// All rooms, and the direct room of each pair of people.
#[derive(Default)]
pub(crate) struct RoomStore {
    rooms: HashMap<Uuid, Room>,
    direct: HashMap<(Uuid, Uuid), Uuid>,
}

/// The key of a pair, independent of order.
fn pair(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

impl RoomStore {
    /// The room with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Room> {
        self.rooms.get(&uuid)
    }

    /// The room with this uuid, to change it.
    pub(crate) fn get_mut(&mut self, uuid: Uuid) -> Option<&mut Room> {
        self.rooms.get_mut(&uuid)
    }

    /// Every room, in no particular order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Room> {
        self.rooms.values()
    }

    /// The direct room of two people, if they have one.
    pub(crate) fn direct_between(&self, a: Uuid, b: Uuid) -> Option<Uuid> {
        self.direct.get(&pair(a, b)).copied()
    }

    /// Adds a room as it is (no member, no event).
    pub(crate) fn insert(&mut self, room: Room) {
        self.rooms.insert(room.uuid, room);
    }

    /// Records `room` as the direct room of `a` and `b`.
    pub(crate) fn insert_direct(&mut self, a: Uuid, b: Uuid, room: Uuid) {
        self.direct.insert(pair(a, b), room);
    }

    /// Removes a room; returns it.
    pub(crate) fn remove(&mut self, uuid: Uuid) -> Option<Room> {
        let room = self.rooms.remove(&uuid)?;
        self.direct.retain(|_, direct| *direct != uuid);
        Some(room)
    }
}

/// Parses a room id from a path, query or body; 400 when it is not one.
pub(crate) fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(id, HydraType::Room)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid roomId '{id}'.")))
}

/// The message for an unknown room.
fn not_found() -> ApiError {
    ApiError::not_found("Could not find a room with the provided ID.")
}

impl Data {
    /// Whether `person` is a member of `room`.
    pub(crate) fn is_member(&self, room: Uuid, person: Uuid) -> bool {
        self.memberships.get(room, person).is_some()
    }

    /// Whether `room` is locked, i.e. has a moderator.
    pub(crate) fn is_locked(&self, room: Uuid) -> bool {
        self.memberships.of_room(room).any(|m| m.moderator)
    }

    /// Whether `person` may see `room` (members, and team members for team
    /// rooms).
    pub(crate) fn can_see_room(&self, room: &Room, person: Uuid) -> bool {
        self.is_member(room.uuid, person)
            || room
                .team
                .is_some_and(|team| self.team_memberships.get(team, person).is_some())
    }

    /// Whether `person` may moderate `room`: change its title, lock and
    /// members. In an unlocked room every member may; in a locked room only
    /// its moderators and the moderators of its team.
    pub(crate) fn can_moderate(&self, room: &Room, person: Uuid) -> bool {
        if room
            .team
            .is_some_and(|team| self.is_team_moderator(team, person))
        {
            return true;
        }
        match self.memberships.get(room.uuid, person) {
            Some(membership) => membership.moderator || !self.is_locked(room.uuid),
            None => false,
        }
    }

    /// The room, if it exists and `person` may see it: 404, else 403.
    pub(crate) fn visible_room(&self, uuid: Uuid, person: Uuid) -> Result<&Room, ApiError> {
        let room = self.rooms.get(uuid).ok_or_else(not_found)?;
        if self.can_see_room(room, person) {
            Ok(room)
        } else {
            Err(ApiError::forbidden("You are not a member of this room."))
        }
    }

    /// The room, if it exists and `person` is a member: 404, else 403.
    pub(crate) fn member_room(&self, uuid: Uuid, person: Uuid) -> Result<&Room, ApiError> {
        let room = self.rooms.get(uuid).ok_or_else(not_found)?;
        if self.is_member(uuid, person) {
            Ok(room)
        } else {
            Err(ApiError::forbidden("You are not a member of this room."))
        }
    }

    /// Creates a group room; the creator becomes a member, a moderator when
    /// `locked`.
    pub(crate) fn create_group_room(
        &mut self,
        creator: Uuid,
        title: &str,
        team: Option<Uuid>,
        locked: bool,
    ) -> Uuid {
        let stamp = self.tick();
        let room = Room {
            uuid: Uuid::new_v4(),
            kind: RoomKind::Group,
            title: title.to_owned(),
            description: None,
            team,
            is_general: false,
            creator,
            created: stamp,
            last_activity: stamp,
            announcement_only: false,
        };
        let uuid = room.uuid;
        self.rooms.insert(room);
        self.insert_member(uuid, creator, locked);
        self.emit_room(uuid, EventKind::Created, creator);
        self.membership_change(uuid, creator, EventKind::Created, creator);
        uuid
    }

    /// The direct room of `from` and `to`, created (with both as members)
    /// when they have none yet.
    pub(crate) fn direct_room(&mut self, from: Uuid, to: Uuid) -> Uuid {
        if let Some(existing) = self.rooms.direct_between(from, to) {
            return existing;
        }
        let stamp = self.tick();
        let room = Room {
            uuid: Uuid::new_v4(),
            kind: RoomKind::Direct,
            title: String::new(),
            description: None,
            team: None,
            is_general: false,
            creator: from,
            created: stamp,
            last_activity: stamp,
            announcement_only: false,
        };
        let uuid = room.uuid;
        self.rooms.insert(room);
        self.rooms.direct.insert(pair(from, to), uuid);
        self.insert_member(uuid, from, false);
        self.insert_member(uuid, to, false);
        self.emit_room(uuid, EventKind::Created, from);
        self.membership_change(uuid, from, EventKind::Created, from);
        self.membership_change(uuid, to, EventKind::Created, from);
        uuid
    }

    /// The room's title as `viewer` sees it: direct rooms are named after
    /// the other member.
    pub(crate) fn room_title(&self, room: &Room, viewer: Uuid) -> String {
        if room.kind == RoomKind::Group {
            return room.title.clone();
        }
        self.memberships
            .of_room(room.uuid)
            .find(|m| m.person != viewer)
            .or_else(|| self.memberships.of_room(room.uuid).next())
            .and_then(|m| self.people.get(m.person))
            .map(|person| person.display_name.clone())
            .unwrap_or_default()
    }

    /// Publishes a room event (for a deletion: call it before the members
    /// are removed).
    pub(crate) fn emit_room(&mut self, room: Uuid, kind: EventKind, actor: Uuid) {
        self.publish(Event::Room { room, kind, actor });
    }

    /// Publishes a change of a room's settings (title, description,
    /// announcement mode, lock).
    pub(crate) fn emit_room_settings(&mut self, room: Uuid, change: RoomChange, actor: Uuid) {
        let at = self.tick().time;
        self.publish(Event::RoomSettings {
            room,
            change,
            actor,
            at,
        });
    }

    /// Marks activity in a room (a message), for `lastActivity`.
    pub(crate) fn touch_room(&mut self, uuid: Uuid, stamp: Stamp) {
        if let Some(room) = self.rooms.get_mut(uuid) {
            room.last_activity = stamp;
        }
    }

    /// Deletes a room with everything in it.
    pub(crate) fn delete_room(&mut self, uuid: Uuid, actor: Uuid) {
        self.emit_room(uuid, EventKind::Deleted, actor);
        self.memberships.remove_room(uuid);
        self.kms.forget_room(uuid);
        self.messages.remove_room(uuid, &mut self.contents);
        self.rooms.remove(uuid);
    }
}
