//! The meeting's finite state machine (`docs/protocol/locus-sync.md`, *The meeting state
//! machine*): what the client did (join, leave, decline) and how the other side answered a
//! call; driven by the meeting's actions, not by Locus.

/// A state of the meeting state machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FsmState {
    /// Created, nothing done yet.
    #[default]
    Idle,
    /// Joining, or an incoming call ringing.
    Ringing,
    /// Joined.
    Joined,
    /// A 1:1 call the other side answered.
    Answered,
    /// A 1:1 call the other side declined.
    Declined,
    /// Left, ended or declined.
    Ended,
    /// A step failed.
    Error,
}

/// A transition of the meeting state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FsmTransition {
    /// Joining starts (`JOIN`) or an incoming call rings (`INCOMING`).
    Ring,
    /// Locus accepted the join.
    Join,
    /// The other side of a 1:1 call answered.
    RemoteAnswered,
    /// The other side of a 1:1 call declined.
    RemoteDeclined,
    /// The other side of a 1:1 call neither answered nor declined.
    RemoteNone,
    /// This client left.
    Leave,
    /// The meeting was ended for all.
    End,
    /// This client declined an incoming call.
    Decline,
    /// A step failed.
    Fail,
    /// Back to the start (a join after the meeting ended).
    Reset,
}

/// A transition not allowed from the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("meeting state machine: {transition:?} is not allowed in state {from:?}")]
pub struct FsmError {
    /// The state it was tried in.
    pub from: FsmState,
    /// The transition tried.
    pub transition: FsmTransition,
}

impl FsmState {
    /// The state after `transition`, or why it is not allowed.
    pub fn next(self, transition: FsmTransition) -> Result<FsmState, FsmError> {
        use FsmState as S;
        use FsmTransition as T;
        let to = match (transition, self) {
            (T::Ring, S::Idle | S::Error | S::Joined) => S::Ringing,
            (T::Join, S::Idle | S::Ringing | S::Joined | S::Error) => S::Joined,
            (T::RemoteAnswered, S::Joined | S::Error) => S::Answered,
            (T::RemoteDeclined, S::Joined | S::Error) => S::Declined,
            (T::RemoteNone, S::Joined | S::Error) => S::Error,
            (
                T::Leave | T::End,
                S::Idle | S::Ringing | S::Joined | S::Answered | S::Declined | S::Error,
            ) => S::Ended,
            (T::Decline, S::Ringing | S::Error) => S::Ended,
            (T::Fail, _) => S::Error,
            (T::Reset, _) => S::Idle,
            _ => {
                return Err(FsmError {
                    from: self,
                    transition,
                });
            }
        };
        Ok(to)
    }
}

/// How the other side of a 1:1 call answered, seen in two views: it joined
/// ([`FsmTransition::RemoteAnswered`]) or declined ([`FsmTransition::RemoteDeclined`]) since
/// the previous one (the JS SDK's `REMOTE_RESPONSE` on `participant_joined` and
/// `participant_declined`).
pub(crate) fn remote_response(
    previous: Option<&super::ParticipantState>,
    current: Option<&super::ParticipantState>,
) -> Option<FsmTransition> {
    use super::ParticipantState as P;
    match current {
        Some(P::Joined) if previous != Some(&P::Joined) => Some(FsmTransition::RemoteAnswered),
        Some(P::Declined) if previous != Some(&P::Declined) => Some(FsmTransition::RemoteDeclined),
        _ => None,
    }
}
