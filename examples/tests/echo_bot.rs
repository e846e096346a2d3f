//! Acceptance (issue 7): the echo bot (the example's own code, `webex_examples::echo_bot`) on
//! the emulator while 20 random Mercury faults (closes, stalls, drops) hit its socket during
//! 2,000 messages from 5 people, some in 1:1 rooms and some as group mentions (a quarter of
//! those in threads). Every message gets exactly one reply in its thread, none is lost, none
//! doubled, and the bot keeps one device.
//!
//! The run is seeded (`ECHO_BOT_SEED`, default 7): who sends what, where, and which fault
//! comes when, so a failure can be replayed. It runs on tokio's real time (sockets, pings and
//! backoff are real) and asserts nothing about durations; the wait for the replies is bounded
//! generously and its failure message tells how far the bot got.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use webex::mercury::{MercuryConfig, MercuryPlugin};
use webex::messages::MessagesPlugin;
use webex::messages::id::{MessageId, RoomId};
use webex::messages::messages::Message;
use webex::prelude::*;
use webex_emulator::{
    CreatedPerson, Emulator, MercuryConnectionState, MercuryFault, MercuryFaultAction, NewPerson,
    PersonType,
};
use webex_examples::echo_bot::EchoBot;

const PEOPLE: usize = 5;
const MESSAGES: usize = 2000;
const FAULTS: usize = 20;
const GROUPS: usize = 2;
const DEFAULT_SEED: u64 = 7;
/// The close codes a server sends that a client comes back from (1005: refresh the device
/// first; 4000 with a reason other than `replaced`).
const CLOSE_CODES: [u16; 4] = [1001, 1005, 1011, 4000];
/// How long the bot may take to come back after a fault, and to answer everything: far more
/// than it needs, so that only a lost or stuck bot fails.
const RECONNECT_BOUND: Duration = Duration::from_secs(120);
const ANSWER_BOUND: Duration = Duration::from_secs(600);

/// A message sent, and the reply it must get.
#[derive(Debug)]
struct Expected {
    index: usize,
    id: MessageId,
    /// The thread of the reply: the message, or its parent.
    parent: MessageId,
    text: String,
}

/// The bot's replies, counted by thread and text.
struct Replies(HashMap<(String, String), usize>);

impl Replies {
    fn count(replies: &[Message]) -> Self {
        let mut counts = HashMap::new();
        for reply in replies {
            let parent = reply.parent_id.as_ref().map_or("", |p| p.as_str());
            let text = reply.text.as_deref().unwrap_or_default();
            *counts
                .entry((parent.to_owned(), text.to_owned()))
                .or_default() += 1;
        }
        Self(counts)
    }

    /// How many replies `expected` got.
    fn of(&self, expected: &Expected) -> usize {
        self.0
            .get(&(expected.parent.as_str().to_owned(), expected.text.clone()))
            .copied()
            .unwrap_or(0)
    }
}

/// The people's side: their clients and the rooms they share with the bot.
struct People {
    clients: Vec<Webex>,
    groups: Vec<RoomId>,
    /// Each person's 1:1 room with the bot, once the first direct message made it.
    direct: Vec<Option<RoomId>>,
}

impl People {
    /// Every room with the bot, each with a client of a member.
    fn rooms(&self) -> Vec<(&Webex, &RoomId)> {
        let groups = self.groups.iter().map(|room| (&self.clients[0], room));
        let direct = self
            .direct
            .iter()
            .enumerate()
            .filter_map(|(who, room)| room.as_ref().map(|room| (&self.clients[who], room)));
        groups.chain(direct).collect()
    }

    /// Every message the bot posted in those rooms.
    async fn replies(&self, bot: &CreatedPerson) -> Vec<Message> {
        let mut replies = Vec::new();
        for (client, room) in self.rooms() {
            let messages: Vec<Message> = client
                .messages()
                .list(room)
                .max(1000)
                .await
                .expect("list messages")
                .into_stream()
                .try_collect()
                .await
                .expect("list messages");
            replies.extend(
                messages
                    .into_iter()
                    .filter(|m| m.person_id.as_str() == bot.id),
            );
        }
        replies
    }
}

