//! Teams, team memberships, General rooms and team room access.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::PersonType;

use crate::client::{Http, create_room, decode_id, person, post_message, start};

async fn create_team(http: &Http, token: &str, name: &str) -> Value {
    http.call(
        Method::POST,
        "/v1/teams",
        token,
        Some(json!({"name": name})),
    )
    .await
    .ok()
}

#[tokio::test]
async fn team_has_a_general_room_and_a_moderator() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let team = create_team(&http, token, "Create Team Example").await;
    let team_id = team["id"].as_str().unwrap();
    assert!(decode_id(team_id).starts_with("ciscospark://us/TEAM/"));
    assert_eq!(team["name"], "Create Team Example");
    assert_eq!(team["creatorId"], alice.id.as_str());
    assert!(team["created"].is_string());
    assert_eq!(
        http.call(Method::GET, &format!("/v1/teams/{team_id}"), token, None)
            .await
            .ok(),
        team
    );

    let rooms = http
        .call(
            Method::GET,
            &format!("/v1/rooms?teamId={team_id}"),
            token,
            None,
        )
        .await
        .ok();
    let rooms = rooms["items"].as_array().unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0]["title"], "Create Team Example");
    assert_eq!(rooms[0]["teamId"], team_id);
    // The General room cannot be deleted on its own.
    http.call(
        Method::DELETE,
        &format!("/v1/rooms/{}", rooms[0]["id"].as_str().unwrap()),
        token,
        None,
    )
    .await
    .assert_webex_error(400);

    let members = http
        .call(
            Method::GET,
            &format!("/v1/team/memberships?teamId={team_id}"),
            token,
            None,
        )
        .await
        .ok();
    assert_eq!(members["items"].as_array().unwrap().len(), 1);
    assert_eq!(members["items"][0]["isModerator"], true);
    assert!(
        decode_id(members["items"][0]["id"].as_str().unwrap())
            .starts_with("ciscospark://us/TEAM_MEMBERSHIP/")
    );

    // Newest first, so `list({max: 3})` right after three creates has them.
    create_team(&http, token, "Second").await;
    let third = create_team(&http, token, "Third").await;
    let teams = http.call(Method::GET, "/v1/teams?max=2", token, None).await;
    assert_eq!(teams.ids()[0], third["id"].as_str().unwrap());
    assert!(teams.next_link().is_some());

    // Rename by the moderator.
    let renamed = http
        .call(
            Method::PUT,
            &format!("/v1/teams/{team_id}"),
            token,
            Some(json!({"name": "Renamed"})),
        )
        .await
        .ok();
    assert_eq!(renamed["name"], "Renamed");
    let message = http
        .call(
            Method::POST,
            "/v1/teams",
            token,
            Some(json!({"description": "no name"})),
        )
        .await
        .assert_webex_error(400);
    assert!(message.contains("name"), "{message}");
}

