use serde::Serialize;
use webex_core::http::Request;
use webex_core::{Page, Result};

use super::{Room, RoomSortBy, RoomType};
use crate::client::{Hydra, get_request, hydra, remove_request, request_future, require};
use crate::id::{RoomId, TeamId};

/// The body of a room create or update.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RoomBody {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    team_id: Option<TeamId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_locked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_announcement_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl RoomBody {
    fn new(title: String) -> Self {
        Self {
            title,
            team_id: None,
            is_locked: None,
            is_announcement_only: None,
            description: None,
        }
    }
}

/// `POST rooms`: creates a room; the caller becomes its first member.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateRoom {
    hydra: Hydra,
    body: RoomBody,
}

impl CreateRoom {
    pub(crate) fn new(hydra: Hydra, title: String) -> Self {
        Self {
            hydra,
            body: RoomBody::new(title),
        }
    }

    /// Creates the room in a team.
    pub fn team_id(mut self, team_id: impl Into<TeamId>) -> Self {
        self.body.team_id = Some(team_id.into());
        self
    }

    /// Makes the room moderated.
    pub fn is_locked(mut self, locked: bool) -> Self {
        self.body.is_locked = Some(locked);
        self
    }

    /// A description (for public rooms).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body.description = Some(description.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty title or team id; HTTP errors.
    pub async fn send(self) -> Result<Room> {
        require("the room title", &self.body.title)?;
        if let Some(team) = &self.body.team_id {
            require("the team id", team.as_str())?;
        }
        let req = Request::post(hydra("rooms", None)).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(CreateRoom => Room);

get_request!(
    /// `GET rooms/{id}`: one room.
    GetRoom, RoomId, Room, "rooms"
);

remove_request!(
    /// `DELETE rooms/{id}`: deletes a room.
    RemoveRoom, RoomId, "rooms"
);

/// `GET rooms`: the rooms the caller is in, one page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListRooms {
    hydra: Hydra,
    team_id: Option<TeamId>,
    room_type: Option<RoomType>,
    sort_by: Option<RoomSortBy>,
    max: Option<u32>,
}

impl ListRooms {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self {
            hydra,
            team_id: None,
            room_type: None,
            sort_by: None,
            max: None,
        }
    }

    /// Only rooms of this team.
    pub fn team_id(mut self, team_id: impl Into<TeamId>) -> Self {
        self.team_id = Some(team_id.into());
        self
    }

    /// Only direct or only group rooms.
    pub fn room_type(mut self, room_type: RoomType) -> Self {
        self.room_type = Some(room_type);
        self
    }

    /// The order of the list.
    pub fn sort_by(mut self, sort_by: RoomSortBy) -> Self {
        self.sort_by = Some(sort_by);
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
    /// `InvalidInput` for an empty team id; HTTP errors.
    pub async fn send(self) -> Result<Page<Room>> {
        if let Some(team) = &self.team_id {
            require("the team id", team.as_str())?;
        }
        let req = Request::get(hydra("rooms", None))
            .query_opt("teamId", self.team_id)
            .query_opt("type", self.room_type)
            .query_opt("sortBy", self.sort_by)
            .query_opt("max", self.max);
        self.hydra.page(req).await
    }
}

request_future!(ListRooms => Page<Room>);

/// `PUT rooms/{id}`: changes a room's title (required by Hydra) and settings.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateRoom {
    hydra: Hydra,
    id: RoomId,
    body: RoomBody,
}

impl UpdateRoom {
    pub(crate) fn new(hydra: Hydra, id: RoomId, title: String) -> Self {
        Self {
            hydra,
            id,
            body: RoomBody::new(title),
        }
    }

    /// Locks (moderates) or unlocks the room.
    pub fn is_locked(mut self, locked: bool) -> Self {
        self.body.is_locked = Some(locked);
        self
    }

    /// Lets only moderators post.
    pub fn is_announcement_only(mut self, announcement_only: bool) -> Self {
        self.body.is_announcement_only = Some(announcement_only);
        self
    }

    /// Moves the room into a team.
    pub fn team_id(mut self, team_id: impl Into<TeamId>) -> Self {
        self.body.team_id = Some(team_id.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty id or title; HTTP errors.
    pub async fn send(self) -> Result<Room> {
        require("the room id", self.id.as_str())?;
        require("the room title", &self.body.title)?;
        let req = Request::put(hydra("rooms", Some(self.id.as_str()))).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(UpdateRoom => Room);
