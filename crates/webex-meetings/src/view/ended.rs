//! When Locus says the meeting is over for this client (the JS SDK's `isMeetingActive`).

use super::ParticipantState;
use crate::locus::{Locus, Participant};

/// Why the meeting is over for this client (the JS SDK's removal reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// A meeting whose `fullState.state` is `INACTIVE` or `TERMINATING`.
    InactiveOrTerminating,
    /// `fullState.removed`.
    FullStateRemoved,
    /// `self.removed`.
    SelfRemoved,
    /// A 1:1 call whose `fullState.state` is `INACTIVE`.
    CallInactive,
    /// A 1:1 call the other side left.
    PartnerLeft,
    /// A 1:1 call this client left.
    SelfLeft,
}

/// The reason the meeting is over, if it is.
pub(crate) fn end_reason(locus: &Locus) -> Option<EndReason> {
    let full = locus.full_state.as_ref()?;
    let state = full.state.as_deref();
    let me = locus.self_.as_ref();
    match full.r#type.as_deref() {
        Some("MEETING") => {
            if matches!(state, Some("INACTIVE" | "TERMINATING")) {
                Some(EndReason::InactiveOrTerminating)
            } else if full.removed == Some(true) {
                Some(EndReason::FullStateRemoved)
            } else if me.is_some_and(|me| me.removed == Some(true)) {
                Some(EndReason::SelfRemoved)
            } else {
                None
            }
        }
        Some("CALL" | "SIP_BRIDGE") => {
            if state == Some("INACTIVE") {
                return Some(EndReason::CallInactive);
            }
            let partner_state = partner(&locus.participants, me?)?.state.as_deref();
            let self_state = me?.state.as_deref();
            if partner_state == Some("LEFT")
                && matches!(self_state, Some("DECLINED" | "NOTIFIED" | "JOINED"))
            {
                Some(EndReason::PartnerLeft)
            } else if self_state == Some("LEFT")
                && matches!(
                    partner_state,
                    Some("LEFT" | "DECLINED" | "NOTIFIED" | "IDLE")
                )
            {
                Some(EndReason::SelfLeft)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The state of the other side of a 1:1 call; `None` for a meeting.
pub(crate) fn partner_state(locus: &Locus) -> Option<ParticipantState> {
    let full = locus.full_state.as_ref()?;
    if !matches!(full.r#type.as_deref(), Some("CALL" | "SIP_BRIDGE")) {
        return None;
    }
    let state = partner(&locus.participants, locus.self_.as_ref()?)?
        .state
        .as_deref()?;
    Some(ParticipantState::parse(state))
}

/// The other side of a 1:1 call: another identity (with more than two participants, the
/// first user not removed).
fn partner<'a>(participants: &'a [Participant], me: &Participant) -> Option<&'a Participant> {
    participants.iter().find(|p| {
        p.identity != me.identity
            && (participants.len() <= 2
                || (p.r#type.as_deref() == Some("USER") && p.removed != Some(true)))
    })
}
