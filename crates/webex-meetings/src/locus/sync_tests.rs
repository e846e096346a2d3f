//! The sync core driven with simulated time.

use std::time::{Duration, Instant};

use super::testing::{URL, delta, full, participant, sync_url};
use super::*;

fn outputs(sync: &mut LocusSync) -> Vec<SyncOutput> {
    std::iter::from_fn(|| sync.poll_output()).collect()
}

fn fetch(url: String, kind: FetchKind) -> SyncOutput {
    SyncOutput::Fetch(SyncFetch { url, kind })
}

fn last_entry(sync: &LocusSync) -> u64 {
    *sync
        .state()
        .unwrap()
        .locus()
        .sequence
        .entries
        .last()
        .unwrap()
}

fn started(n: u64) -> (LocusSync, Instant) {
    let mut sync = LocusSync::new(7);
    let now = Instant::now();
    sync.handle_full(full(n), now);
    assert_eq!(outputs(&mut sync), [SyncOutput::Updated]);
    (sync, now)
}

#[test]
fn full_dtos_apply_only_when_newer() {
    let (mut sync, now) = started(5);
    sync.handle_full(full(5), now);
    sync.handle_full(full(4), now);
    assert_eq!(
        outputs(&mut sync),
        [
            SyncOutput::Ignored(Ignored::OldFull),
            SyncOutput::Ignored(Ignored::OldFull)
        ]
    );
    sync.handle_full(full(6), now);
    assert_eq!(outputs(&mut sync), [SyncOutput::Updated]);
    assert_eq!(last_entry(&sync), 6);
    assert_eq!(sync.sequence(), Some(&Sequence::of([6])));
}

#[test]
fn a_delta_before_any_full_dto_has_nothing_to_apply_to() {
    let mut sync = LocusSync::new(1);
    sync.handle_delta(delta(1, 2), Instant::now());
    assert_eq!(outputs(&mut sync), [SyncOutput::Ignored(Ignored::NoBase)]);
    assert!(sync.state().is_none());
    assert_eq!(sync.status(), SyncStatus::Idle);
}

#[test]
fn deltas_in_order_apply_and_duplicates_are_ignored() {
    let (mut sync, now) = started(5);
    sync.handle_delta(delta(5, 6), now);
    sync.handle_delta(delta(6, 7), now);
    sync.handle_delta(delta(6, 7), now);
    assert_eq!(
        outputs(&mut sync),
        [
            SyncOutput::Updated,
            SyncOutput::Updated,
            SyncOutput::Ignored(Ignored::OldDelta)
        ]
    );
    assert_eq!(last_entry(&sync), 7);
    assert_eq!(sync.status(), SyncStatus::Idle);
    assert_eq!(sync.poll_timeout(), None);
}

#[test]
fn an_out_of_order_delta_blocks_until_the_missing_one_arrives() {
    let (mut sync, now) = started(5);
    sync.handle_delta(delta(6, 7), now);
    assert_eq!(outputs(&mut sync), []);
    assert_eq!(sync.status(), SyncStatus::Blocked);
    let due = sync.poll_timeout().expect("a sync timer");
    assert!(due >= now + BLOCKED_SYNC_DELAY);
    assert!(due <= now + BLOCKED_SYNC_DELAY + BLOCKED_SYNC_JITTER);
    // Another early one keeps the same timer.
    sync.handle_delta(delta(7, 8), now + Duration::from_secs(1));
    assert_eq!(sync.poll_timeout(), Some(due));
    assert_eq!(sync.queued(), 2);
    // The missing delta unblocks the queue: all three apply, in order.
    sync.handle_delta(delta(5, 6), now + Duration::from_secs(2));
    assert_eq!(outputs(&mut sync), vec![SyncOutput::Updated; 3]);
    assert_eq!(last_entry(&sync), 8);
    assert_eq!(sync.status(), SyncStatus::Idle);
    assert_eq!(sync.poll_timeout(), None);
}

#[test]
fn the_sync_timer_is_drawn_from_the_seed() {
    let deadline = |seed| {
        let mut sync = LocusSync::new(seed);
        let now = Instant::now();
        sync.handle_full(full(1), now);
        sync.handle_delta(delta(2, 3), now);
        sync.poll_timeout().unwrap() - now
    };
    assert_eq!(deadline(42), deadline(42));
    let spread: std::collections::HashSet<Duration> = (0..20).map(deadline).collect();
    assert!(spread.len() > 1, "the random part varies with the seed");
}

#[test]
fn a_missing_delta_that_never_comes_syncs_when_the_timer_fires() {
    let (mut sync, now) = started(5);
    sync.handle_delta(delta(6, 7), now);
    let due = sync.poll_timeout().unwrap();
    sync.handle_timeout(due - Duration::from_millis(1));
    assert_eq!(outputs(&mut sync), []);
    sync.handle_timeout(due);
    assert_eq!(outputs(&mut sync), [fetch(sync_url(5), FetchKind::Delta)]);
    assert_eq!(sync.status(), SyncStatus::Paused);
    assert_eq!(sync.poll_timeout(), None);
    // The sync's delta brings the state up to 7; the queued one is then old.
    sync.handle_sync_delta(Some(delta(5, 7)), due);
    assert_eq!(
        outputs(&mut sync),
        [SyncOutput::Updated, SyncOutput::Ignored(Ignored::OldDelta)]
    );
    assert_eq!(last_entry(&sync), 7);
    assert_eq!(sync.status(), SyncStatus::Idle);
}

