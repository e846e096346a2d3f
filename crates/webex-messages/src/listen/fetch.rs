//! The messages one batch of activities needs from Hydra, fetched together: where several
//! posts of one room wait at once, one listing of the room (newest first, bounded by their
//! `published` times) brings them all; a message the listing does not return (deleted, not
//! visible, or the listing failed) is fetched on its own, so its error stays its own.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::channel::oneshot;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, stream};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::Semaphore;
use uuid::Uuid;
use webex_core::{Error, ErrorKind, Result};

use crate::Timestamp;
use crate::client::Hydra;
use crate::id::{MessageId, RoomId};
use crate::messages::{GetMessage, ListMessages, Message};

/// Posts of one room in one batch from which on they are listed rather than fetched one by
/// one.
pub(crate) const COALESCE_MIN: usize = 2;

/// How many messages a listing may go through beyond the wanted ones (others' messages
/// posted in between) before it gives up and the rest are fetched one by one.
const LIST_SLACK: usize = 50;

/// How many messages beyond the wanted ones the listing's first page asks for. The wanted
/// ones are usually the newest before its `before` time, so a page sized for all of
/// [`LIST_SLACK`] would mostly carry messages delivered before, rendered by the server and
/// read here for nothing; when others' messages did come in between, the next pages follow,
/// up to [`LIST_SLACK`] in all.
const PAGE_SLACK: usize = 8;

/// Hydra's largest page for a room's messages, and for `mentionedPeople=me`.
const LIST_MAX: usize = 1000;
const MENTIONED_LIST_MAX: usize = 100;

/// One message still to fetch.
struct Wanted {
    id: MessageId,
    /// The activity's id, which is the message's uuid.
    uuid: Option<Uuid>,
    published: Option<Timestamp>,
    reply: oneshot::Sender<Result<Message>>,
}

/// The posts of one room waiting in a batch, in arrival order.
struct Room {
    /// `None`: the activity named no room; its messages are fetched one by one.
    id: Option<RoomId>,
    /// A bot lists a group room with `mentionedPeople=me`, as Hydra requires.
    mentioned_me: bool,
    wanted: Vec<Wanted>,
}

/// The fetches one batch of activities asked for, run by [`run`](Self::run).
pub(crate) struct MessageFetches {
    hydra: Hydra,
    bot: bool,
    /// Bounds the requests in flight across batches.
    permits: Arc<Semaphore>,
    /// Few per batch (the rooms with posts in it), so found by a scan rather than a map
    /// whose keys would be copies of the room ids.
    rooms: Vec<Room>,
    /// How many posts the batch may hold: the first room's list is made that big at once
    /// (usually every post of a batch is in one room), not grown step by step.
    expected: usize,
}

impl MessageFetches {
    /// No fetch yet, for a batch of up to `expected` posts; `bot` when the listening user is
    /// a bot.
    pub(crate) fn new(hydra: Hydra, bot: bool, permits: Arc<Semaphore>, expected: usize) -> Self {
        Self {
            hydra,
            bot,
            permits,
            rooms: Vec::new(),
            expected,
        }
    }

    /// Asks for message `id` of `room` (a group room when `group`), posted at `published`
    /// by activity `activity_id`; the future is its answer once [`run`](Self::run) got it.
    pub(crate) fn want(
        &mut self,
        id: MessageId,
        activity_id: &str,
        room: Option<RoomId>,
        group: bool,
        published: Option<Timestamp>,
    ) -> BoxFuture<'static, Result<Message>> {
        let (reply, answer) = oneshot::channel();
        let name = room.as_ref().map(RoomId::as_str);
        let index = match self
            .rooms
            .iter()
            .position(|known| known.id.as_ref().map(RoomId::as_str) == name)
        {
            Some(index) => index,
            None => {
                let capacity = if self.rooms.is_empty() {
                    self.expected
                } else {
                    0
                };
                self.rooms.push(Room {
                    id: room,
                    mentioned_me: self.bot && group,
                    wanted: Vec::with_capacity(capacity),
                });
                self.rooms.len() - 1
            }
        };
        self.rooms[index].wanted.push(Wanted {
            id,
            uuid: Uuid::parse_str(activity_id).ok(),
            published,
            reply,
        });
        answer
            .map(|answer| {
                answer.unwrap_or_else(|_| {
                    Err(Error::new(
                        ErrorKind::Network,
                        "the message fetch was abandoned before it answered",
                    ))
                })
            })
            .boxed()
    }

    /// Fetches every message asked for and answers each.
    pub(crate) fn run(self) -> BoxFuture<'static, ()> {
        let Self {
            hydra,
            permits,
            rooms,
            ..
        } = self;
        stream::iter(rooms)
            .for_each_concurrent(None, move |room| {
                fetch_room(hydra.clone(), permits.clone(), room)
            })
            .boxed()
    }
}

