//! Rooms (spaces): `webex.rooms()`.

mod model;
mod requests;

pub use model::{Room, RoomSortBy, RoomType};
pub use requests::{CreateRoom, GetRoom, ListRooms, RemoveRoom, UpdateRoom};

pub use crate::conversation::{GetRoomWithReadStatus, ListRoomsWithReadStatus, RoomReadStatus};

use crate::client::Hydra;
use crate::id::RoomId;

/// The rooms API; from [`MessagesExt::rooms`](crate::MessagesExt::rooms).
#[derive(Debug, Clone)]
pub struct Rooms {
    hydra: Hydra,
}

impl Rooms {
    /// Real-time rooms events over Mercury: `created` and `updated`, as the JS SDK's `listen()` emits
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
    ) -> webex_core::Result<crate::listen::EventStream<crate::listen::RoomEventData>> {
        crate::listen::listen(self.hydra.clone(), crate::listen::RoomEvents).await
    }

    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Creates a room titled `title`; the caller becomes its first member.
    pub fn create(&self, title: impl Into<String>) -> CreateRoom {
        CreateRoom::new(self.hydra.clone(), title.into())
    }

    /// One room.
    pub fn get(&self, id: impl Into<RoomId>) -> GetRoom {
        GetRoom::new(self.hydra.clone(), id.into())
    }

    /// The caller's rooms, a page at a time.
    pub fn list(&self) -> ListRooms {
        ListRooms::new(self.hydra.clone())
    }

    /// Renames a room (Hydra requires the title on every update) and changes its settings.
    pub fn update(&self, id: impl Into<RoomId>, title: impl Into<String>) -> UpdateRoom {
        UpdateRoom::new(self.hydra.clone(), id.into(), title.into())
    }

    /// Deletes a room.
    pub fn remove(&self, id: impl Into<RoomId>) -> RemoveRoom {
        RemoveRoom::new(self.hydra.clone(), id.into())
    }

    /// Every room of the caller with its read status, most recent activity first. With
    /// `max_recent` between 1 and 100, only that many rooms active in the last two weeks;
    /// 0 means all (up to 1000).
    pub fn list_with_read_status(&self, max_recent: usize) -> ListRoomsWithReadStatus {
        ListRoomsWithReadStatus::new(self.hydra.clone(), max_recent)
    }

    /// One room's read status, from the conversation service of the room's cluster.
    pub fn get_with_read_status(&self, room_id: impl Into<RoomId>) -> GetRoomWithReadStatus {
        GetRoomWithReadStatus::new(self.hydra.clone(), room_id.into())
    }
}
