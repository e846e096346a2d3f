use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::id::{MembershipId, OrganizationId, PersonId, RoomId};
use crate::rooms::RoomType;

/// A person's membership in a room, as Hydra returns it. Fields Webex adds later land in
/// `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Membership {
    /// The membership id.
    pub id: MembershipId,
    /// The room.
    pub room_id: Option<RoomId>,
    /// The member.
    pub person_id: Option<PersonId>,
    /// The member's e-mail address.
    pub person_email: Option<String>,
    /// The member's name.
    pub person_display_name: Option<String>,
    /// The member's organisation.
    pub person_org_id: Option<OrganizationId>,
    /// Whether the member moderates the room.
    pub is_moderator: Option<bool>,
    /// Deprecated: whether the member monitors the room.
    pub is_monitor: Option<bool>,
    /// Whether the member hid the (direct) room from their list.
    pub is_room_hidden: Option<bool>,
    /// Direct or group.
    pub room_type: Option<RoomType>,
    /// When the member joined (ISO 8601).
    pub created: Option<String>,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