#[test]
fn more_than_five_piled_deltas_sync_at_once() {
    let (mut sync, now) = started(5);
    for n in 7..7 + MAX_BLOCKED_DELTAS as u64 {
        sync.handle_delta(delta(n, n + 1), now);
    }
    assert_eq!(outputs(&mut sync), []);
    assert_eq!(sync.status(), SyncStatus::Blocked);
    sync.handle_delta(delta(20, 21), now);
    assert_eq!(outputs(&mut sync), [fetch(sync_url(5), FetchKind::Delta)]);
    assert_eq!(sync.status(), SyncStatus::Paused);
    // Deltas arriving while paused wait for the answer.
    sync.handle_delta(delta(21, 22), now);
    assert_eq!(outputs(&mut sync), []);
    // Up to date already (an empty answer): the queue is taken again and blocks again.
    sync.handle_sync_delta(None, now);
    assert_eq!(outputs(&mut sync), []);
    assert_eq!(sync.status(), SyncStatus::Blocked);
}

#[test]
fn a_delta_too_large_for_mercury_syncs_at_once() {
    let (mut sync, now) = started(5);
    sync.handle_delta(delta(9, 9), now);
    assert_eq!(outputs(&mut sync), [fetch(sync_url(5), FetchKind::Delta)]);
    assert_eq!(sync.status(), SyncStatus::Paused);
}

#[test]
fn a_failed_sync_falls_back_to_the_full_dto_then_gives_up() {
    let (mut sync, now) = started(5);
    sync.handle_delta(delta(9, 9), now);
    outputs(&mut sync);
    sync.handle_sync_failed("503".to_owned(), now);
    assert_eq!(outputs(&mut sync), [fetch(URL.to_owned(), FetchKind::Full)]);
    sync.handle_sync_full(full(9), now);
    assert_eq!(outputs(&mut sync), [SyncOutput::Updated]);
    assert_eq!(last_entry(&sync), 9);
    assert_eq!(sync.status(), SyncStatus::Idle);

    sync.handle_delta(delta(12, 12), now);
    sync.handle_sync_failed("503".to_owned(), now);
    sync.handle_sync_failed("connection refused".to_owned(), now);
    assert_eq!(
        outputs(&mut sync),
        [
            fetch(sync_url(9), FetchKind::Delta),
            fetch(URL.to_owned(), FetchKind::Full),
            SyncOutput::Lost {
                reason: "connection refused".to_owned()
            }
        ]
    );
    assert!(sync.is_lost());
    sync.handle_full(full(20), now);
    sync.handle_delta(delta(9, 10), now);
    assert_eq!(
        outputs(&mut sync),
        vec![SyncOutput::Ignored(Ignored::Lost); 2]
    );
    assert_eq!(last_entry(&sync), 9);
}

#[test]
fn without_a_sync_url_the_sync_fetches_the_full_dto() {
    let mut sync = LocusSync::new(3);
    let now = Instant::now();
    let mut first = full(5);
    first.sync_url = None;
    sync.handle_full(first, now);
    let mut jump = delta(8, 8);
    jump.sync_url = None;
    sync.handle_delta(jump, now);
    assert_eq!(
        outputs(&mut sync),
        [SyncOutput::Updated, fetch(URL.to_owned(), FetchKind::Full)]
    );
}

#[test]
fn a_newer_delta_of_another_locus_is_taken_and_synced_from_its_sync_url() {
    let (mut sync, now) = started(5);
    let breakout = format!("{URL}-breakout");
    let mut moved = delta(5, 6);
    moved.url = breakout.clone();
    moved.sync_url = Some(format!("{breakout}/sync?since=6"));
    sync.handle_delta(moved, now);
    assert_eq!(
        outputs(&mut sync),
        [fetch(format!("{breakout}/sync?since=6"), FetchKind::Delta)]
    );
    assert_eq!(sync.sequence(), Some(&Sequence::of([6])));
    // The queue was not paused: a delta on the new locus applies meanwhile.
    let mut next = delta(6, 7);
    next.url = breakout.clone();
    sync.handle_delta(next, now);
    assert_eq!(outputs(&mut sync), [SyncOutput::Updated]);
    assert_eq!(sync.state().unwrap().locus().url, breakout);
}

#[test]
fn a_sync_asked_for_during_a_sync_runs_after_it() {
    let (mut sync, now) = started(5);
    let breakout = format!("{URL}-breakout");
    let breakout_sync = format!("{breakout}/sync?since=6");
    let mut moved = delta(5, 6);
    moved.url = breakout.clone();
    moved.sync_url = Some(breakout_sync.clone());
    sync.handle_delta(moved, now);
    assert_eq!(
        outputs(&mut sync),
        [fetch(breakout_sync.clone(), FetchKind::Delta)]
    );
    // While that sync is in flight, a delta asks for another: one fetch at a time.
    let mut jump = delta(9, 9);
    jump.url = breakout.clone();
    sync.handle_delta(jump, now);
    assert_eq!(outputs(&mut sync), []);
    assert_eq!(sync.status(), SyncStatus::Paused);
    // The first answer starts the second sync.
    sync.handle_sync_delta(None, now);
    assert_eq!(outputs(&mut sync), [fetch(breakout_sync, FetchKind::Delta)]);
    assert_eq!(sync.status(), SyncStatus::Paused);
}

#[test]
fn participants_from_deltas_are_upserted_and_never_deleted() {
    let (mut sync, now) = started(5);
    let mut first = delta(5, 6);
    first.participants = vec![participant("a", "JOINED"), participant("b", "JOINED")];
    sync.handle_delta(first, now);
    let mut second = delta(6, 7);
    second.participants = vec![participant("a", "LEFT")];
    sync.handle_delta(second, now);
    let state = sync.state().unwrap();
    assert_eq!(state.locus().participants.len(), 2);
    assert_eq!(
        state.participant("a").unwrap().state.as_deref(),
        Some("LEFT")
    );
    assert_eq!(
        state.participant("b").unwrap().state.as_deref(),
        Some("JOINED")
    );
}
