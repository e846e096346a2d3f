//! Teams: `webex.teams()`. Hydra has no team delete.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use webex_core::http::Request;
use webex_core::{Page, Result};

use crate::Timestamp;
use crate::client::{Hydra, get_request, hydra, request_future, require};
use crate::id::{PersonId, TeamId};

/// A team, as Hydra returns it (from a get, a list, a create or an update). Fields Webex adds
/// later land in `extra`; `Option` fields may be absent on the wire
/// (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Team {
    /// The team id.
    pub id: TeamId,
    /// The team's name.
    pub name: String,
    /// The team's description; absent when none was set.
    pub description: Option<String>,
    /// Who created the team; kept optional: neither SDK's checks rely on it.
    pub creator_id: Option<PersonId>,
    /// When the team was created.
    pub created: Timestamp,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The teams API; from [`MessagesExt::teams`](crate::MessagesExt::teams).
#[derive(Debug, Clone)]
pub struct Teams {
    hydra: Hydra,
}

impl Teams {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Creates a team named `name`; the caller becomes its first member.
    pub fn create(&self, name: impl Into<String>) -> CreateTeam {
        CreateTeam {
            hydra: self.hydra.clone(),
            id: None,
            body: TeamBody::new(name.into()),
        }
    }

    /// One team.
    pub fn get(&self, id: impl Into<TeamId>) -> GetTeam {
        GetTeam::new(self.hydra.clone(), id.into())
    }

    /// The caller's teams, a page at a time.
    pub fn list(&self) -> ListTeams {
        ListTeams {
            hydra: self.hydra.clone(),
            max: None,
        }
    }

    /// Renames a team (Hydra requires the name on every update).
    pub fn update(&self, id: impl Into<TeamId>, name: impl Into<String>) -> UpdateTeam {
        UpdateTeam(CreateTeam {
            hydra: self.hydra.clone(),
            id: Some(id.into()),
            body: TeamBody::new(name.into()),
        })
    }
}

/// The body of a team create or update.
#[derive(Debug, Clone, Serialize)]
struct TeamBody {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl TeamBody {
    fn new(name: String) -> Self {
        Self {
            name,
            description: None,
        }
    }
}

/// `POST teams`: creates a team.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateTeam {
    hydra: Hydra,
    /// Set for an update, which shares the body and checks.
    id: Option<TeamId>,
    body: TeamBody,
}

impl CreateTeam {
    /// The team's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body.description = Some(description.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty name; HTTP errors.
    pub async fn send(self) -> Result<Team> {
        require("the team name", &self.body.name)?;
        let req = match &self.id {
            Some(id) => {
                require("the team id", id.as_str())?;
                Request::put(hydra("teams", Some(id.as_str())))
            }
            None => Request::post(hydra("teams", None)),
        };
        self.hydra.json(req.json(&self.body)?).await
    }
}

request_future!(CreateTeam => Team);

/// `PUT teams/{id}`: renames a team.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateTeam(CreateTeam);

impl UpdateTeam {
    /// The new description.
    pub fn description(self, description: impl Into<String>) -> Self {
        Self(self.0.description(description))
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty id or name; HTTP errors.
    pub async fn send(self) -> Result<Team> {
        self.0.send().await
    }
}

request_future!(UpdateTeam => Team);

get_request!(
    /// `GET teams/{id}`: one team.
    GetTeam, TeamId, Team, "teams"
);

/// `GET teams`: the caller's teams, a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListTeams {
    hydra: Hydra,
    max: Option<u32>,
}

impl ListTeams {
    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// HTTP errors.
    pub async fn send(self) -> Result<Page<Team>> {
        let req = Request::get(hydra("teams", None)).query_opt("max", self.max);
        self.hydra.page(req).await
    }
}

request_future!(ListTeams => Page<Team>);
