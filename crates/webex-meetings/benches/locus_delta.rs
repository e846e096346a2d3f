//! The cost of one Locus delta in a 1,000-participant meeting: the delta (one participant
//! muted or unmuted) goes through the sync core (queue, sequence comparison, merge), then the
//! view is derived and diffed against the previous one, as the runtime does for every update.
//!
//! ```text
//! cargo bench -p webex-meetings --bench locus_delta
//! ```

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use webex_meetings::events::diff;
use webex_meetings::locus::{Locus, LocusSync, SyncOutput};
use webex_meetings::view::{FsmState, MeetingView};

const PARTICIPANTS: usize = 1_000;
const URL: &str = "https://locus.example/locus/api/v1/loci/L";
const DEVICE: &str = "https://wdm.example/devices/p0";

fn participant(i: usize, muted: bool) -> Value {
    json!({
        "id": format!("p{i}"),
        "url": format!("{URL}/participant/p{i}"),
        "state": "JOINED",
        "type": "USER",
        "identity": format!("u{i}"),
        "person": {"id": format!("u{i}"), "name": format!("Person {i}"), "email": format!("p{i}@example.com")},
        "guest": false,
        "moderator": i == 0,
        "devices": [{"url": format!("https://wdm.example/devices/p{i}"), "deviceType": "WEB", "state": "JOINED",
                     "correlationId": format!("c{i}"), "intent": {"type": ""}}],
        "status": {"audioStatus": "SENDRECV", "videoStatus": "SENDRECV", "videoSlidesStatus": "INACTIVE"},
        "controls": {"audio": {"muted": muted, "disallowUnmute": false, "requestedToUnmute": false},
                     "video": {"muted": false}, "hand": {"raised": false},
                     "role": {"roles": [{"type": if i == 0 { "MODERATOR" } else { "ATTENDEE" }, "hasRole": true}]}}
    })
}

fn sequence(n: u64) -> Value {
    json!({"entries": [n], "rangeStart": 0, "rangeEnd": 0})
}

fn full_meeting() -> Locus {
    let participants: Vec<Value> = (0..PARTICIPANTS).map(|i| participant(i, false)).collect();
    let value = json!({
        "url": URL,
        "sequence": sequence(1),
        "syncUrl": format!("{URL}/sync?since=1"),
        "fullState": {"state": "ACTIVE", "type": "MEETING", "active": true, "count": PARTICIPANTS},
        "host": {"id": "u0", "name": "Person 0"},
        "info": {"webExMeetingId": "21234567890", "displayHints": {"joined": ["RAISE_HAND", "LOCK_STATUS_UNLOCKED"], "moderator": ["LOCK_CONTROL_LOCK"]}},
        "controls": {"lock": {"locked": false}, "record": {"recording": false, "paused": false}},
        "participants": participants,
        "self": participant(0, false),
        "mediaShares": [{"name": "content", "url": format!("{URL}/mediashares/c"), "floor": {"disposition": "RELEASED"}}]
    });
    Locus::from_value(value).expect("a valid DTO")
}

/// The delta from `[n]` to `[n + 1]`: participant 500 muted on odd steps, unmuted on even.
fn delta(n: u64) -> Locus {
    let value = json!({
        "url": URL,
        "baseSequence": sequence(n),
        "sequence": sequence(n + 1),
        "syncUrl": format!("{URL}/sync?since={}", n + 1),
        "participants": [participant(PARTICIPANTS / 2, n % 2 == 1)],
    });
    Locus::from_value(value).expect("a valid delta")
}

fn bench(c: &mut Criterion) {
    let mut sync = LocusSync::new(1);
    let start = Instant::now();
    sync.handle_full(full_meeting(), start);
    while sync.poll_output().is_some() {}
    let mut view = MeetingView::derive(sync.state().unwrap(), DEVICE, FsmState::Joined, None);
    // The deltas are built up front, so the DTO's construction is not measured.
    let mut n = 1;
    let mut deltas = (1..).map(delta);
    c.bench_function("locus_delta/1000_participants", |b| {
        b.iter_batched(
            || deltas.next().expect("endless"),
            |delta| {
                sync.handle_delta(delta, start);
                let mut updated = false;
                while let Some(output) = sync.poll_output() {
                    updated |= output == SyncOutput::Updated;
                }
                assert!(updated, "delta {n} applies");
                n += 1;
                let next = MeetingView::derive(
                    sync.state().unwrap(),
                    DEVICE,
                    FsmState::Joined,
                    Some(&view),
                );
                let events = diff(Some(&view), &next);
                view = next;
                black_box(events)
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
