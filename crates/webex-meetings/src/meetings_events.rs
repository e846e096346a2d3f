//! The plugin's own events (`meetings:*` and `meeting:added|removed` in the JS SDK), as a
//! `Stream` of `Result`s like `listen()`: a subscriber that falls behind is told how many
//! it missed.

use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::sync::broadcast;

use crate::meeting::Meeting;
use crate::view::EndReason;

/// How many events a slow subscriber may fall behind before it misses some.
pub(crate) const EVENT_BUFFER: usize = 256;

/// Why a meeting entered the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddedKind {
    /// `create()` made it.
    Created,
    /// Locus told of a meeting this device is joining.
    Join,
    /// Locus told of a meeting someone invites this user to (a call ringing).
    Incoming,
}

/// Why a meeting left the collection (the JS SDK's `MEETING_REMOVED_REASON`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RemovedReason {
    /// Locus removed this user from the meeting.
    SelfRemoved,
    /// The meeting ended on Locus (`fullState` inactive or terminating).
    MeetingInactiveTerminating,
    /// Locus removed the meeting (`fullState.removed`).
    FullStateRemoved,
    /// A call ended (`CALL_INACTIVE`).
    CallInactive,
    /// The other party of a call left.
    PartnerLeft,
    /// We left a call.
    SelfLeft,
    /// The user left.
    ClientLeaveRequest,
    /// `sync_meetings()` did not find it on Locus any more.
    NoMeetingsToSync,
    /// Locus could not be kept in sync with it.
    LocusDtoSyncFailed,
    /// The user unregistered.
    Unregistered,
}

impl From<EndReason> for RemovedReason {
    fn from(reason: EndReason) -> Self {
        match reason {
            EndReason::InactiveOrTerminating => Self::MeetingInactiveTerminating,
            EndReason::FullStateRemoved => Self::FullStateRemoved,
            EndReason::SelfRemoved => Self::SelfRemoved,
            EndReason::CallInactive => Self::CallInactive,
            EndReason::PartnerLeft => Self::PartnerLeft,
            EndReason::SelfLeft => Self::SelfLeft,
        }
    }
}

/// Something that happened to the meetings of this client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MeetingsEvent {
    /// `register()` finished.
    Registered,
    /// `unregister()` finished.
    Unregistered,
    /// A meeting entered the collection.
    Added {
        /// The meeting.
        meeting: Meeting,
        /// Why.
        kind: AddedKind,
    },
    /// A meeting left the collection.
    Removed {
        /// The meeting's id.
        meeting_id: String,
        /// Why.
        reason: RemovedReason,
    },
}

/// An item of the events stream that is not an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingsEventError {
    /// This subscriber fell behind and missed `missed` events.
    #[error("missed {missed} meetings events (the subscriber fell behind)")]
    Lagged {
        /// How many.
        missed: u64,
    },
}

/// The stream of a receiver.
pub(crate) fn stream(
    receiver: broadcast::Receiver<MeetingsEvent>,
) -> BoxStream<'static, Result<MeetingsEvent, MeetingsEventError>> {
    futures::stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(event) => Some((Ok(event), receiver)),
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                Some((Err(MeetingsEventError::Lagged { missed }), receiver))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    })
    .boxed()
}
