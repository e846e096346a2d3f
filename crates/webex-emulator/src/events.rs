//! Changes to Hydra resources, as webhooks and the Mercury event stream
//! report them.
//!
//! Operations record what happened while they hold the data lock, with the
//! object already rendered for everyone allowed to see it (a deleted object
//! cannot be rendered later): a [`Change`] in
//! [`crate::state::Data::outbox`] for webhooks, and a [`Push`] (a
//! `conversation.activity`, see [`crate::mercury`]) in
//! [`crate::state::Data::pushes`] for connected devices. The [`dispatch`]
//! middleware drains both after every request, so no handler can forget to;
//! it does so under the data lock, so every webhook and every websocket sees
//! changes in the order they happened. Neither blocks: webhook deliveries go
//! to a queue, pushes to per-socket queues.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;
use uuid::Uuid;

use crate::kit::tracking::TrackingId;
use crate::state::{AppState, lock};
use crate::webhooks;

/// The resource kinds webhooks subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resource {
    /// `messages`.
    Messages,
    /// `memberships`.
    Memberships,
    /// `rooms`.
    Rooms,
    /// `attachmentActions`.
    AttachmentActions,
}

impl Resource {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Messages => "messages",
            Self::Memberships => "memberships",
            Self::Rooms => "rooms",
            Self::AttachmentActions => "attachmentActions",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [
            Self::Messages,
            Self::Memberships,
            Self::Rooms,
            Self::AttachmentActions,
        ]
        .into_iter()
        .find(|resource| resource.as_str() == name)
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// `created`.
    Created,
    /// `updated`.
    Updated,
    /// `deleted`.
    Deleted,
}

impl EventKind {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [Self::Created, Self::Updated, Self::Deleted]
            .into_iter()
            .find(|event| event.as_str() == name)
    }
}

/// One change, rendered for each person who may see it.
#[derive(Clone, Debug)]
pub(crate) struct Change {
    /// The kind of resource.
    pub(crate) resource: Resource,
    /// What happened to it.
    pub(crate) event: EventKind,
    /// Who did it.
    pub(crate) actor: Uuid,
    /// Each person who may see the change, with the object as they see it
    /// (for messages: without text, as webhooks carry them).
    pub(crate) audience: Vec<(Uuid, Value)>,
}

/// One Mercury `conversation.activity`, for the devices of the people who
/// may see it.
#[derive(Clone, Debug)]
pub(crate) struct Push {
    /// Whose connected devices get it.
    pub(crate) audience: Vec<Uuid>,
    /// The activity (`verb`, `actor`, `object`, `target`, ...).
    pub(crate) activity: Value,
}

/// Middleware: after every request, hands the recorded changes to the
/// webhooks that want them and the recorded activities to the connected
/// devices. Pushed envelopes carry the request's tracking id.
pub(crate) async fn dispatch(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let tracking_id = request
        .extensions()
        .get::<TrackingId>()
        .map(TrackingId::as_text)
        .unwrap_or_default();
    let response = next.run(request).await;
    let mut data = lock(&state.data);
    let changes = std::mem::take(&mut data.outbox);
    let pushes = std::mem::take(&mut data.pushes);
    for change in &changes {
        webhooks::deliver(&state, &data, change);
    }
    for push in pushes {
        state.mercury.publish(push, &tracking_id);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in ["messages", "memberships", "rooms", "attachmentActions"] {
            assert_eq!(Resource::parse(name).map(Resource::as_str), Some(name));
        }
        assert_eq!(Resource::parse("all"), None);
        for name in ["created", "updated", "deleted"] {
            assert_eq!(EventKind::parse(name).map(EventKind::as_str), Some(name));
        }
    }
}
