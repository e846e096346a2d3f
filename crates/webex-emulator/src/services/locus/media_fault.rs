//! Media answer faults: `POST /_emulator/faults` `{"media": "drop-m-line" |
//! "roap-error" | "unreachable", "count"?, "personId"?}` makes the next
//! `count` offers of that person (anyone's without `personId`) get a bad
//! answer from Locus's `/media`, so a client's handling of each can be
//! tested against the real exchange:
//!
//! - `drop-m-line`: the media server's answer without its last m-line (and
//!   that mid out of the BUNDLE group);
//! - `roap-error`: a ROAP `ERROR` (`FAILED`) instead of an answer; the
//!   media server is not asked;
//! - `unreachable`: the media server's answer with its candidates moved to
//!   a loopback port nothing listens on, so ICE never connects.

use std::sync::Mutex;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ledger::fault_target;
use crate::kit::error::ApiError;
use crate::kit::lock;

/// What a media fault does to an offer's answer.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MediaFaultKind {
    /// The answer lacks its last m-line.
    DropMLine,
    /// A ROAP `ERROR` instead of an answer.
    RoapError,
    /// The answer's candidates point where nothing listens.
    Unreachable,
}

/// `POST /_emulator/faults` `{"media", "count"?, "personId"?}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaFault {
    /// What it does.
    pub media: MediaFaultKind,
    /// How many offers it takes, 1 to 1000 (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// The Hydra id (or uuid) of the person whose offers it takes.
    #[serde(default)]
    pub person_id: Option<String>,
}

fn one() -> u32 {
    1
}

impl MediaFault {
    /// A fault on the next offer of anyone.
    pub fn new(media: MediaFaultKind) -> Self {
        Self {
            media,
            count: 1,
            person_id: None,
        }
    }

    /// Whether an admin fault body is a media fault.
    pub(crate) fn is_one(value: &serde_json::Value) -> bool {
        value.get("media").is_some()
    }
}

#[derive(Clone, Copy, Debug)]
struct Armed {
    person: Option<Uuid>,
    remaining: u32,
    kind: MediaFaultKind,
}

/// The armed media faults, oldest first.
#[derive(Default)]
pub(crate) struct MediaFaults {
    armed: Mutex<Vec<Armed>>,
}

impl MediaFaults {
    /// Arms `fault`.
    pub(crate) fn add(&self, fault: &MediaFault) -> Result<(), ApiError> {
        let person = fault_target(fault.count, fault.person_id.as_deref())?;
        lock(&self.armed).push(Armed {
            person,
            remaining: fault.count,
            kind: fault.media,
        });
        Ok(())
    }

    /// Disarms every fault.
    pub(crate) fn clear(&self) {
        lock(&self.armed).clear();
    }

    /// The fault `person`'s offer gets, if one is armed (it is used up).
    pub(crate) fn take(&self, person: Uuid) -> Option<MediaFaultKind> {
        let mut armed = lock(&self.armed);
        let index = armed
            .iter()
            .position(|a| a.person.is_none_or(|p| p == person))?;
        let kind = armed[index].kind;
        armed[index].remaining -= 1;
        if armed[index].remaining == 0 {
            armed.remove(index);
        }
        Some(kind)
    }
}

/// `sdp` without its last m-line section, and without that mid in the
/// BUNDLE group.
pub(crate) fn drop_last_m_line(sdp: &str) -> String {
    let lines: Vec<&str> = sdp.lines().collect();
    let Some(last) = lines.iter().rposition(|l| l.starts_with("m=")) else {
        return sdp.to_owned();
    };
    let mid = lines[last..]
        .iter()
        .find_map(|l| l.strip_prefix("a=mid:"))
        .map(str::trim);
    let mut out = String::new();
    for line in &lines[..last] {
        let line = match (line.strip_prefix("a=group:BUNDLE"), mid) {
            (Some(mids), Some(mid)) => {
                let kept: Vec<&str> = mids.split_whitespace().filter(|m| *m != mid).collect();
                format!("a=group:BUNDLE {}", kept.join(" "))
            }
            _ => (*line).to_owned(),
        };
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}

/// `sdp` with every candidate's port replaced by `port`.
pub(crate) fn move_candidates(sdp: &str, port: u16) -> String {
    let mut out = String::new();
    for line in sdp.lines() {
        if line.starts_with("a=candidate:") {
            let mut fields: Vec<String> = line.split(' ').map(str::to_owned).collect();
            // a=candidate:<foundation> <component> <transport> <priority> <address> <port> ...
            if let Some(field) = fields.get_mut(5) {
                *field = port.to_string();
            }
            out.push_str(&fields.join(" "));
        } else {
            out.push_str(line);
        }
        out.push_str("\r\n");
    }
    out
}

/// A loopback UDP port nothing listens on (bound, then let go).
pub(crate) fn unused_udp_port() -> Result<u16, ApiError> {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("no UDP port for the fault: {e}"),
        )
    })?;
    socket.local_addr().map(|a| a.port()).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("no UDP port for the fault: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
        a=group:BUNDLE 0 1 2\r\na=ice-lite\r\n\
        m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n\
        a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=mid:1\r\n\
        m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=mid:2\r\na=content:slides\r\n";

    #[test]
    fn dropping_the_last_m_line_takes_its_mid_out_of_the_bundle() {
        let dropped = drop_last_m_line(ANSWER);
        assert_eq!(dropped.matches("m=").count(), 2);
        assert!(dropped.contains("a=group:BUNDLE 0 1\r\n"), "{dropped}");
        assert!(!dropped.contains("a=mid:2"));
        assert!(dropped.contains("a=mid:1\r\n"));
    }

    #[test]
    fn moved_candidates_keep_everything_but_the_port() {
        let moved = move_candidates(ANSWER, 9);
        assert!(moved.contains("a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\r\n"));
        assert_eq!(moved.len(), ANSWER.len() - 4);
    }

    #[test]
    fn a_fault_is_used_up_by_the_person_it_targets() {
        let faults = MediaFaults::default();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let mut fault = MediaFault::new(MediaFaultKind::RoapError);
        fault.person_id = Some(alice.to_string());
        fault.count = 2;
        faults.add(&fault).unwrap();
        assert_eq!(faults.take(bob), None);
        assert_eq!(faults.take(alice), Some(MediaFaultKind::RoapError));
        assert_eq!(faults.take(alice), Some(MediaFaultKind::RoapError));
        assert_eq!(faults.take(alice), None);
        fault.count = 0;
        assert!(faults.add(&fault).is_err());
    }

    #[test]
    fn the_wire_form_is_kebab_case() {
        let fault: MediaFault =
            serde_json::from_value(serde_json::json!({"media": "drop-m-line"})).unwrap();
        assert_eq!(fault, MediaFault::new(MediaFaultKind::DropMLine));
        assert!(serde_json::from_value::<MediaFault>(serde_json::json!({"media": "x"})).is_err());
    }
}
