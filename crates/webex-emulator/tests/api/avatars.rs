//! Avatars: every person and bot has an `avatar` URL in Hydra, a picture
//! the emulator serves without a token (fixtures may give another URL).

use hyper::Method;
use webex_emulator::{Fixtures, PersonType};

use crate::client::{person, start};

#[tokio::test]
async fn people_and_bots_have_a_picture_served_without_a_token() {
    let (emulator, http) = start().await;
    let ada = person(&emulator, "ada@example.com", PersonType::Person);
    let bot = person(&emulator, "echo@webex.bot", PersonType::Bot);
    let me = http.get_auth("/v1/people/me", &bot.access_token).await.ok();
    let avatar = me["avatar"].as_str().expect("an avatar URL").to_owned();
    assert!(
        avatar.starts_with(&format!("{}/avatars/", emulator.base_url())),
        "{avatar}"
    );
    let by_id = http
        .get_auth_owned(format!("/v1/people/{}", ada.id), &bot.access_token)
        .await
        .ok();
    let listed = http
        .get_auth("/v1/people?email=ada@example.com", &bot.access_token)
        .await
        .ok();
    assert_eq!(listed["items"][0]["avatar"], by_id["avatar"]);
    assert_ne!(by_id["avatar"], me["avatar"], "each their own");

    let picture = http.get(&avatar).await;
    assert_eq!(picture.status, 200);
    assert_eq!(picture.header("content-type"), Some("image/svg+xml"));
    let svg = String::from_utf8(picture.body.to_vec()).unwrap();
    assert!(svg.starts_with("<svg "), "{svg}");
    // `person` names people `<local part> Tester`.
    assert!(svg.contains(">ET</text>"), "the bot's initials: {svg}");

    let unknown = format!(
        "{}/avatars/00000000-0000-4000-8000-000000000000",
        emulator.base_url()
    );
    http.send(Method::GET, &unknown, &[], None)
        .await
        .unwrap()
        .assert_webex_error(404);
}

#[tokio::test]
async fn fixtures_may_give_an_avatar_and_the_export_keeps_it() {
    let (emulator, http) = start().await;
    let fixtures = Fixtures::from_json_str(
        r#"{"people": [
            {"displayName": "Grace Hopper", "email": "grace@example.com", "accessToken": "grace-token",
             "avatar": "https://avatars.example.com/grace.png"},
            {"displayName": "Ada Lovelace", "email": "ada@example.com", "accessToken": "ada-token"}
        ]}"#,
    )
    .unwrap();
    emulator.load_fixtures(&fixtures).unwrap();
    let grace = http.get_auth("/v1/people/me", "grace-token").await.ok();
    assert_eq!(grace["avatar"], "https://avatars.example.com/grace.png");
    let ada = http.get_auth("/v1/people/me", "ada-token").await.ok();
    assert!(ada["avatar"].as_str().unwrap().contains("/avatars/"));

    let exported = emulator.export_state();
    let avatars: Vec<Option<&str>> = exported
        .people
        .iter()
        .map(|person| person.avatar.as_deref())
        .collect();
    assert_eq!(
        avatars,
        [Some("https://avatars.example.com/grace.png"), None],
        "only a given avatar is exported, so an export fits any base URL"
    );
}
