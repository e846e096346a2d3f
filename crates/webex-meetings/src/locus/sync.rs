//! The sans-IO Locus sync core (`docs/protocol/locus-sync.md`): full DTOs and deltas in, the
//! merged state and "fetch this URL" out. Time is passed in; nothing here does IO or sleeps.
//!
//! Deltas wait in a queue sorted by `baseSequence` and are taken one at a time. One whose
//! base has not been reached blocks the queue and arms a sync timer (10 s plus up to 5 s,
//! drawn from the injected seed); more than [`MAX_BLOCKED_DELTAS`] piled up, or an
//! out-of-sync comparison, syncs at once: `GET syncUrl` (an empty answer means up to date, any
//! other is a delta), on failure `GET {locusUrl}` (a full DTO), on failure the meeting is lost.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::sequence::{Action, SequenceOrder, compare, compare_sequence, is_new_full};
use super::{Locus, LocusState, Sequence};

/// More queued deltas than this while blocked syncs at once.
pub const MAX_BLOCKED_DELTAS: usize = 5;
/// The shortest wait for a missing delta before syncing.
pub const BLOCKED_SYNC_DELAY: Duration = Duration::from_secs(10);
/// The most added at random to [`BLOCKED_SYNC_DELAY`].
pub const BLOCKED_SYNC_JITTER: Duration = Duration::from_secs(5);

/// What the delta queue is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Nothing queued.
    Idle,
    /// Taking deltas from the queue.
    Working,
    /// Waiting for a sync's answer.
    Paused,
    /// Waiting for a missing delta (or the sync timer).
    Blocked,
}

/// What a sync fetch expects back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchKind {
    /// `GET syncUrl`: an empty body (up to date) or a delta.
    Delta,
    /// `GET {locusUrl}`: the full DTO.
    Full,
}

/// A request the driver must send, then report with [`LocusSync::handle_sync_delta`],
/// [`LocusSync::handle_sync_full`] or [`LocusSync::handle_sync_failed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFetch {
    /// The URL to `GET`.
    pub url: String,
    /// What the answer is.
    pub kind: FetchKind,
}

/// Why an input was not applied (for logs; nothing is lost: the state is newer already, or a
/// sync follows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// A full DTO not newer than the working copy.
    OldFull,
    /// A delta not newer than the working copy (a duplicate, or one a sync superseded).
    OldDelta,
    /// A delta before any full DTO: there is nothing to apply it to.
    NoBase,
    /// The meeting's sync failed; inputs are no longer applied.
    Lost,
}

/// What the core tells its driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutput {
    /// Fetch this URL and report the answer.
    Fetch(SyncFetch),
    /// The merged state changed.
    Updated,
    /// An input was not applied.
    Ignored(Ignored),
    /// Both the sync and the full fetch failed: the meeting is lost (the JS SDK destroys it
    /// with `LOCUS_DTO_SYNC_FAILED`). Carries the last failure.
    Lost {
        /// What went wrong with the full fetch.
        reason: String,
    },
}

/// What the working copy needs for comparisons: the last DTO accepted.
#[derive(Debug, Clone)]
struct WorkingCopy {
    url: String,
    sequence: Sequence,
    sync_url: Option<String>,
}

impl WorkingCopy {
    fn of(locus: &Locus) -> WorkingCopy {
        WorkingCopy {
            url: locus.url.clone(),
            sequence: locus.sequence.clone(),
            sync_url: locus.sync_url.clone(),
        }
    }
}

/// The sans-IO sync core of one meeting.
#[derive(Debug)]
pub struct LocusSync {
    working: Option<WorkingCopy>,
    state: Option<LocusState>,
    queue: VecDeque<Locus>,
    status: SyncStatus,
    sync_deadline: Option<Instant>,
    in_flight: Option<FetchKind>,
    /// A sync was asked for while one was in flight: start another when it ends.
    sync_again: bool,
    lost: bool,
    outputs: VecDeque<SyncOutput>,
    rng: fastrand::Rng,
}

