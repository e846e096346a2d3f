//! The echo bot of `examples/echo-bot`: it answers every message sent to it in a 1:1 room, and
//! every group message that mentions it, with `echo: <text>` in the message's thread. The
//! example binary and the acceptance test (`examples/tests/echo_bot.rs`) run this same code.
//!
//! It rides on `messages().listen()`, which reconnects after socket faults, backfills what was
//! missed meanwhile and de-duplicates, so the bot itself holds no recovery logic: it answers
//! each `messages:created` event once, and logs the error items the stream reports.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use webex::Webex;
use webex::messages::MessagesExt;
use webex::messages::id::{MessageId, PersonId, RoomId};
use webex::messages::listen::{EventStream, EventType, HydraEvent, MessageEventData};
use webex::messages::messages::Message;
use webex::messages::rooms::RoomType;

/// How many replies may be on their way at once.
const REPLIES_AT_ONCE: usize = 8;

/// What the bot answers to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The message's room.
    pub room_id: RoomId,
    /// The thread: the message itself, or its parent when it is a reply (Webex threads are
    /// one level deep).
    pub parent_id: MessageId,
    /// `echo: <text>`.
    pub text: String,
}

/// What `bot` (its person id) answers to `message`: `None` for its own messages and for
/// group messages that do not mention it.
#[must_use]
pub fn reply_to(bot: &PersonId, message: &Message) -> Option<Reply> {
    if message.person_id == *bot {
        return None;
    }
    let addressed = match message.room_type {
        RoomType::Direct => true,
        _ => message.mentioned_people.contains(bot),
    };
    addressed.then(|| Reply {
        room_id: message.room_id.clone(),
        parent_id: message
            .parent_id
            .clone()
            .unwrap_or_else(|| message.id.clone()),
        text: format!("echo: {}", message.text.as_deref().unwrap_or_default()),
    })
}

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Replies sent.
    pub replied: u64,
    /// Events that needed no reply (own messages, deletions, unaddressed messages).
    pub ignored: u64,
    /// Replies that failed, and error items of the stream.
    pub errors: u64,
}

#[derive(Debug, Default)]
struct Counters {
    replied: AtomicU64,
    ignored: AtomicU64,
    errors: AtomicU64,
}

/// The bot, listening: built with [`EchoBot::listen`], then [`run`](Self::run).
pub struct EchoBot {
    webex: Webex,
    me: PersonId,
    events: EventStream<MessageEventData>,
}

impl std::fmt::Debug for EchoBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EchoBot")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl EchoBot {
    /// Finds out who the bot is and starts listening (connecting Mercury): messages sent
    /// from now on are answered once [`run`](Self::run) is called.
    ///
    /// # Errors
    /// `people/me` failures; what `messages().listen()` fails with (no Mercury plugin, the
    /// connection refused for good).
    pub async fn listen(webex: Webex) -> webex::Result<Self> {
        let me = webex.people().me().await?.id;
        let events = webex.messages().listen().await?;
        Ok(Self { webex, me, events })
    }

    /// The bot's person id.
    #[must_use]
    pub fn me(&self) -> &PersonId {
        &self.me
    }

    /// Answers messages until `shutdown` resolves (or the event stream ends); replies on their
    /// way are finished first. Does not shut the client down.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Stats {
        let counters = Counters::default();
        let (webex, me) = (&self.webex, &self.me);
        self.events
            .take_until(shutdown)
            .for_each_concurrent(REPLIES_AT_ONCE, |item| {
                let counters = &counters;
                async move {
                    let counter = match item {
                        Ok(event) => match answer(webex, me, &event).await {
                            Ok(true) => &counters.replied,
                            Ok(false) => &counters.ignored,
                            Err(err) => {
                                tracing::error!("echo-bot: reply failed: {err}");
                                &counters.errors
                            }
                        },
                        Err(err) => {
                            tracing::warn!("echo-bot: {err}");
                            &counters.errors
                        }
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
            .await;
        Stats {
            replied: counters.replied.into_inner(),
            ignored: counters.ignored.into_inner(),
            errors: counters.errors.into_inner(),
        }
    }
}

/// Sends the reply `event` calls for; false when it calls for none.
async fn answer(
    webex: &Webex,
    me: &PersonId,
    event: &HydraEvent<MessageEventData>,
) -> webex::Result<bool> {
    let (EventType::Created, MessageEventData::Created(message)) = (event.event, &event.data)
    else {
        return Ok(false);
    };
    let Some(reply) = reply_to(me, message) else {
        return Ok(false);
    };
    webex
        .messages()
        .create()
        .room_id(reply.room_id)
        .parent_id(reply.parent_id)
        .text(reply.text)
        .await?;
    tracing::info!(
        "echo-bot: answered {} ({})",
        message.id,
        if event.backfilled {
            "backfilled"
        } else {
            "live"
        }
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use webex::messages::id::PersonId;
    use webex::messages::messages::Message;

    use super::reply_to;

    fn message(fields: serde_json::Value) -> Message {
        let mut base = json!({
            "id": "M1", "roomId": "R1", "roomType": "direct", "text": "hi",
            "personId": "ALICE", "personEmail": "alice@example.com",
            "created": "2026-01-01T00:00:00.000Z"
        });
        for (key, value) in fields.as_object().unwrap() {
            base[key] = value.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn answers_direct_messages_and_group_mentions_in_the_thread() {
        let bot = PersonId::new("BOT");
        let direct = reply_to(&bot, &message(json!({}))).unwrap();
        assert_eq!(direct.text, "echo: hi");
        assert_eq!(direct.parent_id.as_str(), "M1");
        assert_eq!(direct.room_id.as_str(), "R1");

        let mention = json!({"roomType": "group", "mentionedPeople": ["BOT"], "parentId": "M0"});
        let threaded = reply_to(&bot, &message(mention)).unwrap();
        // A reply's thread is its parent's.
        assert_eq!(threaded.parent_id.as_str(), "M0");

        assert_eq!(reply_to(&bot, &message(json!({"roomType": "group"}))), None);
        assert_eq!(reply_to(&bot, &message(json!({"personId": "BOT"}))), None);
    }
}
