//! The emulator's control surface for tests: the admin operations, faults
//! and the request log.
//!
//! Every admin operation is one method of [`Control`], used by both doors:
//! the admin HTTP API under `/_emulator/` ([`routes`]) and the Rust
//! [`crate::Emulator`] API.

pub(crate) mod burst;
pub(crate) mod client_logs;
pub(crate) mod console;
pub(crate) mod devices;
pub(crate) mod faults;
pub(crate) mod kms;
pub(crate) mod meetings;
pub(crate) mod mercury_faults;
pub(crate) mod oauth;
pub(crate) mod operations;
pub(crate) mod paired_devices;
pub(crate) mod people;
pub(crate) mod recent_requests;
pub(crate) mod requests;
pub(crate) mod routes;
pub(crate) mod state;

use std::sync::{Arc, Mutex};

use self::faults::{Fault, FaultQueue};
use self::mercury_faults::MercuryFault;
use self::requests::RequestLog;
use crate::app::AppState;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::services::datachannel::DataChannels;
use crate::services::hydra::webhooks::delivery::{Deliveries, WebhookDelivery};
use crate::services::locus::ledger::Ledger;
use crate::services::locus::media_fault::{MediaFault, MediaFaults};
use crate::services::media::{MediaService, MediaSessionInfo};
use crate::services::mercury::Hub;
use crate::services::mercury::connections::MercuryConnection;
use crate::views::catalog::CatalogHost;
use crate::world::people::{CreatePersonError, CreatedPerson, NewPerson};

/// The admin operations, and the test machinery they drive.
pub(crate) struct Control {
    state: AppState,
    /// Injected faults, in FIFO order.
    faults: Mutex<FaultQueue>,
    /// Count of non-admin requests per path.
    requests: Mutex<RequestLog>,
    /// The webhook delivery queue and the log of recent attempts.
    deliveries: Arc<Deliveries>,
    /// The Mercury sockets, with the log of connections.
    hub: Arc<Hub>,
    /// What each person got of each locus, with the Locus faults.
    ledger: Arc<Ledger>,
    /// The media server's sessions.
    media: Arc<MediaService>,
    /// The armed media answer faults.
    media_faults: Arc<MediaFaults>,
    /// The meetings' data-channel registrations.
    datachannels: Arc<DataChannels>,
}

impl Control {
    /// The controls of the emulator with `state`, whose webhook
    /// deliveries go through `deliveries`, whose sockets are in `hub` and
    /// whose Locus pushes are recorded in `ledger`, whose media sessions
    /// are in `media` and whose data-channel registrations in
    /// `datachannels`.
    pub(crate) fn new(
        state: AppState,
        deliveries: Arc<Deliveries>,
        hub: Arc<Hub>,
        ledger: Arc<Ledger>,
        (media, media_faults): (Arc<MediaService>, Arc<MediaFaults>),
        datachannels: Arc<DataChannels>,
    ) -> Self {
        Self {
            state,
            faults: Mutex::new(FaultQueue::default()),
            requests: Mutex::new(RequestLog::default()),
            deliveries,
            hub,
            ledger,
            media,
            media_faults,
            datachannels,
        }
    }

    /// The media server's live sessions.
    pub(crate) fn media_sessions(&self) -> Vec<MediaSessionInfo> {
        self.media.sessions()
    }

    /// Creates a person (or bot) and an access token for it.
    pub(crate) fn create_person(
        &self,
        request: NewPerson,
    ) -> Result<CreatedPerson, CreatePersonError> {
        lock(&self.state.data).create_person(request)
    }

    /// Queues a fault; returns its id.
    pub(crate) fn add_fault(&self, fault: Fault) -> Result<String, ApiError> {
        lock(&self.faults).add(fault)
    }

    /// Applies a Mercury fault to the open sockets it targets; returns how
    /// many it hit.
    pub(crate) fn add_mercury_fault(&self, fault: &MercuryFault) -> Result<usize, ApiError> {
        let person = fault.target()?;
        Ok(self.hub.fault(person, fault.action))
    }

    /// Arms a media answer fault.
    pub(crate) fn add_media_fault(&self, fault: &MediaFault) -> Result<(), ApiError> {
        self.media_faults.add(fault)
    }

    /// Removes every queued fault, Locus and media faults included.
    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
        self.ledger.clear_faults();
        self.media_faults.clear();
    }

    /// Adds a host to the main catalog key.
    pub(crate) fn add_catalog_host(&self, host: CatalogHost) -> Result<(), ApiError> {
        self.state.catalog.add_host(host)
    }

    /// Removes every host added with [`Control::add_catalog_host`].
    pub(crate) fn reset_catalog_hosts(&self) {
        self.state.catalog.reset_hosts();
    }

    /// How many non-admin requests whose path starts with `prefix` were
    /// received.
    pub(crate) fn request_count(&self, prefix: &str) -> usize {
        lock(&self.requests).count(prefix)
    }

    /// The webhook deliveries attempted so far, oldest first.
    pub(crate) fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.deliveries.log()
    }

    /// Forgets the webhook deliveries attempted so far.
    pub(crate) fn clear_webhook_deliveries(&self) {
        self.deliveries.clear_log();
    }

    /// Every Mercury socket accepted so far (the last 1000; open ones are
    /// always kept), oldest first, with how each one ended.
    pub(crate) fn mercury_connections(&self) -> Vec<MercuryConnection> {
        self.hub.connections.list()
    }
}
