//! Backfill: the messages posted while the socket was down (or while the stream lagged),
//! recovered over REST. The rooms with activity since the last event are listed by
//! `lastactivity`, then each room's messages since then, newest first, within the bounds
//! below; the result is emitted oldest first, each event marked `backfilled`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use futures::future::ready;
use futures::{StreamExt, TryStreamExt};
use webex_core::Result;

use super::error::ListenError;
use super::event::{Envelope, EventType, MessageEventData};
use super::resource::Item;
use crate::Timestamp;
use crate::client::Hydra;
use crate::messages::{ListMessages, Message};
use crate::people::{Person, PersonType};
use crate::rooms::{ListRooms, Room, RoomSortBy, RoomType};

/// At most this many rooms are backfilled: the most recently active ones. More rooms with
/// activity since the last event are reported as [`ListenError::BackfillTruncated`].
pub const BACKFILL_MAX_ROOMS: usize = 100;

/// At most this many messages per room are backfilled: the newest ones. More are reported
/// as [`ListenError::BackfillTruncated`] for that room.
pub const BACKFILL_MAX_MESSAGES: usize = 1000;

/// How far before the last event received the backfill starts. Events from different rooms
/// may arrive slightly out of their `published` order, so the window reaches back a little;
/// what it finds again is removed by the de-duplication.
pub const BACKFILL_OVERLAP: Duration = Duration::from_secs(10);

/// Rooms whose messages are listed at the same time.
const ROOMS_AT_ONCE: usize = 4;

/// The page size of the message lists (Hydra's largest for `mentionedPeople=me`).
const MESSAGE_PAGE: u32 = 100;

/// The latest server time (`published`, `created`) a stream has seen, which is where the
/// next backfill starts (less [`BACKFILL_OVERLAP`]); never before `listen()` was called.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    floor: Timestamp,
    last: Arc<Mutex<Option<Timestamp>>>,
}

impl Cursor {
    /// A cursor for a stream started at `floor` (the client's clock).
    pub(crate) fn new(floor: Timestamp) -> Self {
        Self {
            floor,
            last: Arc::default(),
        }
    }

    /// Notes an event of time `at`.
    pub(crate) fn saw(&self, at: Timestamp) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.is_none_or(|last| at > last) {
            *last = Some(at);
        }
    }

    /// Where a backfill starts now.
    pub(crate) fn since(&self) -> Timestamp {
        let last = *self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(last) = last else {
            return self.floor;
        };
        let back = SystemTime::from(last)
            .checked_sub(BACKFILL_OVERLAP)
            .map_or(self.floor, Timestamp::from);
        back.max(self.floor)
    }
}

/// What one backfill needs.
#[derive(Debug)]
pub(crate) struct Backfill {
    pub(crate) hydra: Hydra,
    /// The listening user: a bot lists group rooms with `mentionedPeople=me`, as Hydra
    /// requires (and only those messages reach a bot live).
    pub(crate) me: Arc<Person>,
    pub(crate) envelope: Envelope,
    /// Where it starts.
    pub(crate) since: Timestamp,
    /// Moved to the newest message backfilled.
    pub(crate) cursor: Cursor,
}

/// The `messages:created` events since the cursor, oldest first and marked backfilled,
/// after an error item per failed or truncated listing.
pub(crate) async fn messages(request: Backfill) -> Vec<Item<MessageEventData>> {
    let Backfill {
        hydra,
        me,
        envelope,
        since,
        cursor,
    } = request;
    let mut items = Vec::new();
    let rooms = match active_rooms(&hydra, since).await {
        Ok(rooms) => rooms,
        Err(error) => {
            return vec![Err(ListenError::Backfill {
                room_id: None,
                error,
            })];
        }
    };
    let rooms = cap(rooms, BACKFILL_MAX_ROOMS, &mut items, None);
    let bot = me.person_type == PersonType::Bot;
    let listed: Vec<(Room, Result<Vec<Message>>)> = futures::stream::iter(rooms)
        .map(|room| {
            let hydra = hydra.clone();
            async move {
                let messages = room_messages(&hydra, &room, bot, since).await;
                (room, messages)
            }
        })
        .buffer_unordered(ROOMS_AT_ONCE)
        .collect()
        .await;
    let mut messages = Vec::new();
    for (room, listed) in listed {
        match listed {
            Ok(listed) => {
                let mut listed = cap(listed, BACKFILL_MAX_MESSAGES, &mut items, Some(&room));
                // Newest first from Hydra; oldest first out.
                listed.reverse();
                messages.extend(listed);
            }
            Err(error) => items.push(Err(ListenError::Backfill {
                room_id: Some(room.id),
                error,
            })),
        }
    }
    // Stable: messages of one room keep their order when times tie.
    messages.sort_by_key(|message| message.created);
    if let Some(last) = messages.last() {
        cursor.saw(last.created);
    }
    items.extend(messages.into_iter().map(|message| {
        let actor = message.person_id.clone();
        Ok(envelope.backfilled(
            EventType::Created,
            actor,
            MessageEventData::Created(Box::new(message)),
        ))
    }));
    items
}

/// The rooms with activity at or after `since`, most recent first, one more than the bound
/// (to tell that it was reached).
async fn active_rooms(hydra: &Hydra, since: Timestamp) -> Result<Vec<Room>> {
    ListRooms::new(hydra.clone())
        .sort_by(RoomSortBy::LastActivity)
        .max(u32::try_from(BACKFILL_MAX_ROOMS + 1).unwrap_or(u32::MAX))
        .send()
        .await?
        .into_stream()
        .try_take_while(|room| ready(Ok(room.last_activity >= since)))
        .take(BACKFILL_MAX_ROOMS + 1)
        .try_collect()
        .await
}

/// `room`'s messages created at or after `since`, newest first, one more than the bound.
async fn room_messages(
    hydra: &Hydra,
    room: &Room,
    bot: bool,
    since: Timestamp,
) -> Result<Vec<Message>> {
    let mut list = ListMessages::new(hydra.clone(), room.id.clone()).max(MESSAGE_PAGE);
    if bot && room.room_type == RoomType::Group {
        list = list.mentioned_me();
    }
    list.send()
        .await?
        .into_stream()
        .try_take_while(|message| ready(Ok(message.created >= since)))
        .take(BACKFILL_MAX_MESSAGES + 1)
        .try_collect()
        .await
}

/// `list` cut to `limit`, with a [`ListenError::BackfillTruncated`] item when it was longer.
fn cap<T>(
    mut list: Vec<T>,
    limit: usize,
    items: &mut Vec<Item<MessageEventData>>,
    room: Option<&Room>,
) -> Vec<T> {
    if list.len() > limit {
        list.truncate(limit);
        items.push(Err(ListenError::BackfillTruncated {
            room_id: room.map(|room| room.id.clone()),
            limit,
        }));
    }
    list
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::{BACKFILL_OVERLAP, Cursor};
    use crate::Timestamp;

    fn at(secs: u64) -> Timestamp {
        Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn the_cursor_starts_at_the_floor_and_reaches_back_by_the_overlap() {
        let cursor = Cursor::new(at(1_000));
        assert_eq!(cursor.since(), at(1_000));
        // An event close to the start: never before the floor.
        cursor.saw(at(1_005));
        assert_eq!(cursor.since(), at(1_000));
        cursor.saw(at(2_000));
        assert_eq!(cursor.since(), at(2_000 - BACKFILL_OVERLAP.as_secs()));
        // An older (redelivered) event does not move it back.
        cursor.saw(at(1_500));
        assert_eq!(cursor.since(), at(2_000 - BACKFILL_OVERLAP.as_secs()));
    }
}
