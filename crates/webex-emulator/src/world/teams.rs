//! Teams: the store and their General rooms.
//!
//! Creating a team also creates its General room (titled like the team);
//! the creator becomes a team moderator and a member of that room. Team
//! members see every room of the team and may join it; team moderators
//! moderate every room of the team.

use std::collections::HashMap;

use uuid::Uuid;

use super::Data;
use super::team_memberships::TeamMembership;
use crate::kit::clock::Stamp;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};

/// A stored team.
#[derive(Clone, Debug)]
pub(crate) struct Team {
    pub(crate) uuid: Uuid,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) creator: Uuid,
    pub(crate) created: Stamp,
}

/// All teams.
#[derive(Default)]
pub(crate) struct TeamStore {
    teams: HashMap<Uuid, Team>,
}

impl TeamStore {
    /// The team with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Team> {
        self.teams.get(&uuid)
    }

    /// The team with this uuid, to change it.
    pub(crate) fn get_mut(&mut self, uuid: Uuid) -> Option<&mut Team> {
        self.teams.get_mut(&uuid)
    }

    /// Adds a team as it is (no member, no room).
    pub(crate) fn insert(&mut self, team: Team) {
        self.teams.insert(team.uuid, team);
    }

    /// Every team, in no particular order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Team> {
        self.teams.values()
    }

    /// Removes a team.
    pub(crate) fn remove(&mut self, uuid: Uuid) -> Option<Team> {
        self.teams.remove(&uuid)
    }
}

/// Parses a team id: 400 when it is not one.
pub(crate) fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(id, HydraType::Team)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid teamId '{id}'.")))
}

impl Data {
    /// The team, if `person` is in it: 404 for an unknown team, else 403.
    pub(crate) fn member_team(&self, uuid: Uuid, person: Uuid) -> Result<&Team, ApiError> {
        let team = self
            .teams
            .get(uuid)
            .ok_or_else(|| ApiError::not_found("Could not find a team with the provided ID."))?;
        if self.team_memberships.get(uuid, person).is_some() {
            Ok(team)
        } else {
            Err(ApiError::forbidden("You are not a member of this team."))
        }
    }

    /// Creates a team, its moderator membership and its General room.
    pub(crate) fn create_team(
        &mut self,
        creator: Uuid,
        name: &str,
        description: Option<String>,
    ) -> Uuid {
        let created = self.tick();
        let team = Team {
            uuid: Uuid::new_v4(),
            name: name.to_owned(),
            description,
            creator,
            created,
        };
        let uuid = team.uuid;
        self.teams.teams.insert(uuid, team);
        let stamp = self.tick();
        self.team_memberships.insert(TeamMembership {
            person: creator,
            team: uuid,
            moderator: true,
            created: stamp,
        });
        let general = self.create_group_room(creator, name, Some(uuid), false);
        if let Some(room) = self.rooms.get_mut(general) {
            room.is_general = true;
        }
        uuid
    }

    /// The General room of a team.
    pub(crate) fn general_room(&self, team: Uuid) -> Option<Uuid> {
        self.rooms
            .all()
            .find(|room| room.team == Some(team) && room.is_general)
            .map(|room| room.uuid)
    }
}
