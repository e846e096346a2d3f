//! Mercury, the websocket event channel of a registered device.
//!
//! A device's `webSocketUrl` ([`crate::world::devices`]) points at
//! `/mercury/api/v1/apps/wx2/registrations/<device uuid>/messages`. The
//! protocol, as the JS SDK speaks it:
//!
//! 1. The client opens the socket (no `Authorization` header) and sends
//!    `{"id", "type": "authorization", "data": {"token": "Bearer <token>"},
//!    "trackingId"}`. A bad token closes the socket with 4401, a device that
//!    is not the token owner's with 4404, any other first message with 4400;
//!    no authorization within 30 s closes it with 1008.
//! 2. The server's first message is the readiness envelope: no `type`,
//!    `data.eventType` `mercury.buffer_state`, `sequenceNumber` 1. Clients
//!    wait for exactly this before they count as connected.
//! 3. The client acknowledges every message with an `id`
//!    (`{"type": "ack", "messageId"}`: the frame id, or the id of the
//!    activity it carries, as webex-bot acks) and pings
//!    (`{"id", "type": "ping"}`), answered with `{"id": <same>, "type":
//!    "pong"}` (no sequence number).
//! 4. The server pushes `{"id", "data": {"eventType":
//!    "conversation.activity", "activity"}, "timestamp", "trackingId",
//!    "alertType", "headers", "sequenceNumber", "filterMessage",
//!    "wsWriteTimestamp"}` envelopes, numbered per socket, for what happens in
//!    the rooms the device's owner is in (rendered by the conversation
//!    service); `trackingId` is the one of the request that caused the
//!    activity. The hub pushes whatever event type a renderer produced.
//!
//! Frames are JSON text (binary frames holding JSON are read too). A frame
//! that is not a JSON object closes the socket with 1007, one over 1 MiB with
//! 1009. A client's close frame is echoed before the connection ends.
//! Deleting the device closes its sockets with 1000, stopping the emulator
//! with 1001.
//!
//! What a socket was sent and did not acknowledge ([`delivery`]) is parked
//! for its device when it ends and sent to the device's next socket within
//! the redelivery window ([`parking`]). Tests close, stall or drop sockets
//! on demand ([`fault`]).
//!
//! The hub subscribes to the bus: envelopes for people go to their
//! sockets, a `Close` for a device closes that device's sockets. Every
//! accepted socket, and how it ended, is kept in the [`connections`] log,
//! which the control surface reads.
//!
//! Sockets never slow the API down: events are queued per socket (the
//! [`Hub`]'s `publish` never waits), a socket whose queue overflows is closed
//! with 1011, and a socket that fails is dropped without affecting others.

mod burst;
pub(crate) mod connections;
mod delivery;
pub(crate) mod fault;
mod hub;
pub(crate) mod parking;
mod socket;

use std::sync::Arc;

use axum::routing::get;
use axum::{Extension, Router};

pub(crate) use self::burst::BURST_CHUNK;
pub(crate) use self::hub::Hub;
use crate::app::AppState;
use crate::bus::{Audience, Envelope, Payload, Subscriber};
use crate::kit::service::{Listing, ServiceSpec};
use crate::world::Data;

/// The Mercury service; clients find it through WDM, not the catalog.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "mercury",
    base_path: "/mercury/api/v1",
    listing: Listing::Unlisted,
};

/// The routes; the socket tasks join `hub`.
pub(crate) fn routes(hub: Arc<Hub>) -> Router<AppState> {
    Router::new()
        .route(
            &SPEC.path("/apps/wx2/registrations/{id}/messages"),
            get(socket::upgrade),
        )
        .layer(Extension(hub))
}

impl Subscriber<Data> for Hub {
    fn receive(&self, _data: &Data, envelope: &Envelope, tracking_id: &str) {
        match (&envelope.audience, &envelope.payload) {
            (Audience::People(people), Payload::Mercury { data, .. }) => {
                self.publish(people, data.clone(), tracking_id);
            }
            (Audience::Device(device), Payload::Mercury { data, .. }) => {
                self.publish_to_device(*device, data.clone(), tracking_id);
            }
            (Audience::Device(device), Payload::Close { reason }) => {
                self.close_device(*device, reason);
            }
            _ => {}
        }
    }
}
