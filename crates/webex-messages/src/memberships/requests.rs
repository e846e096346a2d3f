use serde::Serialize;
use webex_core::http::Request;
use webex_core::{Page, Result};

use super::Membership;
use crate::client::{
    Hydra, get_request, hydra, invalid, remove_request, request_future, require, require_opt,
};
use crate::id::{MembershipId, PersonId, RoomId};
use crate::member::NewMember;

get_request!(
    /// `GET memberships/{id}`: one membership.
    GetMembership, MembershipId, Membership, "memberships"
);

remove_request!(
    /// `DELETE memberships/{id}`: removes a person from a room.
    RemoveMembership, MembershipId, "memberships"
);

/// The body of a membership create.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    room_id: RoomId,
    #[serde(flatten)]
    member: NewMember,
}

/// `POST memberships`: adds a person, by id or by e-mail, to a room.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateMembership {
    hydra: Hydra,
    body: CreateBody,
}

impl CreateMembership {
    pub(crate) fn new(hydra: Hydra, room_id: RoomId) -> Self {
        Self {
            hydra,
            body: CreateBody {
                room_id,
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

    /// Makes the person a moderator.
    pub fn is_moderator(mut self, moderator: bool) -> Self {
        self.body.member.is_moderator(moderator);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty room id, or without exactly one of person id and e-mail;
    /// HTTP errors.
    pub async fn send(self) -> Result<Membership> {
        let body = &self.body;
        require("the room id", body.room_id.as_str())?;
        body.member.check("membership")?;
        let req = Request::post(hydra("memberships", None)).json(body)?;
        self.hydra.json(req).await
    }
}

request_future!(CreateMembership => Membership);

/// `GET memberships`: memberships by room, person or e-mail, a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListMemberships {
    hydra: Hydra,
    room_id: Option<RoomId>,
    person_id: Option<PersonId>,
    person_email: Option<String>,
    max: Option<u32>,
}

impl ListMemberships {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self {
            hydra,
            room_id: None,
            person_id: None,
            person_email: None,
            max: None,
        }
    }

    /// Only this room's members.
    pub fn room_id(mut self, room_id: impl Into<RoomId>) -> Self {
        self.room_id = Some(room_id.into());
        self
    }

    /// Only this person's memberships (with a room: theirs in that room).
    pub fn person_id(mut self, person_id: impl Into<PersonId>) -> Self {
        self.person_id = Some(person_id.into());
        self
    }

    /// Only the memberships of the person with this e-mail address.
    pub fn person_email(mut self, email: impl Into<String>) -> Self {
        self.person_email = Some(email.into());
        self
    }

    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for empty filters; HTTP errors.
    pub async fn send(self) -> Result<Page<Membership>> {
        require_opt("the room id", self.room_id.as_ref().map(|id| id.as_str()))?;
        require_opt(
            "the person id",
            self.person_id.as_ref().map(|id| id.as_str()),
        )?;
        require_opt("the e-mail address", self.person_email.as_deref())?;
        let req = Request::get(hydra("memberships", None))
            .query_opt("roomId", self.room_id)
            .query_opt("personId", self.person_id)
            .query_opt("personEmail", self.person_email)
            .query_opt("max", self.max);
        self.hydra.page(req).await
    }
}

request_future!(ListMemberships => Page<Membership>);

/// The body of a membership update.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_moderator: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_room_hidden: Option<bool>,
}

/// `PUT memberships/{id}`: makes a member moderator, or hides a direct room.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateMembership {
    hydra: Hydra,
    id: MembershipId,
    body: UpdateBody,
}

impl UpdateMembership {
    pub(crate) fn new(hydra: Hydra, id: MembershipId) -> Self {
        Self {
            hydra,
            id,
            body: UpdateBody::default(),
        }
    }

    /// Makes the member a moderator, or not.
    pub fn is_moderator(mut self, moderator: bool) -> Self {
        self.body.is_moderator = Some(moderator);
        self
    }

    /// Hides the room from the member's list, or shows it again.
    pub fn is_room_hidden(mut self, hidden: bool) -> Self {
        self.body.is_room_hidden = Some(hidden);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty id or an update that changes nothing; HTTP errors.
    pub async fn send(self) -> Result<Membership> {
        require("the membership id", self.id.as_str())?;
        if self.body.is_moderator.is_none() && self.body.is_room_hidden.is_none() {
            return Err(invalid(
                "a membership update needs is_moderator or is_room_hidden",
            ));
        }
        let req = Request::put(hydra("memberships", Some(self.id.as_str()))).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(UpdateMembership => Membership);
