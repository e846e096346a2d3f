//! `max` and `Link: <absolute next URL>; rel="next"`, followed to the end.

use hyper::Method;
use serde_json::json;
use webex_emulator::PersonType;

use crate::client::{Http, add_member, create_room, person, post_message, start};

/// Follows next links from `first` to the end; returns all ids and the
/// links seen. `readd` is appended to every next URL, as webexpythonsdk
/// re-adds its parameters.
async fn exhaust(http: &Http, token: &str, first: &str, readd: &str) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut links = Vec::new();
    let mut reply = http.call(Method::GET, first, token, None).await;
    loop {
        ids.extend(reply.ids());
        let Some(next) = reply.next_link() else { break };
        links.push(next.clone());
        assert!(links.len() < 50, "endless pagination");
        reply = http
            .call(Method::GET, &format!("{next}{readd}"), token, None)
            .await;
    }
    (ids, links)
}

#[tokio::test]
async fn messages_page_with_before_message() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Paged").await;
    let room_id = room["id"].as_str().unwrap();
    let mut sent = Vec::new();
    for n in 0..7 {
        let message = post_message(
            &http,
            token,
            json!({"roomId": room_id, "text": format!("m{n}")}),
        )
        .await;
        sent.push(message["id"].as_str().unwrap().to_owned());
    }
    sent.reverse();

    let first = format!("/v1/messages?roomId={room_id}&max=3");
    let (ids, links) = exhaust(&http, token, &first, "").await;
    assert_eq!(ids, sent);
    assert_eq!(links.len(), 2);
    let base = format!("{}/v1/messages?", emulator.base_url());
    for link in &links {
        assert!(link.starts_with(&base), "{link}");
        assert!(link.contains(&format!("roomId={room_id}")), "{link}");
        assert!(link.contains("max=3"), "{link}");
        assert!(link.contains("beforeMessage="), "{link}");
    }
    // webexpythonsdk appends its own parameters again.
    let (ids, _) = exhaust(&http, token, &first, &format!("&max=3&roomId={room_id}")).await;
    assert_eq!(ids, sent);

    // Exactly one page: no link.
    let reply = http
        .call(
            Method::GET,
            &format!("/v1/messages?roomId={room_id}&max=7"),
            token,
            None,
        )
        .await;
    assert_eq!(reply.ids().len(), 7);
    assert_eq!(reply.next_link(), None);
}

#[tokio::test]
async fn rooms_memberships_and_people_page_with_cursors() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let mut rooms = Vec::new();
    for n in 0..5 {
        rooms.push(
            create_room(&http, token, &format!("Room {n}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    rooms.reverse();
    let (ids, links) = exhaust(&http, token, "/v1/rooms?max=2&type=group", "&max=2").await;
    assert_eq!(ids, rooms);
    assert_eq!(links.len(), 2);
    assert!(
        links[0].starts_with(&format!(
            "{}/v1/rooms?type=group&max=2&cursor=",
            emulator.base_url()
        )),
        "{}",
        links[0]
    );

    let room = json!({"id": rooms[0]});
    for n in 0..4 {
        let email = format!("member{n}@example.com");
        person(&emulator, &email, PersonType::Person);
        add_member(&http, token, &room, &email).await;
    }
    let (members, links) = exhaust(
        &http,
        token,
        &format!("/v1/memberships?roomId={}&max=2", rooms[0]),
        "",
    )
    .await;
    assert_eq!(members.len(), 5);
    assert_eq!(links.len(), 2);

    let (people, _) = exhaust(&http, token, "/v1/people?displayName=member&max=3", "").await;
    assert_eq!(people.len(), 4);
}

#[tokio::test]
async fn max_is_validated_everywhere() {
    let (emulator, http) = start().await;
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = &alice.access_token;
    let room = create_room(&http, token, "Max").await;
    let room_id = room["id"].as_str().unwrap();
    for path in [
        "/v1/rooms?".to_owned(),
        format!("/v1/messages?roomId={room_id}&"),
        format!("/v1/memberships?roomId={room_id}&"),
        "/v1/people?displayName=a&".to_owned(),
        "/v1/teams?".to_owned(),
        "/v1/webhooks?".to_owned(),
    ] {
        for bad in ["max=0", "max=-3", "max=ten"] {
            http.call(Method::GET, &format!("{path}{bad}"), token, None)
                .await
                .assert_webex_error(400);
        }
        http.call(Method::GET, &format!("{path}max=1"), token, None)
            .await
            .ok();
    }
}
