//! Room memberships: the store and the changes of membership.
//!
//! A membership's id is `MEMBERSHIP` with `<personUuid>:<roomUuid>`, the
//! form the JS SDK builds itself from events.

use std::collections::HashMap;
use std::time::SystemTime;

use uuid::Uuid;

use super::Data;
use crate::bus::{Event, EventKind};
use crate::kit::clock::Stamp;
use crate::kit::ids::{self, HydraType};

/// A person's membership of a room.
#[derive(Clone, Debug)]
pub(crate) struct Membership {
    pub(crate) person: Uuid,
    pub(crate) room: Uuid,
    pub(crate) moderator: bool,
    pub(crate) hidden: bool,
    pub(crate) created: Stamp,
    /// The last message the person acknowledged, and that message's time.
    pub(crate) last_seen: Option<(Uuid, SystemTime)>,
}

/// Memberships per room, in the order people joined.
#[derive(Default)]
pub(crate) struct MembershipStore {
    by_room: HashMap<Uuid, Vec<Membership>>,
}

impl MembershipStore {
    /// The members of a room, oldest first.
    pub(crate) fn of_room(&self, room: Uuid) -> impl Iterator<Item = &Membership> {
        self.by_room.get(&room).into_iter().flatten()
    }

    /// Every membership of a person.
    pub(crate) fn of_person(&self, person: Uuid) -> impl Iterator<Item = &Membership> {
        self.by_room
            .values()
            .flatten()
            .filter(move |m| m.person == person)
    }

    /// One membership.
    pub(crate) fn get(&self, room: Uuid, person: Uuid) -> Option<&Membership> {
        self.of_room(room).find(|m| m.person == person)
    }

    /// One membership, to change it.
    pub(crate) fn get_mut(&mut self, room: Uuid, person: Uuid) -> Option<&mut Membership> {
        self.by_room
            .get_mut(&room)?
            .iter_mut()
            .find(|m| m.person == person)
    }

    /// Adds a membership as it is; through [`Data::insert_member`] or with
    /// the KMS authorization, which it does not make.
    pub(crate) fn insert(&mut self, membership: Membership) {
        self.by_room
            .entry(membership.room)
            .or_default()
            .push(membership);
    }

    /// Removes one membership; returns it. Through [`Data::remove_member`], which keeps
    /// KMS in step.
    fn remove(&mut self, room: Uuid, person: Uuid) -> Option<Membership> {
        let members = self.by_room.get_mut(&room)?;
        let index = members.iter().position(|m| m.person == person)?;
        Some(members.remove(index))
    }

    /// Removes every membership of a room.
    pub(crate) fn remove_room(&mut self, room: Uuid) {
        self.by_room.remove(&room);
    }
}

/// Parses a membership id into (person, room); `None` when it is not one.
pub(crate) fn parse_id(id: &str) -> Option<(Uuid, Uuid)> {
    ids::decode_uuid_pair(id, HydraType::Membership)
}

impl Data {
    /// Adds `person` to `room` (no check) and records the event.
    pub(crate) fn add_member(&mut self, room: Uuid, person: Uuid, moderator: bool, actor: Uuid) {
        self.insert_member(room, person, moderator);
        self.emit_membership(room, person, EventKind::Created, actor);
    }

    /// Adds `person` to `room` without recording an event.
    pub(crate) fn insert_member(&mut self, room: Uuid, person: Uuid, moderator: bool) {
        let created = self.tick();
        self.memberships.insert(Membership {
            person,
            room,
            moderator,
            hidden: false,
            created,
            last_seen: None,
        });
        self.kms.authorize_member(room, person);
    }

    /// Removes `person` from `room` (no check, no event) and their authorization on the
    /// room's KMS resource; returns the membership.
    pub(crate) fn remove_member(&mut self, room: Uuid, person: Uuid) -> Option<Membership> {
        let removed = self.memberships.remove(room, person)?;
        self.kms.deauthorize_member(room, person);
        Some(removed)
    }

    /// Publishes a membership event, seen by the room's members and by the
    /// member themselves (who may just have left). Call it while the
    /// membership still exists.
    pub(crate) fn emit_membership(
        &mut self,
        room: Uuid,
        person: Uuid,
        kind: EventKind,
        actor: Uuid,
    ) {
        self.publish_membership(room, person, kind, actor, false);
    }

    /// Publishes the membership event of a first member of a new room.
    pub(crate) fn membership_change(
        &mut self,
        room: Uuid,
        person: Uuid,
        kind: EventKind,
        actor: Uuid,
    ) {
        self.publish_membership(room, person, kind, actor, true);
    }

    fn publish_membership(
        &mut self,
        room: Uuid,
        person: Uuid,
        kind: EventKind,
        actor: Uuid,
        with_room: bool,
    ) {
        if self.memberships.get(room, person).is_none() {
            return;
        }
        let at = self.tick().time;
        self.publish(Event::Membership {
            room,
            person,
            kind,
            actor,
            with_room,
            at,
        });
    }

    /// Publishes that `person` hid `room` from their list.
    pub(crate) fn emit_room_hidden(&mut self, room: Uuid, person: Uuid) {
        let at = self.tick().time;
        self.publish(Event::RoomHidden { room, person, at });
    }

    /// Sets a membership's moderator flag, publishing the change when there
    /// is one.
    pub(crate) fn set_moderator(&mut self, room: Uuid, person: Uuid, value: bool, actor: Uuid) {
        let changed = match self.memberships.get_mut(room, person) {
            Some(membership) if membership.moderator != value => {
                membership.moderator = value;
                true
            }
            _ => false,
        };
        if changed {
            self.emit_membership(room, person, EventKind::Updated, actor);
            let at = self.tick().time;
            self.publish(Event::Moderator {
                room,
                person,
                moderator: value,
                actor,
                at,
            });
        }
    }
}
