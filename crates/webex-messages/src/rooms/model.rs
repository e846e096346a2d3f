use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::id::{PersonId, RoomId, TeamId};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// Whether a room is a 1:1 space or a group space.
    pub enum RoomType {
        /// A 1:1 space (`direct`).
        Direct => "direct",
        /// A group space (`group`).
        Group => "group",
    }
}

wire_enum! {
    /// The order of `rooms` lists.
    pub enum RoomSortBy {
        /// By room id (`id`).
        Id => "id",
        /// Most recent activity first (`lastactivity`).
        LastActivity => "lastactivity",
        /// Most recently created first (`created`).
        Created => "created",
    }
}

/// A room (space), as Hydra returns it (from a get, a list, a create or an update, and in a
/// webhook's `data`). Fields Webex adds later land in `extra`; `Option` fields may be absent
/// on the wire (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Room {
    /// The room id.
    pub id: RoomId,
    /// The title everyone sees; for a direct room, the other member's name.
    pub title: String,
    /// Direct or group.
    #[serde(rename = "type")]
    pub room_type: RoomType,
    /// Whether the room is moderated.
    pub is_locked: bool,
    /// The team the room belongs to; absent for rooms outside a team.
    pub team_id: Option<TeamId>,
    /// When something last happened.
    pub last_activity: Timestamp,
    /// Who created the room.
    pub creator_id: PersonId,
    /// When the room was created.
    pub created: Timestamp,
    /// The organisation that owns the room; not in every answer (e.g. webhook `data`).
    pub owner_id: Option<String>,
    /// The room's data classification; absent unless the org classifies rooms.
    pub classification_id: Option<String>,
    /// Whether only moderators may post; not in every answer (e.g. webhook `data`).
    pub is_announcement_only: Option<bool>,
    /// Whether the room is read-only; not in every answer (e.g. webhook `data`).
    pub is_read_only: Option<bool>,
    /// Whether the room can be found and joined by anyone in the org; not in every answer
    /// (e.g. webhook `data`).
    pub is_public: Option<bool>,
    /// When the room was made public; absent for rooms that are not public.
    pub made_public: Option<Timestamp>,
    /// The description of a public room; absent when none was set.
    pub description: Option<String>,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
