//! The meeting roster of `examples/meeting-roster`: joins a meeting and turns its member
//! events into one line per change (who joins, waits in the lobby, leaves, mutes, unmutes,
//! turns video on or off, shares), until the meeting ends or the caller stops it. The example
//! binary and its test (`examples/tests/meeting_roster.rs`) run this same code.

use std::collections::HashMap;
use std::future::Future;

use futures::StreamExt;
use webex::meetings::events::MeetingEvent;
use webex::meetings::view::{Member, MemberStatus};
use webex::meetings::{JoinOptions, JoinOutcome, Meeting, MeetingError};

/// What the roster remembers of a member to tell what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    status: MemberStatus,
    audio_muted: bool,
    server_muted: bool,
    video_muted: bool,
    sharing: bool,
}

impl Seen {
    fn of(member: &Member) -> Self {
        Self {
            status: member.status,
            audio_muted: member.is_audio_muted,
            server_muted: member.is_audio_muted_by_server,
            video_muted: member.is_video_muted,
            sharing: member.is_content_sharing,
        }
    }
}

/// Turns member updates into roster lines.
#[derive(Debug, Default)]
pub struct Roster {
    seen: HashMap<String, Seen>,
}

impl Roster {
    /// The lines for `member`'s latest state (none when nothing the roster shows changed).
    pub fn lines(&mut self, member: &Member) -> Vec<String> {
        let name = member
            .name
            .clone()
            .or_else(|| member.email.clone())
            .unwrap_or_else(|| member.id.clone());
        let now = Seen::of(member);
        let before = self.seen.insert(member.id.clone(), now.clone());
        let mut lines = Vec::new();
        let status_changed = before.as_ref().is_none_or(|b| b.status != now.status);
        if status_changed {
            match now.status {
                MemberStatus::InMeeting => lines.push(format!("{name} joined")),
                MemberStatus::InLobby => lines.push(format!("{name} is waiting in the lobby")),
                MemberStatus::NotInMeeting if before.is_some() => {
                    lines.push(format!("{name} left"));
                }
                MemberStatus::NotInMeeting => {}
            }
        }
        if now.status != MemberStatus::InMeeting {
            return lines;
        }
        // Someone who just joined is only "joined": the media state they come in with is
        // not a change they made.
        let was = before.filter(|b| b.status == MemberStatus::InMeeting);
        let flipped = |get: fn(&Seen) -> bool| was.as_ref().is_some_and(|b| get(b) != get(&now));
        if flipped(|s| s.audio_muted) {
            lines.push(format!(
                "{name} {}",
                if now.audio_muted { "muted" } else { "unmuted" }
            ));
        } else if flipped(|s| s.server_muted) {
            // A member who sends no audio is muted either way; a host's (or their own)
            // server-side mute is still a change worth a line.
            let state = if now.server_muted { "muted" } else { "unmuted" };
            lines.push(format!("{name} {state} (server-side)"));
        }
        if flipped(|s| s.video_muted) {
            let state = if now.video_muted { "off" } else { "on" };
            lines.push(format!("{name} turned video {state}"));
        }
        if flipped(|s| s.sharing) || (was.is_none() && now.sharing) {
            let what = if now.sharing { "started" } else { "stopped" };
            lines.push(format!("{name} {what} sharing"));
        }
        lines
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// Locus ended the meeting for us.
    MeetingEnded,
    /// The caller's stop future completed (Ctrl-C); we left the meeting.
    Stopped,
    /// The meeting's event stream ended.
    StreamEnded,
}

/// Joins `meeting` and hands each roster line to `out` until the meeting ends or `stop`
/// completes (then leaves). Errors of the event stream are handed to `out` too, prefixed
/// with `warning:`.
///
/// # Errors
/// The join's error (a password to give, an unknown meeting, ...), or the leave's.
pub async fn run(
    meeting: &Meeting,
    options: JoinOptions,
    mut out: impl FnMut(String),
    stop: impl Future<Output = ()>,
) -> Result<RunEnd, MeetingError> {
    let mut events = meeting.events();
    let mut roster = Roster::default();
    if meeting.join(options).await? == JoinOutcome::InLobby {
        out("waiting in the lobby for a host to admit us".into());
    }
    if let Some(view) = meeting.view() {
        for member in &view.members {
            roster.lines(member).into_iter().for_each(&mut out);
        }
    }
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => {
                if meeting.view().is_some_and(|v| v.ended.is_none()) {
                    meeting.leave().await?;
                }
                return Ok(RunEnd::Stopped);
            }
            item = events.next() => match item {
                None => return Ok(RunEnd::StreamEnded),
                Some(Err(err)) => out(format!("warning: {err}")),
                Some(Ok(MeetingEvent::MembersUpdated { added, updated })) => {
                    for member in added.iter().chain(&updated) {
                        roster.lines(member).into_iter().for_each(&mut out);
                    }
                }
                Some(Ok(MeetingEvent::Admitted)) => out("admitted into the meeting".into()),
                Some(Ok(MeetingEvent::Ended { .. })) => {
                    out("the meeting ended".into());
                    return Ok(RunEnd::MeetingEnded);
                }
                Some(Ok(_)) => {}
            },
        }
    }
}
