//! The state every route sees: where the emulator is, its world behind the
//! one data lock, the catalog of its services, and the stop signal.
//!
//! Service-specific state (the Mercury hub, the webhook delivery queue) is
//! not here: each service gets its own, so this module knows no service.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::watch;
use uuid::Uuid;

use crate::bus::Bus;
use crate::kit::auth::Authenticate;
use crate::kit::endpoint::Endpoint;
use crate::kit::lock;
use crate::kit::tracking::TrackingId;
use crate::views::catalog::Catalog;
use crate::world::{Data, Org};

/// What handlers extract with `State`.
pub(crate) type AppState = Arc<Shared>;

/// Everything the services share.
///
/// The test machinery (faults, the request log, catalog overrides, delivery
/// and connection logs) has its own locks, so that fault matching never
/// waits for a data operation. Lock order: [`Shared::data`] before any
/// subscriber's own lock (the Mercury hub's, the delivery queue's), never
/// the other way round.
pub(crate) struct Shared {
    /// Where clients reach the emulator.
    pub(crate) endpoint: Endpoint,
    /// The single organisation every person belongs to (a copy of the
    /// world's, readable without the lock).
    pub(crate) org: Org,
    /// The world, with the bus its changes go out on.
    pub(crate) data: Mutex<Data>,
    /// The service catalog.
    pub(crate) catalog: Catalog,
    /// Flipped to `true` once to stop the server. Long-lived tasks (the
    /// webhook worker, Mercury websockets) subscribe to it, since graceful
    /// HTTP shutdown does not end upgraded connections.
    pub(crate) shutdown: watch::Sender<bool>,
}

impl Shared {
    /// Fresh state for an emulator reachable at `endpoint`, with a new org
    /// whose changes go out on `bus`.
    pub(crate) fn new(endpoint: Endpoint, catalog: Catalog, bus: Bus<Data>) -> Self {
        let org = Org::new();
        Self {
            endpoint,
            data: Mutex::new(Data::new(org.clone(), bus)),
            org,
            catalog,
            shutdown: watch::Sender::new(false),
        }
    }

    /// Hands everything published so far to the bus's subscribers; callable
    /// from any task. `tracking_id` is the causing request's, if any.
    pub(crate) fn drain(&self, tracking_id: &str) {
        lock(&self.data).drain(tracking_id);
    }
}

impl Authenticate for Shared {
    fn person_of_token(&self, token: &str) -> Option<Uuid> {
        lock(&self.data).tokens.get(token).map(|info| info.person)
    }
}

/// Middleware: after every request, drains the bus, so the changes a
/// handler published reach webhooks and devices with the request's
/// tracking id, and no handler can forget to.
pub(crate) async fn drain_after(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let tracking_id = TrackingId::text_of(&request);
    let response = next.run(request).await;
    state.drain(&tracking_id);
    response
}
