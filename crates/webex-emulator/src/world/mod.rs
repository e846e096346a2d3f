//! The world: every Webex object the emulator knows, and the rules of
//! Webex about them (who may see and change what).
//!
//! Webex data (people, rooms, messages, webhooks, ...) lives in one
//! [`Data`] behind one mutex, because operations span resources (posting a
//! message reads people, rooms and memberships) and must be atomic. A single
//! lock also rules out lock-order deadlocks as stores are added.
//!
//! Operations publish what changed on the [`Bus`] inside the world, under
//! that lock, so every audience sees changes in the order they happened.
//! The world knows no service: no routes, no service's JSON shapes. It
//! imports only [`crate::kit`] and [`crate::bus`].

pub(crate) mod attachment_actions;
pub(crate) mod client_logs;
pub(crate) mod contents;
pub(crate) mod devices;
pub(crate) mod kms;
pub(crate) mod meetings;
pub(crate) mod memberships;
pub(crate) mod messages;
pub(crate) mod oauth;
pub(crate) mod paired_devices;
pub(crate) mod people;
mod reset;
pub(crate) mod rooms;
pub(crate) mod team_memberships;
pub(crate) mod teams;
pub(crate) mod tokens;
pub(crate) mod webhooks;

use uuid::Uuid;

use self::attachment_actions::AttachmentActionStore;
use self::client_logs::ClientLogStore;
use self::contents::ContentStore;
use self::devices::DeviceStore;
use self::kms::KmsStore;
use self::meetings::MeetingStore;
use self::memberships::MembershipStore;
use self::messages::MessageStore;
use self::oauth::OAuthStore;
use self::paired_devices::PairedDeviceStore;
use self::people::PeopleStore;
use self::rooms::RoomStore;
use self::team_memberships::TeamMembershipStore;
use self::teams::TeamStore;
use self::tokens::TokenStore;
use self::webhooks::WebhookStore;
use crate::bus::{self, Bus, Carrier, Envelope, Event};
use crate::kit::clock::{DataClock, Stamp};
use crate::kit::ids::{self, HydraType};

/// The Webex resources, one store per resource kind, and the bus their
/// changes go out on.
pub(crate) struct Data {
    /// The one organisation.
    pub(crate) org: Org,
    /// Rendered changes not yet drained.
    pub(crate) bus: Bus<Data>,
    /// Times and creation order of every object.
    pub(crate) clock: DataClock,
    /// People and bots.
    pub(crate) people: PeopleStore,
    /// Access tokens issued to them.
    pub(crate) tokens: TokenStore,
    /// OAuth clients, codes, grants and guest issuers.
    pub(crate) oauth: OAuthStore,
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
    /// Client log uploads.
    pub(crate) client_logs: ClientLogStore,
    /// Meetings and their loci.
    pub(crate) meetings: MeetingStore,
    /// Simulated room devices (Lyra spaces) and people's recent ones.
    pub(crate) paired_devices: PairedDeviceStore,
    /// The key management service.
    pub(crate) kms: KmsStore,
}

impl Data {
    /// Empty stores for the org `org`, publishing on `bus`.
    pub(crate) fn new(org: Org, bus: Bus<Data>) -> Self {
        Self {
            org,
            bus,
            clock: DataClock::default(),
            people: PeopleStore::default(),
            tokens: TokenStore::default(),
            oauth: OAuthStore::default(),
            rooms: RoomStore::default(),
            memberships: MembershipStore::default(),
            messages: MessageStore::default(),
            contents: ContentStore::default(),
            teams: TeamStore::default(),
            team_memberships: TeamMembershipStore::default(),
            webhooks: WebhookStore::default(),
            attachment_actions: AttachmentActionStore::default(),
            devices: DeviceStore::default(),
            client_logs: ClientLogStore::default(),
            meetings: MeetingStore::default(),
            paired_devices: PairedDeviceStore::default(),
            kms: KmsStore::default(),
        }
    }

    /// A fresh time and sequence number for a new or changed object.
    pub(crate) fn tick(&mut self) -> Stamp {
        self.clock.tick()
    }

    /// Publishes what just happened; renderers see the world as it is now.
    pub(crate) fn publish(&mut self, event: Event) {
        bus::publish(self, &event);
    }

    /// Queues an envelope that needs no rendering.
    pub(crate) fn post(&mut self, envelope: Envelope) {
        self.bus.post(envelope);
    }

    /// Hands what was published so far to the bus's subscribers.
    pub(crate) fn drain(&mut self, tracking_id: &str) {
        bus::drain(self, tracking_id);
    }
}

impl Carrier for Data {
    fn bus(&self) -> &Bus<Self> {
        &self.bus
    }

    fn bus_mut(&mut self) -> &mut Bus<Self> {
        &mut self.bus
    }
}

/// The emulator's one organisation.
#[derive(Clone, Debug)]
pub(crate) struct Org {
    /// The org's UUID, as it appears in tokens and in the catalog's `orgId`.
    pub(crate) uuid: Uuid,
    /// The org's Hydra id, as Hydra objects show it in `orgId`.
    pub(crate) hydra_id: String,
    /// The Hydra id of the (one) application that owns every webhook.
    pub(crate) app_id: String,
}

impl Org {
    /// A new org with fresh ids.
    pub(crate) fn new() -> Self {
        let uuid = Uuid::new_v4();
        Self {
            uuid,
            hydra_id: ids::org_id(uuid),
            app_id: ids::uuid_id(HydraType::Application, Uuid::new_v4()),
        }
    }
}
