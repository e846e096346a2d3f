//! `webex.rooms()`, `webex.messages()`, ...: the API as methods on the client.

use webex_core::Webex;

use crate::attachment_actions::AttachmentActions;
use crate::client::Hydra;
use crate::memberships::Memberships;
use crate::messages::Messages;
use crate::people::People;
use crate::rooms::Rooms;
use crate::team_memberships::TeamMemberships;
use crate::teams::Teams;
use crate::webhooks::Webhooks;

/// The Hydra resources on a [`Webex`] client. Each method returns a cheap handle whose
/// methods return one builder per call.
pub trait MessagesExt {
    /// Rooms (spaces), and their read status.
    fn rooms(&self) -> Rooms;
    /// Messages.
    fn messages(&self) -> Messages;
    /// Room memberships, and read receipts.
    fn memberships(&self) -> Memberships;
    /// People and bots.
    fn people(&self) -> People;
    /// Teams.
    fn teams(&self) -> Teams;
    /// Team memberships.
    fn team_memberships(&self) -> TeamMemberships;
    /// Webhook registrations.
    fn webhooks(&self) -> Webhooks;
    /// Card submissions.
    fn attachment_actions(&self) -> AttachmentActions;
}

impl MessagesExt for Webex {
    fn rooms(&self) -> Rooms {
        Rooms::new(Hydra::new(self))
    }

    fn messages(&self) -> Messages {
        Messages::new(Hydra::new(self))
    }

    fn memberships(&self) -> Memberships {
        Memberships::new(Hydra::new(self))
    }

    fn people(&self) -> People {
        People::new(Hydra::new(self))
    }

    fn teams(&self) -> Teams {
        Teams::new(Hydra::new(self))
    }

    fn team_memberships(&self) -> TeamMemberships {
        TeamMemberships::new(Hydra::new(self))
    }

    fn webhooks(&self) -> Webhooks {
        Webhooks::new(Hydra::new(self))
    }

    fn attachment_actions(&self) -> AttachmentActions {
        AttachmentActions::new(Hydra::new(self))
    }
}