async fn client(emulator: &Emulator, person: &CreatedPerson) -> Webex {
    Webex::builder()
        .plugin(MessagesPlugin::default())
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .expect("client builds")
}

/// Waits until the bot has an open, authorized socket opened after the first `since` ones
/// in the emulator's log (only the bot uses Mercury here).
async fn reconnected(emulator: &Emulator, bot_uuid: &str, since: usize, faults: &[String]) {
    let started = Instant::now();
    loop {
        let connections = emulator.mercury_connections();
        if connections.iter().skip(since).any(|c| {
            c.state == MercuryConnectionState::Open && c.person_uuid.as_deref() == Some(bot_uuid)
        }) {
            return;
        }
        assert!(
            started.elapsed() < RECONNECT_BOUND,
            "the bot did not reconnect after fault {} ({faults:?}); sockets: {connections:?}",
            faults.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn random_fault(rng: &mut fastrand::Rng) -> MercuryFaultAction {
    match rng.u8(..3) {
        0 => MercuryFaultAction::Close {
            code: CLOSE_CODES[rng.usize(..CLOSE_CODES.len())],
        },
        1 => MercuryFaultAction::Stall,
        _ => MercuryFaultAction::Drop,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_bot_answers_every_message_once_through_socket_faults() {
    let seed = std::env::var("ECHO_BOT_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let emulator = Emulator::start_default().await.expect("emulator starts");
    let bot = emulator.create_person(NewPerson {
        display_name: "Echo Bot".into(),
        email: "echo-bot@webex.bot".into(),
        kind: PersonType::Bot,
    });
    let bot_uuid = webex::messages::id::PersonId::new(bot.id.clone())
        .uuid()
        .expect("a person id")
        .to_string();

    // The bot, as the example runs it, with a socket quick to notice silence and to return.
    let mercury = MercuryConfig::default()
        .with_ping(Duration::from_secs(1), Duration::from_secs(2))
        .with_backoff(Duration::from_millis(50), Duration::from_millis(500));
    let webex = Webex::builder()
        .plugins(DefaultPlugins.set(MercuryPlugin::new(mercury)))
        .access_token(&bot.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .expect("the bot's client builds");
    let echo = EchoBot::listen(webex.clone())
        .await
        .expect("the bot listens");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(echo.run(async {
        let _ = stopped.await;
    }));

    // Five people, two group rooms with all of them and the bot.
    let persons: Vec<CreatedPerson> = (0..PEOPLE)
        .map(|i| {
            emulator.create_person(NewPerson {
                display_name: format!("Person {i}"),
                email: format!("person{i}@example.com"),
                kind: PersonType::Person,
            })
        })
        .collect();
    let mut clients = Vec::new();
    for person in &persons {
        clients.push(client(&emulator, person).await);
    }
    let mut groups = Vec::new();
    for g in 0..GROUPS {
        let room = clients[0]
            .rooms()
            .create(format!("Group {g}"))
            .await
            .unwrap();
        for email in persons[1..].iter().map(|p| &p.email).chain([&bot.email]) {
            clients[0]
                .memberships()
                .create(&room.id)
                .person_email(email)
                .await
                .unwrap();
        }
        groups.push(room.id);
    }
    let mut people = People {
        clients,
        groups,
        direct: vec![None; PEOPLE],
    };

    // The run: 2,000 messages, a fault before 20 of them (each once the bot is back from the
    // previous one, so every fault hits a live socket); group messages that do not mention
    // the bot on the side, which must get no reply.
    let fault_at: BTreeSet<usize> = {
        let mut at = BTreeSet::new();
        while at.len() < FAULTS {
            at.insert(rng.usize(1..MESSAGES));
        }
        at
    };
    let mut faults: Vec<String> = Vec::new();
    let mut connections_before_fault = 0;
    let mut expected: Vec<Expected> = Vec::with_capacity(MESSAGES);
    let mut unaddressed: Vec<String> = Vec::new();
    let mut roots: Vec<Option<MessageId>> = vec![None; GROUPS];
    for index in 0..MESSAGES {
        if fault_at.contains(&index) {
            if !faults.is_empty() {
                reconnected(&emulator, &bot_uuid, connections_before_fault, &faults).await;
            }
            connections_before_fault = emulator.mercury_connections().len();
            let action = random_fault(&mut rng);
            let hit = emulator.add_mercury_fault(MercuryFault {
                action,
                person_id: Some(bot.id.clone()),
            });
            faults.push(format!("{action:?} before message {index}"));
            assert_eq!(hit, 1, "fault {faults:?} hit the bot's one socket");
        }
        let who = rng.usize(..PEOPLE);
        let text = format!("message {index} from person {who}");
        let sender = &people.clients[who];
        let message = if rng.bool() {
            sender
                .messages()
                .create()
                .to_person_email(&bot.email)
                .text(&text)
                .await
                .unwrap()
        } else {
            let g = rng.usize(..GROUPS);
            let mut create = sender
                .messages()
                .create()
                .room_id(&people.groups[g])
                .markdown(format!("<@personEmail:{}|Echo Bot> {text}", bot.email));
            let threaded = rng.u8(..4) == 0;
            if threaded && let Some(root) = &roots[g] {
                create = create.parent_id(root);
            }
            let message = create.await.unwrap();
            if message.parent_id.is_none() {
                roots[g] = Some(message.id.clone());
            }
            if rng.u8(..10) == 0 {
                let aside = format!("aside {index} from person {who}");
                sender
                    .messages()
                    .create()
                    .room_id(&people.groups[g])
                    .text(&aside)
                    .await
                    .unwrap();
                unaddressed.push(format!("echo: {aside}"));
            }
            message
        };
        if message.room_type == webex::messages::rooms::RoomType::Direct {
            people.direct[who] = Some(message.room_id.clone());
        }
        expected.push(Expected {
            index,
            parent: message.parent_id.clone().unwrap_or(message.id.clone()),
            id: message.id,
            text: format!("echo: {}", message.text.unwrap_or_default()),
        });
    }
    let sent_after = started.elapsed();

    // Wait (bounded) until every message has an answer.
    let waiting = Instant::now();
    loop {
        let replies = Replies::count(&people.replies(&bot).await);
        let unanswered = expected.iter().filter(|e| replies.of(e) == 0).count();
        if unanswered == 0 {
            break;
        }
        assert!(
            waiting.elapsed() < ANSWER_BOUND,
            "seed {seed}: {unanswered} of {MESSAGES} messages still unanswered; faults: {faults:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Stop the bot (replies on their way are finished), then count once more: a doubled
    // reply would show now.
    stop.send(()).expect("the bot runs");
    let stats = run.await.expect("the bot's run ends cleanly");
    let replies = people.replies(&bot).await;
    let counted = Replies::count(&replies);
    let lost: Vec<usize> = expected
        .iter()
        .filter(|e| counted.of(e) == 0)
        .map(|e| e.index)
        .collect();
    let doubled: Vec<(usize, &MessageId)> = expected
        .iter()
        .filter(|e| counted.of(e) > 1)
        .map(|e| (e.index, &e.id))
        .collect();
    let context = format!(
        "seed {seed}; faults: {faults:?}; bot stats: {stats:?}; {} replies",
        replies.len()
    );
    assert!(
        lost.is_empty(),
        "messages without a reply: {lost:?}; {context}"
    );
    assert!(
        doubled.is_empty(),
        "messages answered twice: {doubled:?}; {context}"
    );
    assert_eq!(replies.len(), MESSAGES, "one reply per message; {context}");
    for aside in &unaddressed {
        assert!(
            !replies
                .iter()
                .any(|r| r.text.as_deref() == Some(aside.as_str())),
            "a group message that did not mention the bot got an answer: {aside}"
        );
    }
    assert_eq!(faults.len(), FAULTS);
    let devices = emulator.devices(&bot.id);
    assert_eq!(devices.len(), 1, "the bot keeps one device: {devices:?}");

    webex.shutdown().await.unwrap();
    eprintln!(
        "echo-bot acceptance: seed {seed}, {MESSAGES} messages sent in {sent_after:?}, all \
         answered after {:?}; {stats:?}",
        started.elapsed()
    );
}
