//! "Every participant's view converges to the emulator's state": the emulator's locus as a
//! neutral observer sees it (`GET /_emulator/meetings/{number}`) against a client's view.

use std::time::Duration;

use serde_json::Value;
use webex_emulator::Emulator;
use webex_meetings::Meeting;
use webex_meetings::view::MeetingView;

/// How long a view may take to catch up: far more than it needs (a view that missed a delta
/// waits 10 to 15 s for it before syncing, as the JS SDK), so only a view that never
/// converges fails.
const CONVERGE_BOUND: Duration = Duration::from_secs(40);

/// The differences between `view` and the emulator's `locus` (empty when they agree):
/// sequence, meeting state, lock, recording, floor, and every participant's state and
/// server-side audio mute.
pub(crate) fn differences(view: &MeetingView, locus: &Value) -> Vec<String> {
    let diffs = std::cell::RefCell::new(Vec::new());
    let check = |what: &str, ours: Value, theirs: Value| {
        if ours != theirs {
            diffs
                .borrow_mut()
                .push(format!("{what}: view {ours} / emulator {theirs}"));
        }
    };
    check(
        "sequence",
        serde_json::to_value(&view.sequence.entries).unwrap_or_default(),
        locus["sequence"]["entries"].clone(),
    );
    check(
        "locked",
        Value::Bool(view.controls.locked),
        Value::Bool(
            locus["controls"]["lock"]["locked"]
                .as_bool()
                .unwrap_or(false),
        ),
    );
    check(
        "recording",
        Value::Bool(view.controls.recording.recording),
        Value::Bool(
            locus["controls"]["record"]["recording"]
                .as_bool()
                .unwrap_or(false),
        ),
    );
    check(
        "recording paused",
        Value::Bool(view.controls.recording.paused),
        Value::Bool(
            locus["controls"]["record"]["paused"]
                .as_bool()
                .unwrap_or(false),
        ),
    );
    let floor_holder = locus["mediaShares"]
        .as_array()
        .and_then(|shares| shares.iter().find(|s| s["name"] == "content"))
        .filter(|s| s["floor"]["disposition"] == "GRANTED")
        .and_then(|s| s["floor"]["beneficiary"]["id"].as_str())
        .map(str::to_owned);
    check(
        "content floor",
        serde_json::to_value(&view.floor.content).unwrap_or_default(),
        serde_json::to_value(&floor_holder).unwrap_or_default(),
    );
    for participant in locus["participants"].as_array().into_iter().flatten() {
        let id = participant["id"].as_str().unwrap_or_default();
        let Some(member) = view.members.iter().find(|m| m.id == id) else {
            check(&format!("participant {id}"), Value::Null, Value::Bool(true));
            continue;
        };
        check(
            &format!("{id} state"),
            serde_json::to_value(&member.state).unwrap_or_default(),
            participant["state"].clone(),
        );
        check(
            &format!("{id} muted by the server"),
            Value::Bool(member.is_audio_muted_by_server),
            Value::Bool(
                participant["controls"]["audio"]["muted"]
                    .as_bool()
                    .unwrap_or(false),
            ),
        );
    }
    diffs.into_inner()
}

/// Waits until `meeting`'s view agrees with the emulator's locus of meeting `number`.
///
/// # Panics
/// When it does not within [`CONVERGE_BOUND`], with the last differences.
pub(crate) async fn converged(emulator: &Emulator, number: &str, meeting: &Meeting, who: &str) {
    converged_to(meeting, who, || {
        emulator
            .meeting(number)
            .and_then(|m| m.get("locus").cloned())
    })
    .await;
}

/// Waits until `meeting`'s view agrees with the emulator's locus at its Locus URL (a call,
/// which has no meeting number).
///
/// # Panics
/// As [`converged`].
pub(crate) async fn converged_locus(emulator: &Emulator, meeting: &Meeting, who: &str) {
    let url = meeting.locus_url().expect("the meeting has a Locus URL");
    converged_to(meeting, who, || emulator.locus(&url)).await;
}

/// Waits until `meeting`'s view agrees with what `neutral` reads.
async fn converged_to(meeting: &Meeting, who: &str, neutral: impl Fn() -> Option<Value>) {
    let deadline = tokio::time::Instant::now() + CONVERGE_BOUND;
    loop {
        let locus = neutral().expect("the emulator has the locus");
        let diffs = match meeting.view() {
            Some(view) => differences(&view, &locus),
            None => vec!["no view yet".into()],
        };
        if diffs.is_empty() {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{who}'s view did not converge to the emulator's: {diffs:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
