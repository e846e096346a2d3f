//! What a meeting event stream reports instead of an event.

/// An item of a meeting event stream that is not an event; the stream goes on after it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeetingEventError {
    /// This stream did not keep up: `missed` events were not delivered to it.
    #[error("the meeting event stream fell behind and missed {missed} events")]
    Lagged {
        /// How many.
        missed: u64,
    },
    /// Syncing with Locus failed: neither `syncUrl` nor the full DTO could be fetched. The
    /// meeting's state is no longer followed (the JS SDK removes the meeting,
    /// `LOCUS_DTO_SYNC_FAILED`).
    #[error("Locus sync failed: {reason}")]
    SyncFailed {
        /// What went wrong with the last fetch.
        reason: String,
    },
    /// A Locus DTO (a Mercury event's, or a sync answer's) could not be read and was skipped.
    #[error("malformed Locus DTO skipped: {reason}")]
    Malformed {
        /// What was wrong with it.
        reason: String,
    },
    /// The meeting's runtime was closed.
    #[error("the meeting is closed")]
    Closed,
}
