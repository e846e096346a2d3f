//! A locus: the live state of one meeting session, with the sequence
//! number every change advances and the number of the change that last
//! touched each section, so that deltas can be cut against any earlier
//! sequence.

use std::time::SystemTime;

use uuid::Uuid;

use super::controls::LocusControls;
use super::participant::{Participant, ParticipantState};
use crate::kit::error::ApiError;

/// The largest sequence number: the JS SDK compares them as JavaScript
/// numbers, exact only below 2^53.
pub(crate) const MAX_SEQUENCE: u64 = (1 << 53) - 1;

/// `fullState.state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LocusState {
    /// Someone is in it.
    Active,
    /// Ended, or everyone left.
    Inactive,
}

impl LocusState {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }
}

/// What a locus is a session of (`fullState.type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LocusKind {
    /// A scheduled or personal meeting (`MEETING`), with a meeting record.
    Meeting,
    /// A 1:1 call (`CALL`) from one person to another, without a meeting
    /// record; `address` is what the caller dialled (the callee's email).
    Call {
        /// The invitee address.
        address: String,
    },
}

impl LocusKind {
    /// The wire name.
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Self::Meeting => "MEETING",
            Self::Call { .. } => "CALL",
        }
    }

    /// Whether it is a 1:1 call.
    pub(crate) fn is_call(&self) -> bool {
        matches!(self, Self::Call { .. })
    }
}

/// The names of the two media shares every locus has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShareKind {
    /// `content`: screen share.
    Content,
    /// `whiteboard`.
    Whiteboard,
}

impl ShareKind {
    /// The wire name, also the last segment of the share's URL.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Content => "content",
            Self::Whiteboard => "whiteboard",
        }
    }

    /// Parses the share id of a URL.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [Self::Content, Self::Whiteboard]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

/// Who holds a share's floor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Floor {
    /// The participant sharing.
    pub(crate) beneficiary: Uuid,
    /// Their device.
    pub(crate) device_url: String,
    /// The participant who asked.
    pub(crate) requester: Uuid,
    /// `shareInstanceId`.
    pub(crate) share_instance: String,
    /// The whiteboard's URL, for a whiteboard share.
    pub(crate) resource_url: Option<String>,
    /// When it was granted.
    pub(crate) granted: SystemTime,
}

/// A media share and its floor.
#[derive(Clone, Debug)]
pub(crate) struct MediaShare {
    /// Which one.
    pub(crate) kind: ShareKind,
    /// The floor, while someone has it.
    pub(crate) floor: Option<Floor>,
    /// The last share instance released, for `RELEASED` floors.
    pub(crate) released: Option<(String, SystemTime)>,
}

/// The sequence numbers of the last change of each top-level section.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stamps {
    /// `info` (display hints follow the controls).
    pub(crate) info: u64,
    /// `fullState`.
    pub(crate) full_state: u64,
    /// `host`.
    pub(crate) host: u64,
    /// `controls`.
    pub(crate) controls: u64,
    /// `mediaShares`.
    pub(crate) media_shares: u64,
}

/// A locus.
#[derive(Clone, Debug)]
pub(crate) struct Locus {
    /// Its id (the last segment of its URL).
    pub(crate) id: Uuid,
    /// The number of the meeting it is a session of (empty for a call).
    pub(crate) meeting: String,
    /// Meeting or call.
    pub(crate) kind: LocusKind,
    /// `fullState.sessionId`.
    pub(crate) session: Uuid,
    /// When it was created.
    pub(crate) created: SystemTime,
    /// When its state last changed (`fullState.lastActive`).
    pub(crate) last_active: SystemTime,
    /// The first sequence number it had.
    pub(crate) first_sequence: u64,
    /// The current sequence number.
    pub(crate) sequence: u64,
    /// Active or ended.
    pub(crate) state: LocusState,
    /// The host (`host`).
    pub(crate) host: Uuid,
    /// Meeting-wide controls.
    pub(crate) controls: LocusControls,
    /// `content` and `whiteboard`.
    pub(crate) shares: [MediaShare; 2],
    /// Everyone who ever joined, in join order.
    pub(crate) participants: Vec<Participant>,
    /// When each section changed last.
    pub(crate) stamps: Stamps,
}

impl Locus {
    /// Advances the sequence for one change and returns the new number.
    ///
    /// # Errors
    ///
    /// A 409 once the sequence would reach 2^53 (a locus would need
    /// billions of changes per second for centuries to get there).
    pub(crate) fn advance(&mut self) -> Result<u64, ApiError> {
        let next = self.sequence.checked_add(1).filter(|n| *n <= MAX_SEQUENCE);
        let next = next
            .ok_or_else(|| ApiError::conflict("The meeting's sequence numbers are exhausted."))?;
        self.sequence = next;
        Ok(next)
    }

    /// The participant with `id`.
    pub(crate) fn participant(&self, id: Uuid) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The participant with `id`, to change.
    pub(crate) fn participant_mut(&mut self, id: Uuid) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }

    /// The participant of `person`, if they ever joined.
    pub(crate) fn participant_of(&self, person: Uuid) -> Option<&Participant> {
        self.participants.iter().find(|p| p.person == person)
    }

    /// How many are in the meeting (not the lobby).
    pub(crate) fn joined_count(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| p.state == ParticipantState::Joined)
            .count()
    }

    /// The share `kind`.
    pub(crate) fn share(&self, kind: ShareKind) -> &MediaShare {
        match kind {
            ShareKind::Content => &self.shares[0],
            ShareKind::Whiteboard => &self.shares[1],
        }
    }

    /// The share `kind`, to change.
    pub(crate) fn share_mut(&mut self, kind: ShareKind) -> &mut MediaShare {
        match kind {
            ShareKind::Content => &mut self.shares[0],
            ShareKind::Whiteboard => &mut self.shares[1],
        }
    }

    /// How many are in a call or being called: a call with fewer than
    /// two ends.
    pub(crate) fn parties(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| {
                matches!(
                    p.state,
                    ParticipantState::Joined | ParticipantState::Notified
                )
            })
            .count()
    }

    /// The people who get this locus's events: everyone in the meeting or
    /// its lobby.
    pub(crate) fn audience(&self) -> Vec<Uuid> {
        self.participants
            .iter()
            .filter(|p| p.present())
            .map(|p| p.person)
            .collect()
    }
}
