//! The states Locus reports, as enums (an unknown value is kept as sent).

/// `fullState.state`: the meeting as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MeetingState {
    /// Being set up.
    Initializing,
    /// Running.
    Active,
    /// Ending.
    Terminating,
    /// Over.
    Inactive,
    /// A value this client does not know.
    Other(String),
}

impl MeetingState {
    pub(crate) fn parse(value: &str) -> MeetingState {
        match value {
            "INITIALIZING" => MeetingState::Initializing,
            "ACTIVE" => MeetingState::Active,
            "TERMINATING" => MeetingState::Terminating,
            "INACTIVE" => MeetingState::Inactive,
            other => MeetingState::Other(other.to_owned()),
        }
    }
}

/// A participant's `state` (also `self.state`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParticipantState {
    /// Not joined (in the lobby when its device waits).
    Idle,
    /// Invited, ringing.
    Notified,
    /// In the meeting.
    Joined,
    /// Left.
    Left,
    /// Declined the invitation.
    Declined,
    /// A value this client does not know.
    Other(String),
}

impl ParticipantState {
    pub(crate) fn parse(value: &str) -> ParticipantState {
        match value {
            "IDLE" => ParticipantState::Idle,
            "NOTIFIED" => ParticipantState::Notified,
            "JOINED" => ParticipantState::Joined,
            "LEFT" => ParticipantState::Left,
            "DECLINED" => ParticipantState::Declined,
            other => ParticipantState::Other(other.to_owned()),
        }
    }
}
