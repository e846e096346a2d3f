//! `listen()`: Mercury conversation activities as the JS SDK's Hydra-style events
//! (`docs/protocol/conversation.md`, *Hydra-style events from activities* and *Backfill*).
//!
//! Every item is an event or a [`ListenError`], and the stream goes on after an error:
//! an activity that cannot be converted is reported with its id, a message that cannot be
//! fetched with the activity's id, a lag with the number of events missed. Nothing is
//! dropped without an item saying so.
//!
//! **Fetches.** `messages:created` events need the message from Hydra. Up to
//! [`FETCH_CONCURRENCY`] requests run at once; events still come out in the order their
//! activities arrived. The activities ready together are worked on as one batch, and
//! several posts of one room in a batch are fetched with one listing of the room
//! (`GET /messages?roomId=..&before=..`, with `mentionedPeople=me` for a bot in a group
//! room); what the listing does not return is fetched on its own.
//!
//! **Backfill** (`messages` only). When the socket is `Connected` again after a reconnect
//! (`webex.mercury().state()`), or after a lag, the messages posted since the last event
//! received (less [`BACKFILL_OVERLAP`], never before `listen()` was called) are listed over
//! REST: the rooms with activity since then, most recent first (at most
//! [`BACKFILL_MAX_ROOMS`]), and in each the newest messages since then (at most
//! [`BACKFILL_MAX_MESSAGES`]; a bot lists group rooms with `mentionedPeople=me`, which is
//! what reaches it live). They come out oldest first with
//! [`backfilled`](HydraEvent::backfilled) set; a bound that was reached, or a listing that
//! failed, is a [`ListenError`] item.
//!
//! **De-duplication.** A `messages:created` event whose message id is among the last
//! [`DEDUP_WINDOW`] delivered is dropped, so a message that arrives both live and by
//! backfill (or is redelivered) surfaces once.

mod backfill;
mod clusters;
mod convert;
mod error;
mod event;
mod fetch;
mod input;
mod listener;
mod resource;

use futures::stream::BoxStream;

pub use backfill::{BACKFILL_MAX_MESSAGES, BACKFILL_MAX_ROOMS, BACKFILL_OVERLAP};
pub(crate) use convert::{AttachmentActionEvents, MembershipEvents, MessageEvents, RoomEvents};
pub use error::ListenError;
pub use event::{
    AttachmentActionEventData, DeletedMessage, EventType, HydraEvent, MembershipEventData,
    MessageEventData, RoomEventData,
};
pub(crate) use listener::listen;
pub use listener::{DEDUP_WINDOW, FETCH_CONCURRENCY};

/// A stream of Hydra-style events from [`listen`](crate::messages::Messages::listen): each
/// item an event or what could not become one.
pub type EventStream<D> = BoxStream<'static, Result<HydraEvent<D>, ListenError>>;
