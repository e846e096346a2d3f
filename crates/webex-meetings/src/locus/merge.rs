//! The merged locus (`docs/protocol/locus-sync.md`, *Applying a DTO*): each top-level section
//! an update carries replaces the stored one, sections it lacks stay, and participants are
//! upserted by id and never deleted (one who leaves stays, with state `LEFT`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Locus, Participant};

/// Tells states apart, so a participant's revision is only compared within one state.
static NEXT_STATE_ID: AtomicU64 = AtomicU64::new(1);

/// The locus as the client knows it: the first full DTO with every accepted update applied.
#[derive(Debug)]
pub struct LocusState {
    locus: Locus,
    /// Position of each participant id in `locus.participants`.
    index: HashMap<String, usize>,
    /// Per participant (same positions): the update that last wrote it, so a view can reuse
    /// what it derived from a participant that did not change.
    revisions: Vec<u64>,
    /// Updates applied so far.
    revision: u64,
    /// This state's identity: revisions are compared only within one state.
    id: u64,
}

impl Clone for LocusState {
    /// A copy with an identity of its own: the two may diverge.
    fn clone(&self) -> LocusState {
        LocusState {
            locus: self.locus.clone(),
            index: self.index.clone(),
            revisions: self.revisions.clone(),
            revision: self.revision,
            id: NEXT_STATE_ID.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl LocusState {
    /// The state a first full DTO gives.
    pub fn new(mut locus: Locus) -> LocusState {
        let participants = std::mem::take(&mut locus.participants);
        let mut state = LocusState {
            locus,
            index: HashMap::with_capacity(participants.len()),
            revisions: Vec::with_capacity(participants.len()),
            revision: 0,
            id: NEXT_STATE_ID.fetch_add(1, Ordering::Relaxed),
        };
        state.upsert(participants);
        state
    }

    /// The merged locus (every participant ever seen, in the order first seen).
    pub fn locus(&self) -> &Locus {
        &self.locus
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.index.get(id).map(|&at| &self.locus.participants[at])
    }

    /// Which state this is and the revision of each participant (in
    /// [`locus().participants`](Locus::participants) order): equal pairs mean an unchanged
    /// participant.
    pub(crate) fn revisions(&self) -> (u64, &[u64]) {
        (self.id, &self.revisions)
    }

    /// Applies a full DTO or a delta.
    ///
    /// A DTO telling that this client was moved to a breakout (`self.state LEFT`, `reason
    /// MOVED`) updates the participants only: its sections describe the locus left behind.
    pub fn apply(&mut self, mut update: Locus) {
        let participants = std::mem::take(&mut update.participants);
        if !is_moved_away(&update) {
            self.replace_sections(update);
        }
        self.upsert(participants);
    }

    fn replace_sections(&mut self, update: Locus) {
        let Locus {
            url,
            sequence,
            base_sequence,
            sync_url,
            created,
            full_state,
            info,
            host,
            controls,
            participants: _,
            self_,
            media_shares,
            conversation_url,
            replaces,
            links,
        } = update;
        let stored = &mut self.locus;
        stored.url = url;
        stored.sequence = sequence;
        replace(&mut stored.base_sequence, base_sequence);
        replace(&mut stored.sync_url, sync_url);
        replace(&mut stored.created, created);
        replace(&mut stored.full_state, full_state);
        replace(&mut stored.info, info);
        replace(&mut stored.host, host);
        replace(&mut stored.controls, controls);
        replace(&mut stored.self_, self_);
        replace(&mut stored.media_shares, media_shares);
        replace(&mut stored.conversation_url, conversation_url);
        replace(&mut stored.replaces, replaces);
        replace(&mut stored.links, links);
    }

    fn upsert(&mut self, participants: Vec<Participant>) {
        self.revision += 1;
        for participant in participants {
            match self.index.get(&participant.id) {
                Some(&at) => {
                    self.locus.participants[at] = participant;
                    self.revisions[at] = self.revision;
                }
                None => {
                    self.index
                        .insert(participant.id.clone(), self.locus.participants.len());
                    self.locus.participants.push(participant);
                    self.revisions.push(self.revision);
                }
            }
        }
    }
}

/// A section the update carries replaces the stored one.
fn replace<T>(stored: &mut Option<T>, update: Option<T>) {
    if update.is_some() {
        *stored = update;
    }
}

fn is_moved_away(update: &Locus) -> bool {
    update.self_.as_ref().is_some_and(|me| {
        me.state.as_deref() == Some("LEFT") && me.reason.as_deref() == Some("MOVED")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locus::testing::{delta, full, participant};
    use crate::locus::{Controls, FullState, LockControl, Sequence};

    fn locked(locked: bool) -> Option<Controls> {
        Some(Controls {
            lock: Some(LockControl { locked }),
            ..Controls::default()
        })
    }

    #[test]
    fn sections_present_replace_and_absent_ones_stay() {
        let mut first = full(1);
        first.controls = locked(false);
        first.full_state = Some(FullState {
            state: Some("ACTIVE".to_owned()),
            ..FullState::default()
        });
        let mut state = LocusState::new(first);
        let mut update = delta(1, 2);
        update.controls = locked(true);
        state.apply(update);
        let locus = state.locus();
        assert_eq!(locus.controls, locked(true));
        assert_eq!(
            locus.full_state.as_ref().unwrap().state.as_deref(),
            Some("ACTIVE")
        );
        assert_eq!(locus.sequence, Sequence::of([2]));
        assert_eq!(locus.base_sequence, Some(Sequence::of([1])));
    }

    #[test]
    fn participants_are_upserted_by_id_in_first_seen_order() {
        let mut first = full(1);
        first.participants = vec![participant("a", "JOINED"), participant("b", "IDLE")];
        let mut state = LocusState::new(first);
        let mut update = full(2);
        update.participants = vec![participant("c", "JOINED"), participant("b", "JOINED")];
        state.apply(update);
        let ids: Vec<_> = state
            .locus()
            .participants
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(
            state.participant("b").unwrap().state.as_deref(),
            Some("JOINED")
        );
        // A full DTO without "a" does not delete it.
        assert!(state.participant("a").is_some());
    }

    #[test]
    fn a_dto_saying_self_moved_away_updates_participants_only() {
        let mut state = LocusState::new(full(1));
        let mut moved = delta(1, 2);
        moved.controls = locked(true);
        let mut me = participant("me", "LEFT");
        me.reason = Some("MOVED".to_owned());
        moved.self_ = Some(me.clone());
        moved.participants = vec![me];
        state.apply(moved);
        assert_eq!(state.locus().controls, None);
        assert_eq!(state.locus().sequence, Sequence::of([1]));
        assert_eq!(
            state.participant("me").unwrap().state.as_deref(),
            Some("LEFT")
        );
    }
}
