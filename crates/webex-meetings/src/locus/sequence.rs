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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locus::testing::{URL, delta, full, ranged};

    use SequenceOrder::{Desync, Equal, Greater, Less};

    fn cmp(current: Sequence, incoming: Sequence) -> SequenceOrder {
        compare_sequence(&current, &incoming)
    }

    #[test]
    fn rule_1_sequences_that_do_not_overlap() {
        assert_eq!(cmp(Sequence::of([10]), Sequence::of([5])), Greater);
        assert_eq!(cmp(Sequence::of([5]), Sequence::of([10])), Less);
        // The range counts: current's range starts after incoming's last entry.
        assert_eq!(cmp(ranged(20, 30, &[31]), Sequence::of([5, 19])), Greater);
        assert_eq!(cmp(Sequence::of([5, 19]), ranged(20, 30, &[31])), Less);
    }

    #[test]
    fn rule_2_no_unique_entries_compares_total_ranges() {
        assert_eq!(cmp(Sequence::of([5]), Sequence::of([5])), Equal);
        assert_eq!(cmp(ranged(1, 5, &[6]), ranged(1, 5, &[6])), Equal);
        // Incoming's 5 lies in current's range, current's 6 is in incoming's entries.
        assert_eq!(cmp(ranged(1, 5, &[6]), ranged(1, 4, &[5, 6])), Greater);
        assert_eq!(cmp(ranged(1, 4, &[5, 6]), ranged(1, 5, &[6])), Less);
    }

    #[test]
    fn rule_3_only_one_side_has_unique_entries() {
        assert_eq!(cmp(Sequence::of([1, 2, 3]), Sequence::of([2, 3])), Greater);
        assert_eq!(cmp(Sequence::of([2, 3]), Sequence::of([2, 3, 4])), Less);
    }

    #[test]
    fn rule_4_both_unique_without_any_range_is_desync() {
        assert_eq!(cmp(Sequence::of([1, 3]), Sequence::of([2, 3])), Desync);
    }

    #[test]
    fn rule_4_a_unique_entry_inside_the_other_side_is_desync() {
        // Incoming's 8 lies strictly between current's min (1) and max (9).
        assert_eq!(cmp(ranged(1, 5, &[7, 9]), Sequence::of([8])), Desync);
        assert_eq!(cmp(Sequence::of([8]), ranged(1, 5, &[7, 9])), Desync);
    }

    #[test]
    fn rule_4_otherwise_the_smallest_unique_entries_decide() {
        assert_eq!(cmp(ranged(5, 6, &[9]), Sequence::of([1, 5])), Greater);
        assert_eq!(cmp(Sequence::of([1, 5]), ranged(5, 6, &[9])), Less);
    }

    #[test]
    fn empty_sides_compare_like_javascript_undefined() {
        // An empty sequence's min is undefined: no rule-1 decision, no unique entries, total
        // ranges not comparable: equal.
        assert_eq!(cmp(Sequence::default(), Sequence::default()), Equal);
        assert_eq!(cmp(Sequence::default(), Sequence::of([3])), Less);
        assert_eq!(cmp(Sequence::of([3]), Sequence::default()), Greater);
    }

    #[test]
    fn full_style_dtos_map_orders_to_actions() {
        let current = Sequence::of([5]);
        assert_eq!(compare(URL, &current, &full(6)), Action::UseIncoming);
        assert_eq!(compare(URL, &current, &full(5)), Action::UseCurrent);
        assert_eq!(compare(URL, &current, &full(4)), Action::UseCurrent);
        let mut desync = full(0);
        desync.sequence = Sequence::of([4, 6]);
        assert_eq!(compare(URL, &Sequence::of([3, 6]), &desync), Action::Desync);
    }

    #[test]
    fn an_empty_side_always_uses_the_incoming_dto() {
        assert_eq!(
            compare(URL, &Sequence::default(), &full(1)),
            Action::UseIncoming
        );
        let mut empty = delta(9, 10);
        empty.sequence = Sequence::default();
        assert_eq!(
            compare(URL, &Sequence::of([5]), &empty),
            Action::UseIncoming
        );
    }

    #[test]
    fn deltas_apply_on_their_base_and_wait_for_a_missing_one() {
        let current = Sequence::of([5]);
        assert_eq!(compare(URL, &current, &delta(5, 6)), Action::UseIncoming);
        // The base is older than what the client has: still newer, applied.
        assert_eq!(compare(URL, &current, &delta(4, 6)), Action::UseIncoming);
        // The base is ahead: a delta is missing.
        assert_eq!(compare(URL, &current, &delta(6, 7)), Action::Wait);
        // Duplicates and older deltas.
        assert_eq!(compare(URL, &current, &delta(4, 5)), Action::UseCurrent);
        assert_eq!(compare(URL, &current, &delta(3, 4)), Action::UseCurrent);
    }

    #[test]
    fn a_delta_whose_base_equals_its_sequence_asks_for_a_sync() {
        assert_eq!(
            compare(URL, &Sequence::of([5]), &delta(7, 7)),
            Action::Desync
        );
    }

    #[test]
    fn a_delta_out_of_sync_with_the_working_copy_asks_for_a_sync() {
        let mut incoming = delta(0, 0);
        incoming.sequence = Sequence::of([10]);
        incoming.base_sequence = Some(Sequence::of([4, 6]));
        assert_eq!(
            compare(URL, &Sequence::of([3, 6]), &incoming),
            Action::Desync
        );
        // Not newer and out of sync with the sequence itself.
        let mut incoming = delta(1, 0);
        incoming.sequence = Sequence::of([4, 6]);
        assert_eq!(
            compare(URL, &Sequence::of([3, 6]), &incoming),
            Action::Desync
        );
    }

    #[test]
    fn a_newer_delta_of_another_locus_changes_the_url() {
        let mut moved = delta(5, 6);
        moved.url = format!("{URL}-breakout");
        assert_eq!(
            compare(URL, &Sequence::of([5]), &moved),
            Action::LocusUrlChanged
        );
        // Not newer: ignored whatever its URL.
        let mut old = delta(3, 4);
        old.url = format!("{URL}-breakout");
        assert_eq!(compare(URL, &Sequence::of([5]), &old), Action::UseCurrent);
    }

    #[test]
    fn a_full_dto_is_new_only_with_a_greater_last_entry() {
        assert!(is_new_full(&Sequence::of([5]), &Sequence::of([6])));
        assert!(!is_new_full(&Sequence::of([5]), &Sequence::of([5])));
        assert!(!is_new_full(&Sequence::of([5]), &Sequence::of([1, 4])));
        assert!(is_new_full(&Sequence::default(), &Sequence::of([1])));
        assert!(is_new_full(&Sequence::of([5]), &Sequence::default()));
        // Entries empty but a range: no last entry to compare, not new.
        assert!(!is_new_full(&Sequence::of([5]), &ranged(1, 9, &[])));
    }

    #[test]
    fn sequence_numbers_above_2_pow_53_compare_exactly() {
        let big = 138_781_603_429_640_000_u64;
        assert_eq!(cmp(Sequence::of([big]), Sequence::of([big + 1])), Less);
        assert_eq!(
            compare(URL, &Sequence::of([big]), &delta(big, big + 1)),
            Action::UseIncoming
        );
    }
}
