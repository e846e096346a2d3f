//! Property test: a model Locus server makes a random history of changes (joins, leaves,
//! mutes, lock, recording, floor), each sent as a delta (or a full DTO, or a delta "too large
//! for Mercury"); they reach the core dropped, duplicated and out of order, and the model
//! answers the core's sync fetches (some of which fail). However they arrive, once the last
//! change has been sent and the sync timer has had time to fire, the client's view is the
//! model's.
//!
//! The last change is always delivered: a client cannot learn of a change nothing tells it
//! about (real Locus behaves the same; the next change reveals the gap).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::testing::{DEVICE, URL, participant, person, with_device};
use super::{
    Beneficiary, Controls, FetchKind, Floor, FullState, LockControl, Locus, LocusState, LocusSync,
    MediaShare, MuteControl, Participant, ParticipantControls, RecordControl, Sequence, SyncFetch,
    SyncOutput,
};
use crate::view::{FsmState, MeetingView, Member};

/// The first sequence number; sequences keep the last [`WINDOW`] entries and fold older ones
/// into a range, as real Locus does.
const FIRST: u64 = 1_000;
const WINDOW: u64 = 3;
const ME: &str = "p-me";

#[derive(Debug, Clone)]
enum Op {
    Join,
    Leave(usize),
    Mute(usize, bool),
    Lock(bool),
    Record(bool, bool),
    Share(Option<usize>),
}

#[derive(Debug, Clone, Copy)]
enum Wire {
    Delta,
    Full,
    /// Base equals sequence: Locus's "fetch it yourself".
    TooLarge,
}

#[derive(Debug, Clone, Copy)]
enum Fate {
    Deliver,
    Drop,
    Duplicate,
    /// Delivered this many changes later.
    Hold(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Join),
        2 => any::<usize>().prop_map(Op::Leave),
        3 => (any::<usize>(), any::<bool>()).prop_map(|(i, m)| Op::Mute(i, m)),
        1 => any::<bool>().prop_map(Op::Lock),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(r, p)| Op::Record(r, p)),
        1 => proptest::option::of(any::<usize>()).prop_map(Op::Share),
    ]
}

fn wire() -> impl Strategy<Value = Wire> {
    prop_oneof![7 => Just(Wire::Delta), 2 => Just(Wire::Full), 1 => Just(Wire::TooLarge)]
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        5 => Just(Fate::Deliver),
        2 => Just(Fate::Drop),
        1 => Just(Fate::Duplicate),
        2 => (1..4u8).prop_map(Fate::Hold),
    ]
}

/// The model server: the locus, and when each part last changed.
struct Model {
    seq: u64,
    participants: Vec<Participant>,
    changed_at: HashMap<String, u64>,
    controls: Controls,
    controls_at: u64,
    shares: Vec<MediaShare>,
    shares_at: u64,
}

impl Model {
    fn new() -> Model {
        let me = with_device(person(participant(ME, "JOINED"), "u-me", "Me"), DEVICE, "");
        Model {
            seq: FIRST,
            changed_at: HashMap::from([(ME.to_owned(), FIRST)]),
            participants: vec![me],
            controls: Controls {
                lock: Some(LockControl { locked: false }),
                record: Some(RecordControl::default()),
                ..Controls::default()
            },
            controls_at: FIRST,
            shares: vec![share(None)],
            shares_at: FIRST,
        }
    }

    fn sequence_at(n: u64) -> Sequence {
        let oldest_entry = n.saturating_sub(WINDOW - 1).max(FIRST);
        let mut seq = Sequence::of((oldest_entry..=n).collect::<Vec<_>>());
        if oldest_entry > FIRST {
            seq.range_start = FIRST;
            seq.range_end = oldest_entry - 1;
        }
        seq
    }

