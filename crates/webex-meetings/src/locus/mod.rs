//! Locus: the DTO, sequence comparison, the merged state and the sans-IO sync core
//! (`docs/protocol/locus-sync.md`).

mod dto;
mod error;
mod merge;
#[cfg(test)]
mod proptests;
pub mod sequence;
mod sync;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
pub(crate) mod testing;

pub use dto::{
    Beneficiary, ControlMeta, Controls, DisplayHints, Enabled, Floor, FullState, HandControl, Host,
    Info, Intent, LockControl, Locus, MediaShare, MuteControl, Participant, ParticipantControls,
    ParticipantDevice, ParticipantStatus, Person, ReactionsControl, RecordControl, Replaces, Role,
    RoleControl, Sequence,
};
pub use error::LocusError;
pub use merge::LocusState;
pub use sync::{
    BLOCKED_SYNC_DELAY, BLOCKED_SYNC_JITTER, FetchKind, Ignored, LocusSync, MAX_BLOCKED_DELTAS,
    SyncFetch, SyncOutput, SyncStatus,
};
