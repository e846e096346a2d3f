//! What each person last got of each locus over Mercury, so the next
//! change goes out as a delta against exactly that; and the `drop-deltas`
//! fault, which drops or reorders the next deltas to someone so that a
//! client has to notice the gap and sync.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Deserialize;
use uuid::Uuid;

use crate::bus::Envelope;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;

/// What the fault does to each delta it takes.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DeltaFaultMode {
    /// The delta is never sent.
    #[default]
    Drop,
    /// The delta is held back and sent after the next event to the same
    /// person.
    Reorder,
}

/// `POST /_emulator/faults` `{"locus": "drop-deltas", "count", "personId"?,
/// "mode"?}`: the next `count` Mercury locus deltas to that person (to
/// anyone without `personId`) are dropped or reordered.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocusFault {
    /// Must be `drop-deltas`.
    pub locus: String,
    /// How many deltas, 1 to 1000.
    pub count: u32,
    /// The Hydra id (or uuid) of the person whose deltas it takes.
    #[serde(default)]
    pub person_id: Option<String>,
    /// Drop (the default) or reorder.
    #[serde(default)]
    pub mode: DeltaFaultMode,
}

impl LocusFault {
    /// Whether an admin fault body is a Locus fault.
    pub(crate) fn is_one(value: &serde_json::Value) -> bool {
        value.get("locus").is_some()
    }
}

/// Checks a Locus (or media) fault's `count` (1 to 1000) and answers the
/// person its `personId` names (`None`: anyone).
pub(crate) fn fault_target(count: u32, person_id: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    if !(1..=1000).contains(&count) {
        return Err(ApiError::bad_request("count must be between 1 and 1000."));
    }
    person_id
        .map(|id| {
            ids::decode_uuid(id, HydraType::People)
                .ok_or_else(|| ApiError::bad_request("personId is not a person id."))
        })
        .transpose()
}

/// An armed fault.
#[derive(Clone, Copy, Debug)]
struct Armed {
    person: Option<Uuid>,
    remaining: u32,
    mode: DeltaFaultMode,
}

/// The state behind the lock.
#[derive(Default)]
struct State {
    /// (locus, person) → the sequence of the last DTO pushed.
    last: HashMap<(Uuid, Uuid), u64>,
    /// Faults, oldest first.
    faults: Vec<Armed>,
    /// A delta held back per person, sent after their next event.
    held: HashMap<Uuid, Envelope>,
}

/// What was pushed to whom; its own lock, taken inside the data lock.
#[derive(Default)]
pub(crate) struct Ledger {
    state: Mutex<State>,
}

impl Ledger {
    /// The sequence `person` last got of `locus` over Mercury.
    pub(crate) fn last(&self, locus: Uuid, person: Uuid) -> Option<u64> {
        lock(&self.state).last.get(&(locus, person)).copied()
    }

    /// Records that `person` got `sequence` of `locus` (or forgets them,
    /// with `None`, once they left).
    pub(crate) fn record(&self, locus: Uuid, person: Uuid, sequence: Option<u64>) {
        let mut state = lock(&self.state);
        match sequence {
            Some(sequence) => state.last.insert((locus, person), sequence),
            None => state.last.remove(&(locus, person)),
        };
    }

    /// Forgets what everyone got, the armed faults and the deltas held
    /// back (a reset world's loci and people are gone).
    pub(crate) fn clear(&self) {
        *lock(&self.state) = State::default();
    }

    /// Arms a fault; returns the person it targets (`None` = anyone).
    pub(crate) fn add_fault(&self, fault: &LocusFault) -> Result<Option<Uuid>, ApiError> {
        if fault.locus != "drop-deltas" {
            return Err(ApiError::bad_request(
                "locus must be \"drop-deltas\" (the only Locus fault).",
            ));
        }
        let person = fault_target(fault.count, fault.person_id.as_deref())?;
        lock(&self.state).faults.push(Armed {
            person,
            remaining: fault.count,
            mode: fault.mode,
        });
        Ok(person)
    }