#[tokio::test]
async fn team_memberships_follow_the_general_room() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let token = &alice.access_token;
    let team = create_team(&http, token, "Team").await;
    let team_id = team["id"].as_str().unwrap();

    let membership = http
        .call(
            Method::POST,
            "/v1/team/memberships",
            token,
            Some(json!({"teamId": team_id, "personEmail": "bob@example.com"})),
        )
        .await
        .ok();
    assert_eq!(membership["teamId"], team_id);
    assert_eq!(membership["personId"], bob.id.as_str());
    assert_eq!(membership["personEmail"], "bob@example.com");
    assert_eq!(membership["isModerator"], false);
    let path = format!(
        "/v1/team/memberships/{}",
        membership["id"].as_str().unwrap()
    );
    assert_eq!(
        http.call(Method::GET, &path, token, None).await.ok(),
        membership
    );
    http.call(
        Method::POST,
        "/v1/team/memberships",
        token,
        Some(json!({"teamId": team_id, "personId": bob.id})),
    )
    .await
    .assert_webex_error(409);

    // Bob is now in the General room.
    let general = http
        .call(
            Method::GET,
            &format!("/v1/rooms?teamId={team_id}"),
            &bob.access_token,
            None,
        )
        .await
        .ids();
    let general = general[0].clone();
    let members = http
        .call(
            Method::GET,
            &format!("/v1/memberships?roomId={general}"),
            &bob.access_token,
            None,
        )
        .await
        .ids();
    assert_eq!(members.len(), 2);

    // A non-moderator cannot promote; Carol (no member) sees nothing.
    http.call(
        Method::PUT,
        &path,
        &bob.access_token,
        Some(json!({"isModerator": true})),
    )
    .await
    .assert_webex_error(403);
    let promoted = http
        .call(
            Method::PUT,
            &path,
            token,
            Some(json!({"isModerator": true})),
        )
        .await
        .ok();
    assert_eq!(promoted["isModerator"], true);
    http.call(
        Method::GET,
        &format!("/v1/team/memberships?teamId={team_id}"),
        &carol.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(
        Method::GET,
        &format!("/v1/teams/{team_id}"),
        &carol.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(Method::GET, "/v1/team/memberships", token, None)
        .await
        .assert_webex_error(400);

    // Removing Bob from the team removes him from its rooms.
    assert_eq!(
        http.call(Method::DELETE, &path, token, None).await.status,
        204
    );
    let members = http
        .call(
            Method::GET,
            &format!("/v1/team/memberships?teamId={team_id}"),
            token,
            None,
        )
        .await
        .ids();
    assert_eq!(members.len(), 1);
    http.call(
        Method::GET,
        &format!("/v1/rooms/{general}"),
        &bob.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
}

#[tokio::test]
async fn team_members_see_and_join_team_rooms() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let bob = person(&emulator, "bob@example.com", PersonType::Person);
    let carol = person(&emulator, "carol@example.com", PersonType::Person);
    let team = create_team(&http, &alice.access_token, "Team").await;
    let team_id = team["id"].as_str().unwrap();
    http.call(
        Method::POST,
        "/v1/team/memberships",
        &alice.access_token,
        Some(json!({"teamId": team_id, "personId": bob.id})),
    )
    .await
    .ok();
    let room = http
        .call(
            Method::POST,
            "/v1/rooms",
            &alice.access_token,
            Some(json!({"title": "Project", "teamId": team_id})),
        )
        .await
        .ok();
    assert_eq!(room["teamId"], team_id);
    let room_id = room["id"].as_str().unwrap();
    post_message(
        &http,
        &alice.access_token,
        json!({"roomId": room_id, "text": "team news"}),
    )
    .await;

    // Bob sees the room but not its messages until he joins.
    http.call(
        Method::GET,
        &format!("/v1/rooms/{room_id}"),
        &bob.access_token,
        None,
    )
    .await
    .ok();
    let listed = http
        .call(
            Method::GET,
            &format!("/v1/rooms?teamId={team_id}"),
            &bob.access_token,
            None,
        )
        .await
        .ids();
    assert_eq!(listed.len(), 2);
    http.call(
        Method::GET,
        &format!("/v1/messages?roomId={room_id}"),
        &bob.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(
        Method::POST,
        "/v1/memberships",
        &bob.access_token,
        Some(json!({"roomId": room_id, "personId": bob.id})),
    )
    .await
    .ok();
    let messages = http
        .call(
            Method::GET,
            &format!("/v1/messages?roomId={room_id}"),
            &bob.access_token,
            None,
        )
        .await
        .ids();
    assert_eq!(messages.len(), 1);

    // Carol, not in the team, sees nothing and cannot create team rooms.
    http.call(
        Method::GET,
        &format!("/v1/rooms/{room_id}"),
        &carol.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(
        Method::GET,
        &format!("/v1/rooms?teamId={team_id}"),
        &carol.access_token,
        None,
    )
    .await
    .assert_webex_error(403);
    http.call(
        Method::POST,
        "/v1/rooms",
        &carol.access_token,
        Some(json!({"title": "x", "teamId": team_id})),
    )
    .await
    .assert_webex_error(403);
    create_room(&http, &carol.access_token, "Carol's own").await;
}
