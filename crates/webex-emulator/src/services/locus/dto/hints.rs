//! The display hints (`info.displayHints`): what each role may do now,
//! which clients turn into their in-meeting actions (lock or unlock, start
//! or stop recording, ...). Hosts and cohosts get the same list.

use serde_json::{Value, json};

use crate::world::meetings::locus::Locus;

/// `yes` when `flag` holds, else `no`.
fn pick(flag: bool, yes: &'static str, no: &'static str) -> &'static str {
    if flag { yes } else { no }
}

/// The display hints of `locus` now.
pub(super) fn display_hints(locus: &Locus) -> Value {
    let c = &locus.controls;
    let mut joined = vec![
        pick(c.locked, "LOCK_STATUS_LOCKED", "LOCK_STATUS_UNLOCKED"),
        "ROSTER_IN_MEETING",
        "SHARE_CONTENT",
        "SHARE_WHITEBOARD",
        "VOIP_IS_ENABLED",
        "LEAVE_END_MEETING",
        pick(c.reactions, "REACTIONS_ACTIVE", "REACTIONS_INACTIVE"),
    ];
    if c.raise_hand {
        joined.push("RAISE_HAND");
    }
    if c.recording {
        joined.push(pick(
            c.paused,
            "RECORDING_STATUS_PAUSED",
            "RECORDING_STATUS_STARTED",
        ));
    }
    let mut moderator = vec![
        pick(c.locked, "LOCK_CONTROL_UNLOCK", "LOCK_CONTROL_LOCK"),
        "ROSTER_WAITING_TO_JOIN",
        "ADD_GUEST",
        "MUTE_ALL",
        "UNMUTE_ALL",
        "LOWER_ALL_HANDS",
        "LOWER_SOMEONE_ELSES_HAND",
        "SHARE_CONTROL",
        pick(
            c.mute_on_entry,
            "DISABLE_MUTE_ON_ENTRY",
            "ENABLE_MUTE_ON_ENTRY",
        ),
        pick(c.disallow_unmute, "DISABLE_HARD_MUTE", "ENABLE_HARD_MUTE"),
        pick(c.reactions, "DISABLE_REACTIONS", "ENABLE_REACTIONS"),
    ];
    if c.recording {
        moderator.push("RECORDING_CONTROL_STOP");
        moderator.push(pick(
            c.paused,
            "RECORDING_CONTROL_RESUME",
            "RECORDING_CONTROL_PAUSE",
        ));
    } else {
        moderator.push("RECORDING_CONTROL_START");
    }
    json!({"joined": joined, "moderator": moderator, "coHost": moderator})
}
