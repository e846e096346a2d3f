//! Room memberships: the store, the Hydra JSON and the `memberships`
//! routes.
//!
//! A membership's id is `MEMBERSHIP` with `<personUuid>:<roomUuid>`, the
//! form the JS SDK builds itself from events.

mod handlers;

use std::collections::HashMap;
use std::time::SystemTime;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::events::{Change, EventKind, Resource};
use crate::kit::clock::{self, Stamp};
use crate::kit::ids::{self, HydraType};
use crate::mercury::activity::MemberChange;
use crate::rooms::RoomKind;
use crate::state::Data;

pub(crate) use handlers::routes;

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

    fn insert(&mut self, membership: Membership) {
        self.by_room
            .entry(membership.room)
            .or_default()
            .push(membership);
    }

    /// Removes one membership; returns it.
    pub(crate) fn remove(&mut self, room: Uuid, person: Uuid) -> Option<Membership> {
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
    }

    /// The Hydra JSON of a membership.
    pub(crate) fn membership_json(&self, membership: &Membership) -> Value {
        let person = self.people.get(membership.person);
        let room_type = self
            .rooms
            .get(membership.room)
            .map_or(RoomKind::Group, |room| room.kind);
        json!({
            "id": ids::pair_id(HydraType::Membership, membership.person, membership.room),
            "roomId": ids::uuid_id(HydraType::Room, membership.room),
            "personId": ids::person_id(membership.person),
            "personEmail": person.map(|p| p.email.clone()).unwrap_or_default(),
            "personDisplayName": person.map(|p| p.display_name.clone()).unwrap_or_default(),
            "personOrgId": self.org_id,
            "isModerator": membership.moderator,
            "isMonitor": false,
            "isRoomHidden": membership.hidden,
            "roomType": room_type.as_str(),
            "created": clock::rfc3339_millis(membership.created.time),
        })
    }

    /// Records a membership event, seen by the room's members and by the
    /// member themselves (who may just have left): for webhooks, and for
    /// Mercury as `add` (created) or `leave` (deleted); updates push their
    /// own verbs. Call it while the membership still exists.
    pub(crate) fn emit_membership(
        &mut self,
        room: Uuid,
        person: Uuid,
        event: EventKind,
        actor: Uuid,
    ) {
        self.membership_change(room, person, event, actor);
        let change = match event {
            EventKind::Created => MemberChange::Add,
            EventKind::Deleted => MemberChange::Leave,
            EventKind::Updated => return,
        };
        self.push_membership(room, person, change, actor);
    }

    /// Records a membership event for webhooks only (new rooms: Mercury's
    /// `create` activity lists the first members itself).
    pub(crate) fn membership_change(
        &mut self,
        room: Uuid,
        person: Uuid,
        event: EventKind,
        actor: Uuid,
    ) {
        let Some(membership) = self.memberships.get(room, person) else {
            return;
        };
        let json = self.membership_json(membership);
        let audience = self
            .memberships
            .of_room(room)
            .map(|m| (m.person, json.clone()))
            .collect();
        self.outbox.push(Change {
            resource: Resource::Memberships,
            event,
            actor,
            audience,
        });
    }

    /// Sets a membership's moderator flag, recording the event when it
    /// changes.
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
            let change = if value {
                MemberChange::AssignModerator
            } else {
                MemberChange::UnassignModerator
            };
            self.push_membership(room, person, change, actor);
        }
    }
}
