//! The merged locus (`docs/protocol/locus-sync.md`, *Applying a DTO*): each top-level section
//! an update carries replaces the stored one, sections it lacks stay, and participants are
//! upserted by id and never deleted (one who leaves stays, with state `LEFT`).

use std::collections::HashMap;

use super::{Locus, Participant};

/// The locus as the client knows it: the first full DTO with every accepted update applied.
#[derive(Debug, Clone, PartialEq)]
pub struct LocusState {
    locus: Locus,
    /// Position of each participant id in `locus.participants`.
    index: HashMap<String, usize>,
}

impl LocusState {
    /// The state a first full DTO gives.
    pub fn new(mut locus: Locus) -> LocusState {
        let participants = std::mem::take(&mut locus.participants);
        let mut state = LocusState {
            locus,
            index: HashMap::with_capacity(participants.len()),
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
        for participant in participants {
            match self.index.get(&participant.id) {
                Some(&at) => self.locus.participants[at] = participant,
                None => {
                    self.index
                        .insert(participant.id.clone(), self.locus.participants.len());
                    self.locus.participants.push(participant);
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
