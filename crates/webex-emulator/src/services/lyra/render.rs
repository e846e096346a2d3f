//! `lyra.space_updated`: what the paired people's devices get when a
//! space changes, whoever changed it.

use serde_json::json;

use super::view::space_url;
use crate::bus::{Audience, Envelope, Event, Payload, Renderer};
use crate::world::Data;

/// The event type.
pub(crate) const SPACE_UPDATED: &str = "lyra.space_updated";

/// Renders [`Event::PairedDevice`] for the paired people (and those who just
/// left); the event carries only the space's URL, clients read the space.
pub(crate) struct SpaceUpdates {
    /// The Lyra base URL.
    base: String,
}

impl SpaceUpdates {
    /// The renderer for Lyra at `base`.
    pub(crate) fn new(base: String) -> Self {
        Self { base }
    }
}

impl Renderer<Data> for SpaceUpdates {
    fn render(&self, data: &Data, event: &Event, out: &mut Vec<Envelope>) {
        let Event::PairedDevice { device, also } = event else {
            return;
        };
        let Some(found) = data.paired_devices.get(*device) else {
            return;
        };
        let mut people = found.paired_people();
        for person in also {
            if !people.contains(person) {
                people.push(*person);
            }
        }
        if people.is_empty() {
            return;
        }
        out.push(Envelope {
            audience: Audience::People(people),
            payload: Payload::Mercury {
                event_type: SPACE_UPDATED,
                data: json!({
                    "eventType": SPACE_UPDATED,
                    "spaceUrl": space_url(&self.base, *device),
                }),
            },
        });
    }
}
