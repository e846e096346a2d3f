//! Acceptance (issue 13): a fixtures file (JSON, and its TOML twin) creates a world that the
//! SDK reads back through Hydra — people/me with the file's fixed token, rooms, memberships,
//! teams, messages in order with their thread and mention — and the world's export loads
//! into a fresh emulator as the same world, ids and tokens included.

use std::path::PathBuf;

use futures::TryStreamExt;
use webex::messages::people::PersonType;
use webex::messages::rooms::RoomType;
use webex::prelude::*;
use webex_emulator::{Emulator, EmulatorConfig, Fixtures};

/// The example world's file `name` (`ada.json`, `ada.toml`), shared with the emulator's tests.
fn world(name: &str) -> Fixtures {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/webex-emulator/tests/fixtures")
        .join(name);
    Fixtures::from_path(&path).unwrap_or_else(|error| panic!("{error}"))
}

async fn start(fixtures: Fixtures) -> Emulator {
    Emulator::start(EmulatorConfig {
        fixtures: Some(fixtures),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// A client of the emulator acting with `token`.
async fn client(emulator: &Emulator, token: &str) -> Webex {
    Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .unwrap()
}

/// What Ada sees, read through Hydra, as comparable text: the same for every emulator that
/// holds the example world (ids differ unless the world came from an export).
async fn ada_view(emulator: &Emulator) -> Vec<String> {
    let ada = client(emulator, "ada-token").await;
    let me = ada.people().me().await.unwrap();
    assert_eq!(me.display_name, "Ada Lovelace");
    assert_eq!(me.emails, ["ada@example.com"]);
    assert_eq!(me.person_type, PersonType::Person);

    let mut view = Vec::new();
    let mut rooms: Vec<_> = ada
        .rooms()
        .list()
        .await
        .unwrap()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    rooms.sort_by(|a, b| a.title.cmp(&b.title));
    for room in &rooms {
        let members: Vec<String> = ada
            .memberships()
            .list()
            .room_id(&room.id)
            .await
            .unwrap()
            .items()
            .iter()
            .map(|m| {
                format!(
                    "{}{}",
                    m.person_email,
                    if m.is_moderator { "*" } else { "" }
                )
            })
            .collect();
        view.push(format!(
            "room {} ({:?}, locked {}): {}",
            room.title,
            room.room_type,
            room.is_locked,
            members.join(", ")
        ));
        // Hydra lists newest first; the file's order, oldest first, is the reverse.
        let page = ada.messages().list(&room.id).await.unwrap();
        for message in page.items().iter().rev() {
            let parent = message
                .parent_id
                .as_ref()
                .and_then(|parent| page.items().iter().find(|m| &m.id == parent))
                .and_then(|parent| parent.text.clone());
            view.push(format!(
                "  {}: {} (reply to {parent:?}, mentions {}, files {:?})",
                message.person_email,
                message.text.as_deref().unwrap_or_default(),
                message.mentioned_people.len(),
                message.files
            ));
        }
    }
    let teams = ada.teams().list().await.unwrap();
    for team in teams.items() {
        let members = ada.team_memberships().list(&team.id).await.unwrap();
        view.push(format!(
            "team {}: {} members",
            team.name,
            members.items().len()
        ));
    }
    ada.shutdown().await.unwrap();
    view
}

#[tokio::test]
async fn a_fixtures_world_is_read_back_through_hydra_and_its_export_round_trips() {
    let json = start(world("ada.json")).await;
    let view = ada_view(&json).await;
    assert_eq!(
        view,
        [
            "room Analytical Engine (Group, locked false): ada@example.com, charles@example.com",
            "  ada@example.com: Note G: the engine can compute Bernoulli numbers (reply to None, mentions 0, files [])",
            "  charles@example.com: Ada, the punched cards are ready (reply to Some(\"Note G: the engine can compute Bernoulli numbers\"), mentions 1, files [])",
            "  ada@example.com: Then let us run it (reply to None, mentions 0, files [\"https://example.com/note-g.pdf\"])",
            "room Echo Bot (Direct, locked false): ada@example.com, echo@webex.bot",
            "  ada@example.com: hello bot (reply to None, mentions 0, files [])",
            "room Engines (Group, locked true): charles@example.com*, ada@example.com",
            "room Tea (Group, locked false): charles@example.com, ada@example.com",
            "  charles@example.com: Tea at four? (reply to None, mentions 0, files [])",
            "team Engines: 2 members",
        ]
    );

    // The bot's own token works too, and it is a bot.
    let bot = client(&json, "echo-bot-token").await;
    assert_eq!(
        bot.people().me().await.unwrap().person_type,
        PersonType::Bot
    );
    let direct = bot
        .rooms()
        .list()
        .room_type(RoomType::Direct)
        .await
        .unwrap();
    assert_eq!(direct.items().len(), 1);
    bot.shutdown().await.unwrap();

    // The TOML twin makes the same world.
    let toml = start(world("ada.toml")).await;
    assert_eq!(ada_view(&toml).await, view);

    // The export loads into a fresh emulator as the same world: same export, same view,
    // same ids.
    let exported = json.export_state();
    let again = start(exported.clone()).await;
    assert_eq!(again.export_state(), exported);
    assert_eq!(ada_view(&again).await, view);
    let room_ids = |emulator: &Emulator| {
        let mut ids: Vec<String> = emulator
            .export_state()
            .rooms
            .into_iter()
            .filter_map(|room| room.id)
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(room_ids(&again), room_ids(&json));
}
