use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::id::{OrganizationId, PersonId, WebhookId};
use crate::wire_enum::wire_enum;

wire_enum! {
    /// What a webhook watches.
    pub enum WebhookResource {
        /// Messages (`messages`).
        Messages => "messages",
        /// Room memberships (`memberships`).
        Memberships => "memberships",
        /// Rooms (`rooms`).
        Rooms => "rooms",
        /// Card submissions (`attachmentActions`).
        AttachmentActions => "attachmentActions",
        /// Meetings (`meetings`).
        Meetings => "meetings",
        /// Recordings (`recordings`).
        Recordings => "recordings",
        /// Meeting participants (`meetingParticipants`).
        MeetingParticipants => "meetingParticipants",
        /// Meeting transcripts (`meetingTranscripts`).
        MeetingTranscripts => "meetingTranscripts",
        /// Every resource (`all`).
        All => "all",
    }
}

wire_enum! {
    /// Which changes of the resource a webhook reports.
    pub enum WebhookEventType {
        /// Created (`created`).
        Created => "created",
        /// Updated (`updated`).
        Updated => "updated",
        /// Deleted (`deleted`).
        Deleted => "deleted",
        /// A meeting started (`started`).
        Started => "started",
        /// A meeting ended (`ended`).
        Ended => "ended",
        /// Someone joined a meeting (`joined`).
        Joined => "joined",
        /// Someone left a meeting (`left`).
        Left => "left",
        /// Every event (`all`).
        All => "all",
    }
}

wire_enum! {
    /// Whether a webhook delivers.
    pub enum WebhookStatus {
        /// Delivering (`active`).
        Active => "active",
        /// Disabled, e.g. after repeated delivery failures (`inactive`).
        Inactive => "inactive",
    }
}

wire_enum! {
    /// Who a webhook (or a `listen()` event's envelope) belongs to (`ownedBy`).
    pub enum WebhookOwner {
        /// The person who created it (`creator`).
        Creator => "creator",
        /// The whole organisation (`org`).
        Org => "org",
    }
}

/// The secret a webhook signs its deliveries with. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, to sign or verify with.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

/// A webhook, as Hydra returns it (from a get, a list, a create or an update). Fields Webex
/// adds later land in `extra`; `Option` fields may be absent on the wire
/// (`docs/protocol/hydra-models.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Webhook {
    /// The webhook id.
    pub id: WebhookId,
    /// A name for people.
    pub name: String,
    /// Where deliveries are POSTed.
    pub target_url: String,
    /// What it watches.
    pub resource: WebhookResource,
    /// Which changes it reports.
    pub event: WebhookEventType,
    /// A filter such as `roomId=<id>`; absent when none was set.
    pub filter: Option<String>,
    /// The signing secret; absent when none was set.
    pub secret: Option<WebhookSecret>,
    /// Whether it delivers.
    pub status: WebhookStatus,
    /// When it was created.
    pub created: Timestamp,
    /// The owner's organisation; not among the API reference's webhook properties.
    pub org_id: Option<OrganizationId>,
    /// Who created it; kept optional like `org_id`.
    pub created_by: Option<PersonId>,
    /// The app that created it; kept optional like `org_id`.
    pub app_id: Option<String>,
    /// `creator` or `org`; kept optional like `org_id`.
    pub owned_by: Option<String>,
    /// Fields this version of the SDK does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