    fn apply(&mut self, op: &Op) {
        self.seq += 1;
        let n = self.seq;
        let len = self.participants.len();
        let touch = |model: &mut Model, at: usize, f: &dyn Fn(&mut Participant)| {
            let p = &mut model.participants[at];
            f(p);
            model.changed_at.insert(p.id.clone(), n);
        };
        match *op {
            Op::Join => {
                let id = format!("p{n}");
                let p = with_device(
                    person(participant(&id, "JOINED"), &format!("u{n}"), &id),
                    "https://wdm.test/d",
                    "",
                );
                self.changed_at.insert(id, n);
                self.participants.push(p);
            }
            Op::Leave(i) => touch(self, i % len, &|p| p.state = Some("LEFT".to_owned())),
            Op::Mute(i, muted) => touch(self, i % len, &|p| {
                p.controls = Some(ParticipantControls {
                    audio: Some(MuteControl {
                        muted,
                        ..MuteControl::default()
                    }),
                    ..ParticipantControls::default()
                });
            }),
            Op::Lock(locked) => {
                self.controls.lock = Some(LockControl { locked });
                self.controls_at = n;
            }
            Op::Record(recording, paused) => {
                self.controls.record = Some(RecordControl {
                    recording,
                    paused,
                    meta: None,
                });
                self.controls_at = n;
            }
            Op::Share(holder) => {
                let id = holder.map(|i| self.participants[i % len].id.clone());
                self.shares = vec![share(id)];
                self.shares_at = n;
            }
        }
    }

    fn base(&self, n: u64) -> Locus {
        let mut locus = super::testing::full(n);
        locus.sequence = Model::sequence_at(n);
        locus.sync_url = Some(format!("{URL}/sync?since={n}"));
        locus
    }

    fn full(&self) -> Locus {
        let mut locus = self.base(self.seq);
        locus.full_state = Some(FullState {
            state: Some("ACTIVE".to_owned()),
            r#type: Some("MEETING".to_owned()),
            ..FullState::default()
        });
        locus.participants = self.participants.clone();
        locus.self_ = self.participants.first().cloned();
        locus.controls = Some(self.controls.clone());
        locus.media_shares = Some(self.shares.clone());
        locus
    }

    /// What changed after `since`, as a delta onto it.
    fn delta_since(&self, since: u64) -> Locus {
        let mut locus = self.base(self.seq);
        locus.base_sequence = Some(Model::sequence_at(since));
        locus.participants = self
            .participants
            .iter()
            .filter(|p| self.changed_at[&p.id] > since)
            .cloned()
            .collect();
        locus.self_ = locus.participants.iter().find(|p| p.id == ME).cloned();
        if self.controls_at > since {
            locus.controls = Some(self.controls.clone());
        }
        if self.shares_at > since {
            locus.media_shares = Some(self.shares.clone());
        }
        locus
    }

    fn message(&self, wire: Wire) -> (bool, Locus) {
        match wire {
            Wire::Delta => (false, self.delta_since(self.seq - 1)),
            Wire::Full => (true, self.full()),
            Wire::TooLarge => {
                let mut locus = self.base(self.seq);
                locus.base_sequence = Some(Model::sequence_at(self.seq));
                (false, locus)
            }
        }
    }

    /// Answers a sync fetch: `None` is a failed request.
    fn serve(&self, fetch: &SyncFetch, fail: bool) -> Option<Option<Locus>> {
        match fetch.kind {
            FetchKind::Delta if fail => None,
            FetchKind::Delta => {
                let since: u64 = fetch.url.rsplit('=').next()?.parse().ok()?;
                Some((since != self.seq).then(|| self.delta_since(since)))
            }
            FetchKind::Full => Some(Some(self.full())),
        }
    }
}

fn share(holder: Option<String>) -> MediaShare {
    MediaShare {
        name: "content".to_owned(),
        url: format!("{URL}/mediashares/c"),
        floor: Some(Floor {
            disposition: Some(
                if holder.is_some() {
                    "GRANTED"
                } else {
                    "RELEASED"
                }
                .to_owned(),
            ),
            beneficiary: holder.map(|id| Beneficiary {
                id: Some(id),
                ..Beneficiary::default()
            }),
            share_instance_id: None,
        }),
    }
}

