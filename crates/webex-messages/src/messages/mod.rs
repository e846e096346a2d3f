//! Messages: `webex.messages()`.

mod create;
mod model;
mod requests;
mod upload;

pub use create::CreateMessage;
pub use model::{ADAPTIVE_CARD, Attachment, Message};
pub use requests::{GetMessage, ListMessages, RemoveMessage, UpdateMessage};
pub use upload::MAX_FILE_SIZE;

use crate::client::Hydra;
use crate::id::{MessageId, RoomId};

/// The messages API; from [`MessagesExt::messages`](crate::MessagesExt::messages).
#[derive(Debug, Clone)]
pub struct Messages {
    hydra: Hydra,
}

impl Messages {
    /// Real-time messages events over Mercury: `created` (the message, fetched from Hydra) and `deleted`, as the JS SDK's `listen()` emits
    /// them. Connects Mercury (registering the device) first; the stream ends when Mercury
    /// disconnects. Each item is an event or a [`ListenError`](crate::listen::ListenError)
    /// (an activity that could not be converted, a lag, ...); the stream goes on after one.
    /// Messages missed while the socket was down are backfilled over REST after it is back,
    /// and a message never surfaces twice (see [`listen`](crate::listen)).
    ///
    /// # Errors
    /// [`ErrorKind::MissingDependency`](webex_core::ErrorKind::MissingDependency) without the
    /// `mercury` plugin; Mercury connection failures; `people/me` failures.
    #[cfg(feature = "listen")]
    pub async fn listen(
        &self,
    ) -> webex_core::Result<crate::listen::EventStream<crate::listen::MessageEventData>> {
        crate::listen::listen(self.hydra.clone(), crate::listen::MessageEvents).await
    }

    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// A new message; set a destination and some content, then await it.
    pub fn create(&self) -> CreateMessage {
        CreateMessage::new(self.hydra.clone())
    }

    /// One message.
    pub fn get(&self, id: impl Into<MessageId>) -> GetMessage {
        GetMessage::new(self.hydra.clone(), id.into())
    }

    /// A room's messages, newest first, a page at a time.
    pub fn list(&self, room_id: impl Into<RoomId>) -> ListMessages {
        ListMessages::new(self.hydra.clone(), room_id.into())
    }

    /// Edits a message in `room_id`; set the new text or markdown, then await it.
    pub fn update(&self, id: impl Into<MessageId>, room_id: impl Into<RoomId>) -> UpdateMessage {
        UpdateMessage::new(self.hydra.clone(), id.into(), room_id.into())
    }

    /// Deletes a message.
    pub fn remove(&self, id: impl Into<MessageId>) -> RemoveMessage {
        RemoveMessage::new(self.hydra.clone(), id.into())
    }
}
