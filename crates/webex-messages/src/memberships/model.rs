use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::id::{MembershipId, OrganizationId, PersonId, RoomId};
use crate::rooms::RoomType;

/// A person's membership in a room, as Hydra returns it (from a get, a list, a create or an
/// update, and in a webhook's `data`). Fields Webex adds later land in `extra`; `Option`
/// fields may be absent on the wire (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Membership {
    /// The membership id.
    pub id: MembershipId,
    /// The room.
    pub room_id: RoomId,
    /// The member.
    pub person_id: PersonId,
    /// The member's e-mail address.
    pub person_email: String,
    /// The member's name; absent when Webex has none for the member.
    pub person_display_name: Option<String>,
    /// The member's organisation; absent when Webex has none for the member.
    pub person_org_id: Option<OrganizationId>,
    /// Whether the member moderates the room.
    pub is_moderator: bool,
    /// Deprecated: whether the member monitors the room.
    pub is_monitor: bool,
    /// Whether the member hid the (direct) room from their list; not in every answer.
    pub is_room_hidden: Option<bool>,
    /// Direct or group; not in every answer.
    pub room_type: Option<RoomType>,
    /// When the member joined.
    pub created: Timestamp,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