impl LocusSync {
    /// A core with no state yet; `seed` draws the sync timer's random part.
    pub fn new(seed: u64) -> LocusSync {
        LocusSync {
            working: None,
            state: None,
            queue: VecDeque::new(),
            status: SyncStatus::Idle,
            sync_deadline: None,
            in_flight: None,
            sync_again: false,
            lost: false,
            outputs: VecDeque::new(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// The merged state; `None` before the first full DTO.
    pub fn state(&self) -> Option<&LocusState> {
        self.state.as_ref()
    }

    /// The working copy's sequence (what \[Δ\] requests carry); `None` before the first DTO.
    pub fn sequence(&self) -> Option<&Sequence> {
        self.working.as_ref().map(|w| &w.sequence)
    }

    /// The queue's status.
    pub fn status(&self) -> SyncStatus {
        self.status
    }

    /// How many deltas wait in the queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Whether the sync failed for good.
    pub fn is_lost(&self) -> bool {
        self.lost
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<SyncOutput> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.sync_deadline
    }

    /// A full DTO (join answer, `GET {locusUrl}`, a full-style Mercury event): applied only if
    /// newer than the working copy.
    pub fn handle_full(&mut self, locus: Locus, _now: Instant) {
        if self.lost {
            return self.ignored(Ignored::Lost);
        }
        let newer = self
            .working
            .as_ref()
            .is_none_or(|w| is_new_full(&w.sequence, &locus.sequence));
        if !newer {
            return self.ignored(Ignored::OldFull);
        }
        self.working = Some(WorkingCopy::of(&locus));
        self.apply(locus);
    }

    /// A delta (a \[Δ\] request's answer, `locus.difference` and other delta-style Mercury
    /// events).
    pub fn handle_delta(&mut self, locus: Locus, now: Instant) {
        if self.lost {
            return self.ignored(Ignored::Lost);
        }
        self.enqueue(locus);
        match self.status {
            SyncStatus::Blocked if self.queue.len() > MAX_BLOCKED_DELTAS => self.trigger_sync(),
            SyncStatus::Blocked => self.run(now),
            SyncStatus::Idle => {
                self.status = SyncStatus::Working;
                self.run(now);
            }
            // Working cannot be seen here (a run finishes before returning); Paused waits for
            // the sync's answer.
            SyncStatus::Working | SyncStatus::Paused => {}
        }
    }

    /// Time passed: the sync timer may be due.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.sync_deadline.is_some_and(|due| due <= now) {
            self.sync_deadline = None;
            self.trigger_sync();
        }
    }

    /// The answer of a [`FetchKind::Delta`] fetch: `None` for an empty body (up to date).
    ///
    /// A delta is queued (it sorts before the deltas that waited for it); a whole DTO (no
    /// `baseSequence`, what a server answers when it cannot make a delta) takes the full path,
    /// since queued behind a waiting delta it would never be reached.
    pub fn handle_sync_delta(&mut self, delta: Option<Locus>, now: Instant) {
        self.in_flight = None;
        match delta {
            Some(delta) if delta.is_delta() => self.enqueue(delta),
            Some(full) => self.handle_full(full, now),
            None => {}
        }
        self.resume(now);
    }

    /// The answer of a [`FetchKind::Full`] fetch.
    pub fn handle_sync_full(&mut self, locus: Locus, now: Instant) {
        self.in_flight = None;
        self.handle_full(locus, now);
        self.resume(now);
    }

    /// A sync fetch failed (no answer, an error status, or a malformed body): a failed delta
    /// sync falls back to the full DTO; a failed full fetch loses the meeting.
    pub fn handle_sync_failed(&mut self, reason: String, _now: Instant) {
        match self.in_flight.take() {
            Some(FetchKind::Delta) => self.fetch_full(),
            Some(FetchKind::Full) => {
                self.lost = true;
                self.status = SyncStatus::Paused;
                self.sync_deadline = None;
                self.queue.clear();
                self.outputs.push_back(SyncOutput::Lost { reason });
            }
            None => {}
        }
    }

    fn ignored(&mut self, why: Ignored) {
        self.outputs.push_back(SyncOutput::Ignored(why));
    }

    fn apply(&mut self, locus: Locus) {
        match &mut self.state {
            Some(state) => state.apply(locus),
            None => self.state = Some(LocusState::new(locus)),
        }
        self.outputs.push_back(SyncOutput::Updated);
    }

    /// Inserts after every queued delta that sorts before or with it (empty sequences first,
    /// then by `baseSequence`).
    fn enqueue(&mut self, locus: Locus) {
        let at = self
            .queue
            .iter()
            .position(|queued| sorts_before(&locus, queued))
            .unwrap_or(self.queue.len());
        self.queue.insert(at, locus);
    }

    /// Takes deltas until the queue is empty, paused or blocked.
    fn run(&mut self, now: Instant) {
        loop {
            self.process_next(now);
            if matches!(self.status, SyncStatus::Paused | SyncStatus::Blocked) {
                return;
            }
            if self.queue.is_empty() {
                self.status = SyncStatus::Idle;
                return;
            }
        }
    }

    fn process_next(&mut self, now: Instant) {
        let Some(delta) = self.queue.pop_front() else {
            return;
        };
        let Some(working) = &self.working else {
            return self.ignored(Ignored::NoBase);
        };
        let action = compare(&working.url, &working.sequence, &delta);
        if action == Action::Wait {
            self.queue.push_front(delta);
            self.status = SyncStatus::Blocked;
            if self.sync_deadline.is_none() {
                let jitter = self.rng.u64(0..=jitter_millis());
                self.sync_deadline = Some(now + BLOCKED_SYNC_DELAY + Duration::from_millis(jitter));
            }
            return;
        }
        self.sync_deadline = None;
        if self.status == SyncStatus::Blocked {
            self.status = SyncStatus::Working;
        }
        match action {
            Action::UseIncoming => {
                self.working = Some(WorkingCopy::of(&delta));
                self.apply(delta);
            }
            Action::LocusUrlChanged => {
                self.working = Some(WorkingCopy::of(&delta));
                self.sync();
            }
            Action::Desync => {
                self.status = SyncStatus::Paused;
                self.sync();
            }
            Action::UseCurrent => self.ignored(Ignored::OldDelta),
            Action::Wait => {}
        }
    }

    fn trigger_sync(&mut self) {
        self.sync_deadline = None;
        self.status = SyncStatus::Paused;
        self.sync();
    }

    /// Starts a sync from the working copy's `syncUrl`, or the full DTO without one.
    fn sync(&mut self) {
        if self.in_flight.is_some() {
            self.sync_again = true;
            return;
        }
        match self.working.as_ref().and_then(|w| w.sync_url.clone()) {
            Some(url) => self.fetch(url, FetchKind::Delta),
            None => self.fetch_full(),
        }
    }

    fn fetch_full(&mut self) {
        let url = match (&self.state, &self.working) {
            (Some(state), _) => state.locus().url.clone(),
            (None, Some(working)) => working.url.clone(),
            (None, None) => return,
        };
        self.fetch(url, FetchKind::Full);
    }

    fn fetch(&mut self, url: String, kind: FetchKind) {
        self.in_flight = Some(kind);
        self.outputs
            .push_back(SyncOutput::Fetch(SyncFetch { url, kind }));
    }

    /// After a sync's answer: take the queue again (deltas it superseded are ignored then).
    fn resume(&mut self, now: Instant) {
        if self.lost {
            return;
        }
        if std::mem::take(&mut self.sync_again) {
            return self.trigger_sync();
        }
        self.status = SyncStatus::Working;
        if self.queue.is_empty() {
            self.status = SyncStatus::Idle;
        } else {
            self.run(now);
        }
    }
}

fn jitter_millis() -> u64 {
    u64::try_from(BLOCKED_SYNC_JITTER.as_millis()).unwrap_or(u64::MAX)
}

/// The queue's order: a delta with an empty sequence first, then ascending `baseSequence`
/// (a DTO without one sorts by its sequence).
fn sorts_before(new: &Locus, queued: &Locus) -> bool {
    if new.sequence.is_empty() {
        return !queued.sequence.is_empty();
    }
    if queued.sequence.is_empty() {
        return false;
    }
    compare_sequence(base_of(new), base_of(queued)) == SequenceOrder::Less
}

fn base_of(locus: &Locus) -> &Sequence {
    locus.base_sequence.as_ref().unwrap_or(&locus.sequence)
}
