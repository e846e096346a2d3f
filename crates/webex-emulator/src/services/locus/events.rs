//! The renderer of Mercury `locus.*` events: on every locus change, each
//! person in the meeting (and anyone the change is also for, such as the
//! one who just left) gets the change as they should see it, with their own
//! `self`.
//!
//! Someone who has had a DTO of this locus over Mercury gets a
//! `locus.difference` delta whose `baseSequence` is the sequence of that
//! DTO. Someone without one (the joiner at their join, a client that left
//! and rejoined) gets the full DTO under the event type of the change
//! (`locus.participant_joined`, `locus.controls_updated`, ...), which
//! clients apply as a full locus.

use std::sync::Arc;

use super::dto::{Dto, Viewer};
use super::ledger::Ledger;
use crate::bus::{Audience, Envelope, Event, LocusChange, Payload, Renderer};
use crate::views::meeting_urls::locus_url;
use crate::world::Data;
use serde_json::json;

/// The delta event type.
pub(crate) const DIFFERENCE: &str = "locus.difference";

/// The event type a full DTO of `change` travels under.
pub(crate) fn full_event_type(change: LocusChange) -> &'static str {
    match change {
        LocusChange::ParticipantJoined => "locus.participant_joined",
        LocusChange::ParticipantLeft => "locus.participant_left",
        LocusChange::ParticipantDeclined => "locus.participant_declined",
        LocusChange::ParticipantUpdated => "locus.participant_updated",
        LocusChange::ControlsUpdated | LocusChange::Ended => "locus.controls_updated",
        LocusChange::ParticipantControlsUpdated => "locus.participant_controls_updated",
        LocusChange::ParticipantRolesUpdated => "locus.participant_roles_updated",
        LocusChange::FloorGranted => "locus.floor_granted",
        LocusChange::FloorReleased => "locus.floor_released",
    }
}

/// The renderer, subscribed to the bus.
pub(crate) struct LocusEvents {
    base: String,
    ledger: Arc<Ledger>,
}

impl LocusEvents {
    /// A renderer for an emulator at `base`, recording in `ledger`.
    pub(crate) fn new(base: String, ledger: Arc<Ledger>) -> Self {
        Self { base, ledger }
    }
}

impl Renderer<Data> for LocusEvents {
    fn render(&self, data: &Data, event: &Event, out: &mut Vec<Envelope>) {
        let Event::Locus {
            locus,
            change,
            subject,
            also,
        } = event
        else {
            return;
        };
        let Some(locus) = data.meetings.locus(*locus) else {
            return;
        };
        let present = locus.audience();
        let mut audience = present.clone();
        for person in also {
            if !audience.contains(person) {
                audience.push(*person);
            }
        }
        let dto = Dto {
            base: &self.base,
            data,
        };
        let url = locus_url(&self.base, locus.id);
        for person in audience {
            let viewer = Viewer::Person(person);
            let last = if *subject == Some(person) {
                None
            } else {
                self.ledger.last(locus.id, person)
            };
            let base = last.filter(|n| (locus.first_sequence..locus.sequence).contains(n));
            let (event_type, body) = match base {
                Some(_) => (DIFFERENCE, dto.since(locus, viewer, base)),
                None => (full_event_type(*change), dto.full(locus, viewer)),
            };
            let still_here = present.contains(&person);
            self.ledger
                .record(locus.id, person, still_here.then_some(locus.sequence));
            let envelope = Envelope {
                audience: Audience::People(vec![person]),
                payload: Payload::Mercury {
                    event_type,
                    data: json!({"eventType": event_type, "locusUrl": url, "locus": body}),
                },
            };
            self.ledger.deliver(person, envelope, base.is_some(), out);
        }
    }
}