    /// Disarms every fault; a delta already held back still follows the
    /// next event to its person.
    pub(crate) fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }

    /// Queues `envelope` for `person` into `out`, unless a fault takes it
    /// (only deltas are taken). A delta held back earlier follows it.
    pub(crate) fn deliver(
        &self,
        person: Uuid,
        envelope: Envelope,
        delta: bool,
        out: &mut Vec<Envelope>,
    ) {
        let mut state = lock(&self.state);
        let held = state.held.remove(&person);
        let fault = if delta && held.is_none() {
            state
                .faults
                .iter_mut()
                .find(|f| f.remaining > 0 && f.person.is_none_or(|p| p == person))
        } else {
            None
        };
        match fault {
            Some(fault) => {
                fault.remaining -= 1;
                let mode = fault.mode;
                state.faults.retain(|f| f.remaining > 0);
                if mode == DeltaFaultMode::Reorder {
                    state.held.insert(person, envelope);
                }
            }
            None => {
                out.push(envelope);
                out.extend(held);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::bus::{Audience, Payload};

    fn envelope(n: u64) -> Envelope {
        Envelope {
            audience: Audience::People(Vec::new()),
            payload: Payload::Mercury {
                event_type: "locus.difference",
                data: json!(n),
            },
        }
    }

    fn fault(count: u32, mode: DeltaFaultMode) -> LocusFault {
        LocusFault {
            locus: "drop-deltas".into(),
            count,
            person_id: None,
            mode,
        }
    }

    #[test]
    fn drops_then_passes() {
        let ledger = Ledger::default();
        ledger.add_fault(&fault(1, DeltaFaultMode::Drop)).unwrap();
        let mut out = Vec::new();
        let me = Uuid::new_v4();
        ledger.deliver(me, envelope(1), false, &mut out);
        ledger.deliver(me, envelope(2), true, &mut out);
        ledger.deliver(me, envelope(3), true, &mut out);
        assert_eq!(out, [envelope(1), envelope(3)]);
    }

    #[test]
    fn cleared_faults_take_nothing() {
        let ledger = Ledger::default();
        ledger.add_fault(&fault(3, DeltaFaultMode::Drop)).unwrap();
        ledger.clear_faults();
        let mut out = Vec::new();
        ledger.deliver(Uuid::new_v4(), envelope(1), true, &mut out);
        assert_eq!(out, [envelope(1)]);
    }

    #[test]
    fn clearing_forgets_what_was_pushed_and_held() {
        let ledger = Ledger::default();
        ledger
            .add_fault(&fault(1, DeltaFaultMode::Reorder))
            .unwrap();
        let (me, locus) = (Uuid::new_v4(), Uuid::new_v4());
        let mut out = Vec::new();
        ledger.deliver(me, envelope(1), true, &mut out);
        assert!(out.is_empty(), "held back");
        ledger.record(locus, me, Some(4));
        ledger.clear();
        assert_eq!(ledger.last(locus, me), None);
        ledger.deliver(me, envelope(2), true, &mut out);
        assert_eq!(out, [envelope(2)], "the held delta went with the reset");
    }

    #[test]
    fn reorders_pairs() {
        let ledger = Ledger::default();
        ledger
            .add_fault(&fault(1, DeltaFaultMode::Reorder))
            .unwrap();
        let mut out = Vec::new();
        let me = Uuid::new_v4();
        ledger.deliver(me, envelope(1), true, &mut out);
        ledger.deliver(me, envelope(2), true, &mut out);
        assert_eq!(out, [envelope(2), envelope(1)]);
    }

    #[test]
    fn rejects_bad_faults() {
        let ledger = Ledger::default();
        assert!(ledger.add_fault(&fault(0, DeltaFaultMode::Drop)).is_err());
        let mut other = fault(1, DeltaFaultMode::Drop);
        other.locus = "nope".into();
        assert!(ledger.add_fault(&other).is_err());
        other.locus = "drop-deltas".into();
        other.person_id = Some("garbage".into());
        assert!(ledger.add_fault(&other).is_err());
    }
}
