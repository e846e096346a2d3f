//! Room memberships: `webex.memberships()`.

mod model;
mod requests;

pub use model::Membership;
pub use requests::{
    CreateMembership, GetMembership, ListMemberships, RemoveMembership, UpdateMembership,
};

pub use crate::conversation::{
    ListMembershipsWithReadStatus, MembershipReadStatus, UpdateLastSeen,
};

use crate::client::Hydra;
use crate::id::{MembershipId, MessageId, RoomId};

/// The memberships API; from [`MessagesExt::memberships`](crate::MessagesExt::memberships).
#[derive(Debug, Clone)]
pub struct Memberships {
    hydra: Hydra,
}

impl Memberships {
    /// Real-time memberships events over Mercury: `created`, `updated`, `deleted` and `seen` (read receipts), as the JS SDK's `listen()` emits
    /// them. Connects Mercury (registering the device) first; the stream ends when Mercury
    /// disconnects. Each item is an event or a [`ListenError`](crate::listen::ListenError)
    /// (an activity that could not be converted, a lag, ...); the stream goes on after one.
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`](webex_core::ErrorKind::MissingDependency) without the
    /// `mercury` plugin; Mercury connection failures; `people/me` failures.
    #[cfg(feature = "listen")]
    pub async fn listen(
        &self,
    ) -> webex_core::Result<crate::listen::EventStream<crate::listen::MembershipEventData>> {
        crate::listen::listen(self.hydra.clone(), crate::listen::MembershipEvents).await
    }

    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Adds a person to `room_id`; set `person_id` or `person_email`, then await it.
    pub fn create(&self, room_id: impl Into<RoomId>) -> CreateMembership {
        CreateMembership::new(self.hydra.clone(), room_id.into())
    }

    /// One membership.
    pub fn get(&self, id: impl Into<MembershipId>) -> GetMembership {
        GetMembership::new(self.hydra.clone(), id.into())
    }

    /// Memberships, filtered by room, person or e-mail, a page at a time.
    pub fn list(&self) -> ListMemberships {
        ListMemberships::new(self.hydra.clone())
    }

    /// Changes a membership (moderator, hidden room).
    pub fn update(&self, id: impl Into<MembershipId>) -> UpdateMembership {
        UpdateMembership::new(self.hydra.clone(), id.into())
    }

    /// Removes a person from a room.
    pub fn remove(&self, id: impl Into<MembershipId>) -> RemoveMembership {
        RemoveMembership::new(self.hydra.clone(), id.into())
    }

    /// A room's members with their read positions (not paginated).
    pub fn list_with_read_status(
        &self,
        room_id: impl Into<RoomId>,
    ) -> ListMembershipsWithReadStatus {
        ListMembershipsWithReadStatus::new(self.hydra.clone(), room_id.into())
    }

    /// Sends a read receipt: the caller has read up to `message_id` in `room_id`.
    pub fn update_last_seen(
        &self,
        message_id: impl Into<MessageId>,
        room_id: impl Into<RoomId>,
    ) -> UpdateLastSeen {
        UpdateLastSeen::new(self.hydra.clone(), message_id.into(), room_id.into())
    }
}
