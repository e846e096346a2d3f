use serde::Serialize;
use webex_core::http::Request;
use webex_core::{Page, Result};

use super::TeamMembership;
use crate::client::{Hydra, get_request, hydra, remove_request, request_future, require};
use crate::id::{PersonId, TeamId, TeamMembershipId};
use crate::member::NewMember;

/// Hydra writes the resource with a slash.
const RESOURCE: &str = "team/memberships";

get_request!(
    /// `GET team/memberships/{id}`: one team membership.
    GetTeamMembership, TeamMembershipId, TeamMembership, RESOURCE
);

remove_request!(
    /// `DELETE team/memberships/{id}`: removes a person from a team.
    RemoveTeamMembership, TeamMembershipId, RESOURCE
);

/// The body of a team membership create.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    team_id: TeamId,
    #[serde(flatten)]
    member: NewMember,
}

/// `POST team/memberships`: adds a person, by id or by e-mail, to a team.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateTeamMembership {
    hydra: Hydra,
    body: CreateBody,
}

impl CreateTeamMembership {
    pub(crate) fn new(hydra: Hydra, team_id: TeamId) -> Self {
        Self {
            hydra,
            body: CreateBody {
                team_id,
                member: NewMember::default(),
            },
        }
    }

    /// Adds the person with this id.
    pub fn person_id(mut self, person_id: impl Into<PersonId>) -> Self {
        self.body.member.person_id(person_id.into());
        self
    }

    /// Adds the person with this e-mail address.
    pub fn person_email(mut self, email: impl Into<String>) -> Self {
        self.body.member.person_email(email.into());
        self
    }

    /// Makes the person a moderator of the team.
    pub fn is_moderator(mut self, moderator: bool) -> Self {
        self.body.member.is_moderator(moderator);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty team id, or without exactly one of person id and e-mail;
    /// HTTP errors.
    pub async fn send(self) -> Result<TeamMembership> {
        let body = &self.body;
        require("the team id", body.team_id.as_str())?;
        body.member.check("team membership")?;
        let req = Request::post(hydra(RESOURCE, None)).json(body)?;
        self.hydra.json(req).await
    }
}

request_future!(CreateTeamMembership => TeamMembership);

/// `GET team/memberships?teamId=…`: a team's memberships, a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListTeamMemberships {
    hydra: Hydra,
    team_id: TeamId,
    max: Option<u32>,
}

impl ListTeamMemberships {
    pub(crate) fn new(hydra: Hydra, team_id: TeamId) -> Self {
        Self {
            hydra,
            team_id,
            max: None,
        }
    }

    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty team id; HTTP errors.
    pub async fn send(self) -> Result<Page<TeamMembership>> {
        require("the team id", self.team_id.as_str())?;
        let req = Request::get(hydra(RESOURCE, None))
            .query("teamId", &self.team_id)
            .query_opt("max", self.max);
        self.hydra.page(req).await
    }
}

request_future!(ListTeamMemberships => Page<TeamMembership>);

/// The body of a team membership update.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    is_moderator: bool,
}

/// `PUT team/memberships/{id}`: makes a member a moderator of the team, or not.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateTeamMembership {
    hydra: Hydra,
    id: TeamMembershipId,
    body: UpdateBody,
}

impl UpdateTeamMembership {
    pub(crate) fn new(hydra: Hydra, id: TeamMembershipId, is_moderator: bool) -> Self {
        Self {
            hydra,
            id,
            body: UpdateBody { is_moderator },
        }
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty id; HTTP errors.
    pub async fn send(self) -> Result<TeamMembership> {
        require("the team membership id", self.id.as_str())?;
        let req = Request::put(hydra(RESOURCE, Some(self.id.as_str()))).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(UpdateTeamMembership => TeamMembership);
