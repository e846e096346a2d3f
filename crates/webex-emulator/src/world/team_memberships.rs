//! Team memberships: the store and the team moderator rule.

use std::collections::HashMap;

use uuid::Uuid;

use super::Data;
use crate::kit::clock::Stamp;

/// A person's membership of a team.
#[derive(Clone, Debug)]
pub(crate) struct TeamMembership {
    pub(crate) person: Uuid,
    pub(crate) team: Uuid,
    pub(crate) moderator: bool,
    pub(crate) created: Stamp,
}

/// Team memberships per team, in joining order.
#[derive(Default)]
pub(crate) struct TeamMembershipStore {
    by_team: HashMap<Uuid, Vec<TeamMembership>>,
}

impl TeamMembershipStore {
    /// One membership.
    pub(crate) fn get(&self, team: Uuid, person: Uuid) -> Option<&TeamMembership> {
        self.by_team.get(&team)?.iter().find(|m| m.person == person)
    }

    /// One membership, to change it.
    pub(crate) fn get_mut(&mut self, team: Uuid, person: Uuid) -> Option<&mut TeamMembership> {
        self.by_team
            .get_mut(&team)?
            .iter_mut()
            .find(|m| m.person == person)
    }

    /// The members of a team.
    pub(crate) fn of_team(&self, team: Uuid) -> impl Iterator<Item = &TeamMembership> {
        self.by_team.get(&team).into_iter().flatten()
    }

    /// Every team membership of a person.
    pub(crate) fn of_person(&self, person: Uuid) -> impl Iterator<Item = &TeamMembership> {
        self.by_team
            .values()
            .flatten()
            .filter(move |m| m.person == person)
    }

    /// Adds a membership.
    pub(crate) fn insert(&mut self, membership: TeamMembership) {
        self.by_team
            .entry(membership.team)
            .or_default()
            .push(membership);
    }

    /// Removes one membership.
    pub(crate) fn remove(&mut self, team: Uuid, person: Uuid) {
        if let Some(members) = self.by_team.get_mut(&team) {
            members.retain(|m| m.person != person);
        }
    }

    /// Drops every membership of a team.
    pub(crate) fn remove_team(&mut self, team: Uuid) {
        self.by_team.remove(&team);
    }
}

impl Data {
    /// Whether `person` moderates `team`.
    pub(crate) fn is_team_moderator(&self, team: Uuid, person: Uuid) -> bool {
        self.team_memberships
            .get(team, person)
            .is_some_and(|m| m.moderator)
    }
}
