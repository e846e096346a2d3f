//! Emptying the world (`POST /_emulator/reset`): every Webex object goes,
//! while what the emulator is keeps: the org, the bus and its subscribers,
//! the data clock (times stay increasing), the limits set on devices and
//! uploads, the KMS identity, and the wake-up calls of the tasks that
//! expire devices and lobby waits.

use uuid::Uuid;

use super::Data;
use super::attachment_actions::AttachmentActionStore;
use super::client_logs::ClientLogStore;
use super::memberships::MembershipStore;
use super::messages::MessageStore;
use super::oauth::OAuthStore;
use super::paired_devices::PairedDeviceStore;
use super::people::PeopleStore;
use super::rooms::RoomStore;
use super::team_memberships::TeamMembershipStore;
use super::teams::TeamStore;
use super::tokens::TokenStore;
use super::webhooks::WebhookStore;
use crate::bus::{Audience, Envelope, Payload};

/// The close reason the websockets of a reset world's devices get.
const RESET: &str = "Emulator reset";

impl Data {
    /// Empties the world; the sockets of the devices it held get a close,
    /// queued on the bus for the next drain. Returns how many devices went.
    pub(crate) fn reset(&mut self) -> usize {
        let devices: Vec<Uuid> = self.devices.clear();
        self.people = PeopleStore::default();
        self.tokens = TokenStore::default();
        self.oauth = OAuthStore::default();
        self.rooms = RoomStore::default();
        self.memberships = MembershipStore::default();
        self.messages = MessageStore::default();
        self.contents.clear();
        self.teams = TeamStore::default();
        self.team_memberships = TeamMembershipStore::default();
        self.webhooks = WebhookStore::default();
        self.attachment_actions = AttachmentActionStore::default();
        self.client_logs = ClientLogStore::default();
        self.meetings.clear();
        self.paired_devices = PairedDeviceStore::default();
        self.kms.clear();
        for &device in &devices {
            self.post(Envelope {
                audience: Audience::Device(device),
                payload: Payload::Close { reason: RESET },
            });
        }
        devices.len()
    }
}
