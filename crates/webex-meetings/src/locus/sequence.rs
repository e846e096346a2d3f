//! Locus sequence comparison (`docs/protocol/locus-sync.md`, *Comparing sequences*): which of
//! two DTOs is newer, and what to do with an incoming one.
//!
//! Follows the JS SDK's parser rule by rule, including its treatment of missing values: where
//! JavaScript compares `undefined` (the first entry of an empty list), the comparison is false,
//! which is modelled here with `Option` comparisons that are false when either side is `None`.

use super::{Locus, Sequence};

/// How two sequences compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SequenceOrder {
    /// The current one is newer.
    Greater,
    /// The incoming one is newer.
    Less,
    /// They describe the same state.
    Equal,
    /// They cannot be ordered: the client is out of sync.
    Desync,
}

/// What to do with an incoming DTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Apply it: it is newer.
    UseIncoming,
    /// Ignore it: what the client has is as new or newer.
    UseCurrent,
    /// A delta whose base the client has not reached: keep it until the missing deltas arrive.
    Wait,
    /// The client is out of sync: fetch the state.
    Desync,
    /// A newer delta of another locus (moved to or from a breakout): take it and fetch the state.
    LocusUrlChanged,
}

/// What a comparison reads of a sequence (`min`/`max` as the JS SDK derives them; `None` where
/// it would read `undefined`).
struct Meta<'a> {
    start: u64,
    end: u64,
    min: Option<u64>,
    max: Option<u64>,
    entries: &'a [u64],
}

impl<'a> Meta<'a> {
    fn of(seq: &'a Sequence) -> Meta<'a> {
        let first = seq.entries.first().copied();
        let last = seq.entries.last().copied();
        Meta {
            start: seq.range_start,
            end: seq.range_end,
            // A zero start means "no range": the first entry then.
            min: if seq.range_start != 0 {
                Some(seq.range_start)
            } else {
                first
            },
            // A last entry of 0 is falsy in JS too: then the range end.
            max: match last {
                Some(n) if n != 0 => Some(n),
                _ => Some(seq.range_end),
            },
            entries: &seq.entries,
        }
    }

    fn has_range(&self) -> bool {
        self.start != 0 || self.end != 0
    }

    /// Entries not in `other`'s entries and outside its range, ascending.
    fn unique_against(&self, other: &Meta<'_>) -> Vec<u64> {
        let mut unique: Vec<u64> = self
            .entries
            .iter()
            .copied()
            .filter(|n| !other.entries.contains(n) && (*n < other.start || *n > other.end))
            .collect();
        unique.sort_unstable();
        unique
    }

    /// `end − min` as JS computes it (may be negative; `None` when `min` is missing, which
    /// compares false both ways).
    fn total_range(&self) -> Option<i128> {
        self.min.map(|min| i128::from(self.end) - i128::from(min))
    }
}

/// Compares the current sequence with an incoming one (the four rules, first match wins).
pub fn compare_sequence(current: &Sequence, incoming: &Sequence) -> SequenceOrder {
    let local = Meta::of(current);
    let delta = Meta::of(incoming);
    // 1. No overlap.
    if opt_gt(local.min, delta.max) {
        return SequenceOrder::Greater;
    }
    if opt_gt(delta.min, local.max) {
        return SequenceOrder::Less;
    }
    let local_unique = local.unique_against(&delta);
    let delta_unique = delta.unique_against(&local);
    // 2. Neither has unique entries: the larger total range is newer.
    if local_unique.is_empty() && delta_unique.is_empty() {
        let (l, d) = (local.total_range(), delta.total_range());
        return if opt_gt(l, d) {
            SequenceOrder::Greater
        } else if opt_gt(d, l) {
            SequenceOrder::Less
        } else {
            SequenceOrder::Equal
        };
    }
    // 3. Only one has unique entries: that one is newer.
    if delta_unique.is_empty() {
        return SequenceOrder::Greater;
    }
    if local_unique.is_empty() {
        return SequenceOrder::Less;
    }
    // 4. Both have: out of sync unless the ranges order them.
    let neither_has_range = !local.has_range() && !delta.has_range();
    let inside = |list: &[u64], min: Option<u64>, max: Option<u64>| {
        list.iter()
            .any(|n| opt_gt(Some(*n), min) && opt_gt(max, Some(*n)))
    };
    if neither_has_range
        || inside(&local_unique, delta.min, delta.max)
        || inside(&delta_unique, local.min, local.max)
    {
        return SequenceOrder::Desync;
    }
    if local_unique[0] > delta_unique[0] {
        SequenceOrder::Greater
    } else {
        SequenceOrder::Less
    }
}

/// `a > b`, false when either is missing (as JS compares `undefined`).
fn opt_gt<T: PartialOrd>(a: Option<T>, b: Option<T>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a > b)
}

/// A sequence comparison as an action for a full-style DTO.
fn to_action(order: SequenceOrder) -> Action {
    match order {
        SequenceOrder::Greater | SequenceOrder::Equal => Action::UseCurrent,
        SequenceOrder::Less => Action::UseIncoming,
        SequenceOrder::Desync => Action::Desync,
    }
}

/// What to do with `incoming` given the working copy's `current` (url and sequence).
pub fn compare(current_url: &str, current: &Sequence, incoming: &Locus) -> Action {
    if current.is_empty() || incoming.sequence.is_empty() {
        return Action::UseIncoming;
    }
    let order = compare_sequence(current, &incoming.sequence);
    let Some(base) = &incoming.base_sequence else {
        return to_action(order);
    };
    if order != SequenceOrder::Less {
        return to_action(order);
    }
    if incoming.url != current_url {
        return Action::LocusUrlChanged;
    }
    match compare_sequence(current, base) {
        SequenceOrder::Greater | SequenceOrder::Equal => Action::UseIncoming,
        // Locus's signal that the delta was too large for Mercury: base equals sequence.
        SequenceOrder::Less
            if compare_sequence(base, &incoming.sequence) == SequenceOrder::Equal =>
        {
            Action::Desync
        }
        SequenceOrder::Less => Action::Wait,
        SequenceOrder::Desync => Action::Desync,
    }
}

/// Whether a full DTO replaces the working copy: either sequence empty, or the incoming last
/// entry strictly greater than the current last entry.
pub fn is_new_full(current: &Sequence, incoming: &Sequence) -> bool {
    if current.is_empty() || incoming.is_empty() {
        return true;
    }
    opt_gt(incoming.entries.last(), current.entries.last())
}
