//! What a `listen()` stream reports instead of dropping it: every item is an event or one of
//! these, and the stream goes on after each.

use crate::id::RoomId;

/// Something a `listen()` stream could not turn into an event. The stream goes on; the item
/// says what was lost, so nothing is dropped without a word.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ListenError {
    /// The stream fell behind the socket and `missed` events were skipped. A `messages`
    /// stream also backfills what it missed right after this item.
    #[error("listen: {missed} events missed by a slow consumer")]
    Lagged {
        /// How many events were skipped.
        missed: u64,
    },
    /// A frame from the socket could not be read (Mercury reported it), or Mercury reported an
    /// error kind this version does not know yet (then `id` is `None` and `reason` is Mercury's
    /// message).
    #[error("listen: unreadable event{}: {reason}", id.as_deref().map(|id| format!(" {id}")).unwrap_or_default())]
    Malformed {
        /// The frame's id, when it had one.
        id: Option<String>,
        /// Why it could not be read.
        reason: String,
    },
    /// An activity lacked what its conversion needs (a target, a person uuid, a URL whose
    /// cluster the catalog does not know, ...).
    #[error("listen: activity {activity_id} could not be converted: {reason}")]
    Conversion {
        /// The activity's id.
        activity_id: String,
        /// What was missing or wrong.
        reason: String,
    },
    /// The message a `post`/`share` activity announced could not be fetched from Hydra (for
    /// example it was deleted first).
    #[error("listen: the message of activity {activity_id} could not be fetched: {error}")]
    Fetch {
        /// The activity's id (the message's uuid).
        activity_id: String,
        /// The fetch's error.
        #[source]
        error: webex_core::Error,
    },
    /// Backfilling after a reconnect failed: listing the rooms (`room_id` is `None`) or one
    /// room's messages. What it would have recovered may be missing.
    #[error("listen: backfill of {} failed: {error}", room_id.as_ref().map_or("the room list", |r| r.as_str()))]
    Backfill {
        /// The room whose messages could not be listed; `None` for the room list.
        room_id: Option<RoomId>,
        /// The request's error.
        #[source]
        error: webex_core::Error,
    },
    /// Backfilling hit its bound (`room_id` `None`: more rooms had activity than
    /// [`BACKFILL_MAX_ROOMS`](super::BACKFILL_MAX_ROOMS); else that room had more new messages
    /// than [`BACKFILL_MAX_MESSAGES`](super::BACKFILL_MAX_MESSAGES)). The most recent ones
    /// were backfilled; older ones in between are missing.
    #[error("listen: backfill of {} stopped at its limit of {limit}", room_id.as_ref().map_or("the room list", |r| r.as_str()))]
    BackfillTruncated {
        /// The room with more messages than the limit; `None` for the room list.
        room_id: Option<RoomId>,
        /// The limit that was reached.
        limit: usize,
    },
}
