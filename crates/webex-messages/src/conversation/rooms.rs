use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use url::Url;
use webex_core::http::{Request, Target};
use webex_core::{Error, ErrorKind, Result};

use super::wire::{Conversation, ConversationList};
use super::{CONVERSATION, ConversationRef, hydra_cluster, join, read_query};
use crate::Timestamp;
use crate::client::{Hydra, invalid, request_future};
use crate::id::RoomId;
use crate::rooms::RoomType;

/// The JS SDK's value for a room the caller never read (`1970-01-01T00:00:00.000Z`).
const NEVER_SEEN: Timestamp = Timestamp::UNIX_EPOCH;

/// How many conversations a list fetches when no `max_recent` is given.
const ALL_LIMIT: usize = 1000;

/// The largest `max_recent` the service supports.
const MAX_RECENT: usize = 100;

/// With `max_recent`, only rooms active in this window are listed.
const RECENT_WINDOW: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// A room with its read status: unread when `last_activity_date > last_seen_activity_date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoomReadStatus {
    /// The room id, in the room's cluster.
    pub id: RoomId,
    /// Direct or group.
    #[serde(rename = "type")]
    pub room_type: RoomType,
    /// The title (the computed one for rooms without a title); not guaranteed.
    pub title: Option<String>,
    /// When the last readable activity happened.
    pub last_activity_date: Option<Timestamp>,
    /// When the caller last read the room; `1970-01-01T00:00:00.000Z` if never.
    pub last_seen_activity_date: Timestamp,
}

impl RoomReadStatus {
    fn from_conversation(conversation: Conversation, cluster: &str) -> Result<Self> {
        let uuid = conversation.id.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidResponse,
                "a conversation without an id in a read-status answer",
            )
        })?;
        Ok(Self {
            id: RoomId::encode(cluster, uuid),
            room_type: conversation.room_type(),
            // The JS SDK reads only `displayName`, losing the computed title it asked for.
            title: conversation
                .display_name
                .clone()
                .or(conversation.computed_title.clone()),
            last_activity_date: conversation
                .last_readable_activity_date
                .or(conversation.last_relevant_activity_date),
            last_seen_activity_date: conversation.last_seen_activity_date.unwrap_or(NEVER_SEEN),
        })
    }
}

/// `GET {conversation of the room's cluster}/conversations/{uuid}`: one room's read status.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct GetRoomWithReadStatus {
    hydra: Hydra,
    room_id: RoomId,
}

impl GetRoomWithReadStatus {
    pub(crate) fn new(hydra: Hydra, room_id: RoomId) -> Self {
        Self { hydra, room_id }
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty or non-room id; `UnknownService` when the catalog has no
    /// conversation service for the room's cluster; HTTP errors.
    pub async fn send(self) -> Result<RoomReadStatus> {
        let conversation = ConversationRef::resolve(&self.hydra, &self.room_id)?;
        let req = read_query(Request::get(Target::Url(conversation.url)))
            .query("includeConvWithDeletedUserUUID", "false")
            .query("includeParticipants", "false")
            .query("computeTitleIfEmpty", "true");
        let mut found: Conversation = self.hydra.json(req).await?;
        found
            .id
            .get_or_insert_with(|| conversation.uuid.to_string());
        RoomReadStatus::from_conversation(found, &conversation.cluster)
    }
}

request_future!(GetRoomWithReadStatus => RoomReadStatus);

/// `GET {conversation}/conversations`: every room of the caller (up to 1000) with its read
/// status, most recent activity first. Not paginated.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListRoomsWithReadStatus {
    hydra: Hydra,
    max_recent: usize,
}

impl ListRoomsWithReadStatus {
    pub(crate) fn new(hydra: Hydra, max_recent: usize) -> Self {
        Self { hydra, max_recent }
    }

    /// Sends the request, and the follow-ups to other clusters the service names.
    ///
    /// # Errors
    /// `InvalidInput` for `max_recent` over 100; `InvalidResponse` for a conversation whose
    /// cluster the catalog does not know; HTTP errors.
    pub async fn send(self) -> Result<Vec<RoomReadStatus>> {
        if self.max_recent > MAX_RECENT {
            return Err(invalid(format!(
                "max_recent must be between 0 and {MAX_RECENT}, not {}",
                self.max_recent
            )));
        }
        let limit = if self.max_recent == 0 {
            ALL_LIMIT
        } else {
            self.max_recent
        };
        let first: ConversationList = self
            .hydra
            .json(self.list_request(Target::service(CONVERSATION, "conversations"), limit))
            .await?;
        let mut conversations = first.items;
        // Other clusters share what is left of the limit, in the order the service gave.
        for base in first.additional_urls {
            let remaining = limit.saturating_sub(conversations.len());
            if remaining == 0 {
                break;
            }
            let url = Url::parse(&base)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidResponse,
                        format!("additional conversation URL `{base}` is not a URL: {e}"),
                    )
                })
                .and_then(|base| join(&base, "conversations"))?;
            let more: ConversationList = self
                .hydra
                .json(self.list_request(Target::Url(url), remaining))
                .await?;
            conversations.extend(more.items);
        }
        let mut rooms = conversations
            .into_iter()
            .map(|conversation| {
                let url = conversation.url.as_deref().and_then(|u| Url::parse(u).ok());
                let url = url.ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidResponse,
                        "a conversation without a URL: its cluster is unknown",
                    )
                })?;
                let cluster = hydra_cluster(&self.hydra, &url)?;
                RoomReadStatus::from_conversation(conversation, &cluster)
            })
            .collect::<Result<Vec<_>>>()?;
        // Most recent first; rooms without activity (`None`) go last.
        rooms.sort_by_key(|room| std::cmp::Reverse(room.last_activity_date));
        Ok(rooms)
    }

    fn list_request(&self, target: Target, limit: usize) -> Request {
        let req = read_query(Request::get(target))
            .query("participantsLimit", "0")
            .query("computeTitleIfEmpty", "true")
            .query("conversationsLimit", limit)
            .query("isActive", "true");
        if self.max_recent == 0 {
            return req;
        }
        let since = SystemTime::now()
            .checked_sub(RECENT_WINDOW)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis());
        req.query("sinceDate", since)
    }
}

request_future!(ListRoomsWithReadStatus => Vec<RoomReadStatus>);
