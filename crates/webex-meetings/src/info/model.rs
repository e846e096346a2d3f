//! The meeting info answer: the fields the SDK reads, typed; everything else kept.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The permission token of a meeting: a credential, so its `Debug` shows only its claims'
/// expiry, never the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PermissionToken(String);

impl PermissionToken {
    /// The token, to send where it belongs (the join does).
    #[must_use]
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PermissionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let exp = super::decode_permission_token(&self.0)
            .ok()
            .and_then(|c| c.exp);
        f.debug_struct("PermissionToken")
            .field("exp", &exp)
            .finish_non_exhaustive()
    }
}

/// What meeting info says about a meeting (the fields the JS SDK reads; all optional
/// because the service omits what does not apply, and an empty answer is valid).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingInfo {
    /// The meeting number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_number: Option<String>,
    /// The meeting's SIP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_url: Option<String>,
    /// The join link (the `loci/call` invitee address when the meeting has no Locus yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_join_url: Option<String>,
    /// The meeting's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_name: Option<String>,
    /// The owner's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The host's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    /// Whether this is a personal meeting room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_pmr: Option<bool>,
    /// A personal room's link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_ex_meeting_link: Option<String>,
    /// The Locus URL, when the meeting is active: join goes to `{locusUrl}/participant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locus_url: Option<String>,
    /// The Locus cluster to create the meeting's Locus on (hosts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locus_cluster_url: Option<String>,
    /// The conversation of a space meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_url: Option<String>,
    /// A JWT whose claims carry the user's policies in this meeting; sent with the join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_token: Option<PermissionToken>,
    /// The meeting's id (metrics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    /// Whether VoIP is allowed.
    #[serde(
        default,
        rename = "supportVoIP",
        skip_serializing_if = "Option::is_none"
    )]
    pub support_voip: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
