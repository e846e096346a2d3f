//! The emulator's shared state: one `Arc<Shared>` that every handler gets.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use uuid::Uuid;

use crate::attachment_actions::AttachmentActionStore;
use crate::catalog::CatalogHost;
use crate::contents::ContentStore;
use crate::devices::DeviceStore;
use crate::events::{Change, Push};
use crate::faults::FaultQueue;
use crate::kit::auth::Authenticate;
use crate::kit::clock::{DataClock, Stamp};
pub(crate) use crate::kit::endpoint::Endpoint;
use crate::kit::ids::{self, HydraType};
use crate::memberships::MembershipStore;
use crate::mercury::Hub;
use crate::messages::MessageStore;
use crate::people::PeopleStore;
use crate::requests::RequestLog;
use crate::rooms::RoomStore;
use crate::team_memberships::TeamMembershipStore;
use crate::teams::TeamStore;
use crate::tokens::TokenStore;
use crate::webhooks::WebhookStore;
use crate::webhooks::delivery::Deliveries;

/// What handlers extract with `State`.
pub(crate) type AppState = Arc<Shared>;

/// Everything the emulator knows.
///
/// Webex data (people, rooms, messages, webhooks, ...) lives in one
/// [`Data`] behind one mutex, because operations span resources (posting a
/// message reads people, rooms and memberships) and must be atomic. A single
/// lock also rules out lock-order deadlocks as stores are added. The test
/// machinery (faults, the request log, catalog overrides) has its own locks so
/// that fault matching never waits for a data operation.
pub(crate) struct Shared {
    /// Where clients reach the emulator.
    pub(crate) endpoint: Endpoint,
    /// The single organisation every person belongs to.
    pub(crate) org: Org,
    /// Webex resources.
    pub(crate) data: Mutex<Data>,
    /// Injected faults, in FIFO order.
    pub(crate) faults: Mutex<FaultQueue>,
    /// Count of non-admin requests per path.
    pub(crate) requests: Mutex<RequestLog>,
    /// Extra priority hosts added by tests to the main catalog key.
    pub(crate) catalog_hosts: Mutex<Vec<CatalogHost>>,
    /// The webhook delivery queue and the log of recent attempts.
    pub(crate) deliveries: Deliveries,
    /// The open Mercury websockets. Lock order: [`Shared::data`] before the
    /// hub's own lock, never the other way round.
    pub(crate) mercury: Hub,
    /// Flipped to `true` once to stop the server. Long-lived tasks (the
    /// webhook worker, Mercury websockets) subscribe to it, since graceful
    /// HTTP shutdown does not end upgraded connections.
    pub(crate) shutdown: watch::Sender<bool>,
}

impl Shared {
    /// Fresh state for an emulator reachable at `endpoint`, with a new org.
    pub(crate) fn new(endpoint: Endpoint) -> Self {
        let org = Org::new();
        let data = Data::new(&org, &endpoint);
        Self {
            endpoint,
            org,
            data: Mutex::new(data),
            faults: Mutex::new(FaultQueue::default()),
            requests: Mutex::new(RequestLog::default()),
            catalog_hosts: Mutex::new(Vec::new()),
            deliveries: Deliveries::default(),
            mercury: Hub::default(),
            shutdown: watch::Sender::new(false),
        }
    }
}

impl Authenticate for Shared {
    fn person_of_token(&self, token: &str) -> Option<Uuid> {
        lock(&self.data).tokens.get(token).map(|info| info.person)
    }
}

/// The Webex resources, one store per resource kind.
pub(crate) struct Data {
    /// The org's uuid.
    pub(crate) org_uuid: Uuid,
    /// The org's Hydra id, for `orgId` fields.
    pub(crate) org_id: String,
    /// The conversation service's base URL, `{base}/conversation/api/v1`,
    /// which Mercury activities carry in their `url` fields.
    pub(crate) conversation_url: String,
    /// Changes not yet handed to webhooks.
    pub(crate) outbox: Vec<Change>,
    /// Mercury activities not yet handed to the connected devices.
    pub(crate) pushes: Vec<Push>,
    /// Times and creation order of every object.
    pub(crate) clock: DataClock,
    /// People and bots.
    pub(crate) people: PeopleStore,
    /// Access tokens issued to them.
    pub(crate) tokens: TokenStore,
    /// Rooms, group and direct.
    pub(crate) rooms: RoomStore,
    /// Who is in which room.
    pub(crate) memberships: MembershipStore,
    /// Messages.
    pub(crate) messages: MessageStore,
    /// Uploaded files of messages.
    pub(crate) contents: ContentStore,
    /// Teams.
    pub(crate) teams: TeamStore,
    /// Who is in which team.
    pub(crate) team_memberships: TeamMembershipStore,
    /// Webhooks.
    pub(crate) webhooks: WebhookStore,
    /// Card submits.
    pub(crate) attachment_actions: AttachmentActionStore,
    /// Registered devices (WDM).
    pub(crate) devices: DeviceStore,
}

impl Data {
    /// Empty stores for the org `org`, served at `endpoint`.
    fn new(org: &Org, endpoint: &Endpoint) -> Self {
        Self {
            org_uuid: org.uuid,
            org_id: org.hydra_id.clone(),
            conversation_url: format!("{}/conversation/api/v1", endpoint.base_url()),
            outbox: Vec::new(),
            pushes: Vec::new(),
            clock: DataClock::default(),
            people: PeopleStore::default(),
            tokens: TokenStore::default(),
            rooms: RoomStore::default(),
            memberships: MembershipStore::default(),
            messages: MessageStore::default(),
            contents: ContentStore::default(),
            teams: TeamStore::default(),
            team_memberships: TeamMembershipStore::default(),
            webhooks: WebhookStore::default(),
            attachment_actions: AttachmentActionStore::default(),
            devices: DeviceStore::default(),
        }
    }

    /// A fresh time and sequence number for a new or changed object.
    pub(crate) fn tick(&mut self) -> Stamp {
        self.clock.tick()
    }
}

/// The emulator's one organisation.
pub(crate) struct Org {
    /// The org's UUID, as it appears in tokens and in the catalog's `orgId`.
    pub(crate) uuid: Uuid,
    /// The org's Hydra id, as Hydra objects show it in `orgId`.
    pub(crate) hydra_id: String,
    /// The Hydra id of the (one) application that owns every webhook.
    pub(crate) app_id: String,
}

impl Org {
    fn new() -> Self {
        let uuid = Uuid::new_v4();
        Self {
            uuid,
            hydra_id: ids::org_id(uuid),
            app_id: ids::uuid_id(HydraType::Application, Uuid::new_v4()),
        }
    }
}

pub(crate) use crate::kit::lock;