/// One room's messages: listed when there are enough of them, then one by one what the
/// listing did not bring.
async fn fetch_room(hydra: Hydra, permits: Arc<Semaphore>, room: Room) {
    let Room {
        id,
        mentioned_me,
        wanted,
    } = room;
    let listable = wanted.len() >= COALESCE_MIN
        && wanted
            .iter()
            .all(|w| w.uuid.is_some() && w.published.is_some());
    let Some(id) = id.filter(|_| listable) else {
        return fetch_each(hydra, permits, wanted).await;
    };
    let listed = {
        let _permit = permits.acquire().await;
        list(&hydra, id, mentioned_me, &wanted).await
    };
    // A failed listing: each message on its own, so each error is its own.
    let mut listed = listed.unwrap_or_default();
    let mut rest = Vec::new();
    for wanted in wanted {
        match wanted.uuid.and_then(|uuid| listed.remove(&uuid)) {
            Some(message) => {
                // The stream may have been dropped: nobody waits for the answer then.
                let _ = wanted.reply.send(Ok(message));
            }
            None => rest.push(wanted),
        }
    }
    fetch_each(hydra, permits, rest).await;
}

/// `GET /messages/{id}` for each.
async fn fetch_each(hydra: Hydra, permits: Arc<Semaphore>, wanted: Vec<Wanted>) {
    stream::iter(wanted)
        .for_each_concurrent(None, |wanted| {
            let hydra = hydra.clone();
            let permits = permits.clone();
            async move {
                let _permit = permits.acquire().await;
                let answer = GetMessage::new(hydra, wanted.id).send().await;
                let _ = wanted.reply.send(answer);
            }
        })
        .await;
}

/// What a listed message is first read for.
#[derive(Deserialize)]
struct ListedHead<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    created: Timestamp,
}

/// A listed message that is not a message.
fn unreadable(error: serde_json::Error) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("unexpected message in a listing: {error}"),
    )
}

/// The room's messages from the newest wanted one back, by uuid, until every wanted one is
/// found, the listing is older than the oldest, or [`LIST_SLACK`] others were gone through.
async fn list(
    hydra: &Hydra,
    room: RoomId,
    mentioned_me: bool,
    wanted: &[Wanted],
) -> Result<HashMap<Uuid, Message>> {
    let times = || wanted.iter().filter_map(|w| w.published);
    let (Some(oldest), Some(newest)) = (times().min(), times().max()) else {
        return Ok(HashMap::new());
    };
    let mut missing: HashSet<Uuid> = wanted.iter().filter_map(|w| w.uuid).collect();
    // A listed id spelled as we encoded it needs no decoding to be recognised.
    let by_id: HashMap<&str, Uuid> = wanted
        .iter()
        .filter_map(|w| Some((w.id.as_str(), w.uuid?)))
        .collect();
    let budget = wanted.len() + LIST_SLACK;
    let page_max = (wanted.len() + PAGE_SLACK).min(if mentioned_me {
        MENTIONED_LIST_MAX
    } else {
        LIST_MAX
    });
    // `before` is exclusive and to the millisecond: what was posted later is not listed.
    let before = Timestamp::from(SystemTime::from(newest) + Duration::from_millis(1));
    let mut list = ListMessages::new(hydra.clone(), room)
        .max(u32::try_from(page_max).unwrap_or(u32::MAX))
        .before(before);
    if mentioned_me {
        list = list.mentioned_me();
    }
    // Each listed message is first read only for its id and time: the listing also holds
    // messages that are not wanted (others', and this batch's neighbours in time).
    let mut listed = Box::pin(
        list.page::<Box<RawValue>>()
            .await?
            .into_stream()
            .take(budget),
    );
    let mut found = HashMap::with_capacity(missing.len());
    while let Some(raw) = listed.next().await {
        let raw = raw?;
        let head: ListedHead<'_> = serde_json::from_str(raw.get()).map_err(unreadable)?;
        if head.created < oldest {
            break;
        }
        let uuid = match by_id.get(&*head.id) {
            Some(uuid) => *uuid,
            None => match MessageId::from(head.id.into_owned()).uuid() {
                Ok(uuid) => uuid,
                Err(_) => continue,
            },
        };
        if missing.remove(&uuid) {
            let message: Message = serde_json::from_str(raw.get()).map_err(unreadable)?;
            found.insert(uuid, message);
            if missing.is_empty() {
                break;
            }
        }
    }
    Ok(found)
}
