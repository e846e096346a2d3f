//! The renderer of webhook bodies: each Hydra change, rendered for every
//! person who may see it, at the moment it happens (a deleted object cannot
//! be rendered later).

use serde_json::Value;
use uuid::Uuid;

use crate::bus::{Audience, Change, Envelope, Event, EventKind, Payload, Renderer, Resource};
use crate::services::hydra::memberships::membership_json;
use crate::services::hydra::rooms::room_json;
use crate::views::action_json;
use crate::views::message_json;
use crate::world::Data;

/// Renders Hydra changes for the webhook dispatcher.
pub(crate) struct Changes;

impl Renderer<Data> for Changes {
    fn render(&self, data: &Data, event: &Event, out: &mut Vec<Envelope>) {
        // A change is rendered once per person who may see it, a whole object each: with
        // no webhook to deliver to, nobody would read them (and a webhook made later does
        // not get what happened before it).
        if !data.webhooks.any_active() {
            return;
        }
        let change = match *event {
            Event::Room { room, kind, actor } => room_change(data, room, kind, actor),
            Event::Membership {
                room,
                person,
                kind,
                actor,
                ..
            } => membership_change(data, room, person, kind, actor),
            Event::Message {
                message,
                kind,
                actor,
                ..
            } => message_change(data, message, kind, actor),
            Event::AttachmentAction { action } => action_change(data, action),
            Event::RoomSettings { .. }
            | Event::Moderator { .. }
            | Event::RoomHidden { .. }
            | Event::Locus { .. }
            | Event::PairedDevice { .. } => None,
        };
        if let Some(change) = change {
            out.push(Envelope {
                audience: Audience::Webhooks,
                payload: Payload::Change(change),
            });
        }
    }
}

/// A room event, seen by the room's members (for a deletion: before they
/// are removed).
fn room_change(data: &Data, uuid: Uuid, event: EventKind, actor: Uuid) -> Option<Change> {
    let room = data.rooms.get(uuid)?;
    let audience = data
        .memberships
        .of_room(uuid)
        .map(|m| {
            (
                m.person,
                room_json(data, room, m.person, &data.org.hydra_id),
            )
        })
        .collect();
    Some(Change {
        resource: Resource::Rooms,
        event,
        actor,
        audience,
    })
}

/// A membership event, seen by the room's members and by the member
/// themselves (who may just be leaving).
fn membership_change(
    data: &Data,
    room: Uuid,
    person: Uuid,
    event: EventKind,
    actor: Uuid,
) -> Option<Change> {
    let membership = data.memberships.get(room, person)?;
    let json = membership_json(data, membership);
    let audience = data
        .memberships
        .of_room(room)
        .map(|m| (m.person, json.clone()))
        .collect();
    Some(Change {
        resource: Resource::Memberships,
        event,
        actor,
        audience,
    })
}

/// A message event, without text, for the members who may see it.
fn message_change(data: &Data, uuid: Uuid, event: EventKind, actor: Uuid) -> Option<Change> {
    let message = data.messages.get(uuid)?;
    let json = message_json(data, message, false);
    Some(Change {
        resource: Resource::Messages,
        event,
        actor,
        audience: seen_by(data, message.uuid, &json),
    })
}

/// A card submit, without inputs, for those who may see its message.
fn action_change(data: &Data, uuid: Uuid) -> Option<Change> {
    let action = data.attachment_actions.get(uuid)?;
    data.messages.get(action.message)?;
    let json = action_json(action, false);
    Some(Change {
        resource: Resource::AttachmentActions,
        event: EventKind::Created,
        actor: action.person,
        audience: seen_by(data, action.message, &json),
    })
}

/// `json` for everyone who may see the message `message`.
fn seen_by(data: &Data, message: Uuid, json: &Value) -> Vec<(Uuid, Value)> {
    data.audience_of_message(message)
        .into_iter()
        .map(|person| (person, json.clone()))
        .collect()
}
