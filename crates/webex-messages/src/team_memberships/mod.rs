//! Team memberships: `webex.team_memberships()`.

mod requests;

pub use requests::{
    CreateTeamMembership, GetTeamMembership, ListTeamMemberships, RemoveTeamMembership,
    UpdateTeamMembership,
};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::client::Hydra;
use crate::id::{OrganizationId, PersonId, TeamId, TeamMembershipId};

/// A person's membership in a team, as Hydra returns it (from a get, a list, a create or an
/// update). Fields Webex adds later land in `extra`; `Option` fields may be absent on the
/// wire (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TeamMembership {
    /// The team membership id.
    pub id: TeamMembershipId,
    /// The team.
    pub team_id: TeamId,
    /// The member.
    pub person_id: PersonId,
    /// The member's e-mail address.
    pub person_email: String,
    /// The member's name; absent when Webex has none for the member.
    pub person_display_name: Option<String>,
    /// The member's organisation; absent when Webex has none for the member.
    pub person_org_id: Option<OrganizationId>,
    /// Whether the member moderates the team.
    pub is_moderator: bool,
    /// When the member joined.
    pub created: Timestamp,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The team memberships API; from
/// [`MessagesExt::team_memberships`](crate::MessagesExt::team_memberships).
#[derive(Debug, Clone)]
pub struct TeamMemberships {
    hydra: Hydra,
}

impl TeamMemberships {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Adds a person to `team_id`; set `person_id` or `person_email`, then await it.
    pub fn create(&self, team_id: impl Into<TeamId>) -> CreateTeamMembership {
        CreateTeamMembership::new(self.hydra.clone(), team_id.into())
    }

    /// One team membership.
    pub fn get(&self, id: impl Into<TeamMembershipId>) -> GetTeamMembership {
        GetTeamMembership::new(self.hydra.clone(), id.into())
    }

    /// A team's memberships, a page at a time.
    pub fn list(&self, team_id: impl Into<TeamId>) -> ListTeamMemberships {
        ListTeamMemberships::new(self.hydra.clone(), team_id.into())
    }

    /// Makes a member a moderator of the team, or not.
    pub fn update(
        &self,
        id: impl Into<TeamMembershipId>,
        is_moderator: bool,
    ) -> UpdateTeamMembership {
        UpdateTeamMembership::new(self.hydra.clone(), id.into(), is_moderator)
    }

    /// Removes a person from a team.
    pub fn remove(&self, id: impl Into<TeamMembershipId>) -> RemoveTeamMembership {
        RemoveTeamMembership::new(self.hydra.clone(), id.into())
    }
}
