//! Devices waiting in a lobby must keep saying so: one whose last
//! keep-alive (or join) is older than [`LOBBY_TIMEOUT`] is dropped, as
//! Locus drops a client that went away without leaving.

use std::time::Duration;

use tokio::time::Instant;
use uuid::Uuid;

use super::Notice;
use super::participant::{LeaveReason, ParticipantState};
use crate::bus::LocusChange;
use crate::world::Data;

/// `keepAliveSecs`: how often a waiting client should send a keep-alive
/// (the JS SDK sends one every `(keepAliveSecs − 1) × 750` ms).
pub(crate) const KEEP_ALIVE_SECS: u64 = 20;

/// How long a waiting device may stay silent: three keep-alive periods.
pub(crate) const LOBBY_TIMEOUT: Duration = Duration::from_secs(3 * KEEP_ALIVE_SECS);

impl Data {
    /// When the next waiting device falls silent for too long, if any
    /// device waits.
    pub(crate) fn next_lobby_deadline(&self) -> Option<Instant> {
        self.meetings
            .live_loci()
            .flat_map(|locus| &locus.participants)
            .flat_map(|p| &p.devices)
            .filter(|d| d.waiting && !d.left)
            .map(|d| d.last_seen + LOBBY_TIMEOUT)
            .min()
    }

    /// Drops every device that waited silently past [`LOBBY_TIMEOUT`] at
    /// `now`; a participant left without devices leaves (`INACTIVE`).
    /// Returns how many devices it dropped.
    pub(crate) fn drop_silent_lobby(&mut self, now: Instant) -> usize {
        let silent = |last_seen: Instant| now.saturating_duration_since(last_seen) >= LOBBY_TIMEOUT;
        let due: Vec<(Uuid, Uuid)> = self
            .meetings
            .live_loci()
            .flat_map(|locus| {
                locus
                    .participants
                    .iter()
                    .filter(|p| {
                        p.devices
                            .iter()
                            .any(|d| d.waiting && !d.left && silent(d.last_seen))
                    })
                    .map(move |p| (locus.id, p.id))
            })
            .collect();
        let mut dropped = 0;
        for (locus, participant) in due {
            let result = self.change_locus(locus, LocusChange::ParticipantLeft, |locus, seq| {
                let Some(p) = locus.participant_mut(participant) else {
                    return Ok((0, Notice::default()));
                };
                let mut count = 0;
                for device in &mut p.devices {
                    if device.waiting && !device.left && silent(device.last_seen) {
                        device.left = true;
                        device.waiting = false;
                        count += 1;
                    }
                }
                if p.devices.iter().all(|d| d.left) {
                    p.state = ParticipantState::Left;
                    p.removed = true;
                    p.reason = Some(LeaveReason::Inactive);
                }
                p.changed_at = seq;
                let person = p.person;
                locus.stamps.full_state = seq;
                let notice = Notice {
                    subject: None,
                    also: vec![person],
                };
                Ok((count, notice))
            });
            // The locus was found a moment ago under the same lock, so this
            // fails only when its sequence ran out; then nothing changed.
            dropped += result.unwrap_or(0);
        }
        dropped
    }
}