/// Feeds the core's fetches from the model until it asks for none.
fn serve(
    core: &mut LocusSync,
    model: &Model,
    now: Instant,
    failures: &mut impl Iterator<Item = bool>,
) {
    while let Some(output) = core.poll_output() {
        let SyncOutput::Fetch(fetch) = output else {
            continue;
        };
        match (
            fetch.kind,
            model.serve(&fetch, failures.next().unwrap_or(false)),
        ) {
            (_, None) => core.handle_sync_failed("503".to_owned(), now),
            (FetchKind::Delta, Some(delta)) => core.handle_sync_delta(delta, now),
            (FetchKind::Full, Some(full)) => core.handle_sync_full(full.expect("full"), now),
        }
    }
}

/// What must converge: the view, with members in id order (the order members are first seen
/// depends on which messages arrived).
fn observed(mut view: MeetingView) -> (MeetingView, Vec<std::sync::Arc<Member>>) {
    let mut members = std::mem::take(&mut view.members);
    members.sort_by(|a, b| a.id.cmp(&b.id));
    (view, members)
}

/// The next view, derived from the previous one as the runtime does, with its events.
fn step(state: &LocusState, previous: Option<&MeetingView>) -> MeetingView {
    let view = MeetingView::derive(state, DEVICE, FsmState::Joined, previous);
    let events = crate::events::diff(previous, &view);
    if previous.is_some_and(|p| p == &view) {
        assert!(events.is_empty(), "no change, no event: {events:?}");
    }
    view
}

fn view_of(state: &LocusState) -> MeetingView {
    MeetingView::derive(state, DEVICE, FsmState::Joined, None)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_client_converges_to_the_server(
        changes in proptest::collection::vec((op(), wire(), fate()), 1..40),
        failures in proptest::collection::vec(proptest::bool::weighted(0.2), 0..16),
    ) {
        let mut model = Model::new();
        let mut core = LocusSync::new(9);
        let mut now = Instant::now();
        let mut failures = failures.into_iter();
        core.handle_full(model.full(), now);
        let mut incremental = Some(step(core.state().expect("a state"), None));
        let mut held: Vec<(u8, bool, Locus)> = Vec::new();
        let last = changes.len() - 1;
        for (i, (op, wire, fate)) in changes.iter().enumerate() {
            model.apply(op);
            let message = model.message(*wire);
            let mut deliver = Vec::new();
            match fate {
                _ if i == last => {}
                Fate::Deliver => deliver.push(message.clone()),
                Fate::Drop => {}
                Fate::Duplicate => {
                    deliver.push(message.clone());
                    held.push((1, message.0, message.1.clone()));
                }
                Fate::Hold(steps) => held.push((*steps, message.0, message.1.clone())),
            }
            for entry in &mut held {
                entry.0 = entry.0.saturating_sub(1);
            }
            let (due, waiting): (Vec<_>, Vec<_>) = held.into_iter().partition(|h| h.0 == 0);
            held = waiting;
            deliver.extend(due.into_iter().map(|(_, full, locus)| (full, locus)));
            if i == last {
                deliver.extend(held.drain(..).map(|(_, full, locus)| (full, locus)));
                deliver.push(message);
            }
            for (is_full, locus) in deliver {
                now += Duration::from_millis(200);
                if is_full {
                    core.handle_full(locus, now);
                } else {
                    core.handle_delta(locus, now);
                }
                serve(&mut core, &model, now, &mut failures);
                core.handle_timeout(now);
                serve(&mut core, &model, now, &mut failures);
                incremental = Some(step(core.state().expect("a state"), incremental.as_ref()));
            }
        }
        // Time for the sync timer of a delta still waiting.
        now += Duration::from_secs(16);
        core.handle_timeout(now);
        serve(&mut core, &model, now, &mut failures);

        let incremental = step(core.state().expect("a state"), incremental.as_ref());
        // A view derived step by step (reusing unchanged members) is the view derived afresh.
        prop_assert_eq!(&incremental, &view_of(core.state().unwrap()));
        prop_assert!(!core.is_lost());
        prop_assert_eq!(core.sequence(), Some(&Model::sequence_at(model.seq)));
        let expected = observed(view_of(&LocusState::new(model.full())));
        let got = observed(view_of(core.state().expect("a state")));
        prop_assert_eq!(got, expected);
    }
}
