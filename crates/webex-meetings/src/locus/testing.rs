//! Builders of Locus DTOs for tests.

use super::{Locus, Participant, Sequence};

pub(crate) const URL: &str = "https://locus.test/locus/api/v1/loci/L1";

/// A sequence with a range.
pub(crate) fn ranged(start: u64, end: u64, entries: &[u64]) -> Sequence {
    Sequence {
        range_start: start,
        range_end: end,
        ..Sequence::of(entries.to_vec())
    }
}

/// A full DTO at sequence `[n]` with a sync URL.
pub(crate) fn full(n: u64) -> Locus {
    Locus {
        url: URL.to_owned(),
        sequence: Sequence::of([n]),
        base_sequence: None,
        sync_url: Some(sync_url(n)),
        created: None,
        full_state: None,
        info: None,
        host: None,
        controls: None,
        participants: Vec::new(),
        self_: None,
        media_shares: None,
        conversation_url: None,
        replaces: None,
        links: None,
    }
}

/// A delta from `[base]` to `[n]`.
pub(crate) fn delta(base: u64, n: u64) -> Locus {
    Locus {
        base_sequence: Some(Sequence::of([base])),
        ..full(n)
    }
}

pub(crate) fn sync_url(n: u64) -> String {
    format!("{URL}/sync?since={n}")
}

/// A participant in `state`.
pub(crate) fn participant(id: &str, state: &str) -> Participant {
    Participant {
        id: id.to_owned(),
        url: Some(format!("{URL}/participant/{id}")),
        state: Some(state.to_owned()),
        ..Participant::default()
    }
}

/// This client's device URL in tests.
pub(crate) const DEVICE: &str = "https://wdm.test/devices/me";

/// A participant with one device of `intent` (`""` for none).
pub(crate) fn with_device(mut p: Participant, device: &str, intent: &str) -> Participant {
    p.devices = vec![super::ParticipantDevice {
        url: device.to_owned(),
        state: p.state.clone(),
        correlation_id: Some(format!("corr-{}", p.id)),
        intent: Some(super::Intent {
            r#type: intent.to_owned(),
        }),
        keep_alive_url: Some(format!("{URL}/participant/{}/keepAlive", p.id)),
        keep_alive_secs: Some(20),
        ..super::ParticipantDevice::default()
    }];
    p
}

/// A person for a participant.
pub(crate) fn person(p: Participant, user: &str, name: &str) -> Participant {
    Participant {
        identity: Some(user.to_owned()),
        person: Some(super::Person {
            id: Some(user.to_owned()),
            name: Some(name.to_owned()),
            ..super::Person::default()
        }),
        ..p
    }
}
