//! Roles, hands, layouts, mute all, removal and rejoining.

use hyper::Method;
use serde_json::json;

use crate::client::start;
use crate::meeting_client::{create_meeting, member, participant};

#[tokio::test]
async fn cohosts_hands_layouts_mute_all_removal_and_rejoin() {
    let (emulator, http) = start().await;
    let mut host = member(&emulator, &http, "host@example.com").await;
    let mut bob = member(&emulator, &http, "bob@example.com").await;
    let created = create_meeting(
        &http,
        json!({"title": "R", "hostEmail": "host@example.com"}),
    )
    .await;
    let link = created["webLink"].as_str().unwrap().to_owned();
    host.join(&http, &link).await;
    host.event().await;
    bob.join(&http, &link).await;
    bob.event().await;
    host.event().await;
    let controls = format!("{}/controls", host.locus_url);
    let bob_controls = format!("{}/controls", bob.self_url);

    // Bob raises his hand; the host lowers every hand.
    bob.delta_request(
        &http,
        Method::PATCH,
        &bob_controls,
        json!({"hand": {"raised": true}}),
    )
    .await;
    let (_, delta) = host.event().await;
    assert_eq!(
        participant(&delta, "bob@example.com")["controls"]["hand"]["raised"],
        true
    );
    bob.event().await;
    host.delta_request(
        &http,
        Method::PATCH,
        &controls,
        json!({"hand": {"raised": false}}),
    )
    .await;
    let (_, delta) = bob.event().await;
    assert_eq!(delta["self"]["controls"]["hand"]["raised"], false);
    host.event().await;

    // Bob picks his layout (his own only).
    let layout = json!({"layout": {"deviceUrl": bob.device_url, "type": "Equal"}});
    let answer = bob
        .delta_request(&http, Method::PUT, &controls, layout)
        .await;
    assert_eq!(answer["self"]["controls"]["layouts"][0]["type"], "Equal");
    bob.event().await;
    host.event().await;

    // Mute all mutes everyone but the hosts; a host "unmuting" Bob asks him.
    host.delta_request(
        &http,
        Method::PATCH,
        &controls,
        json!({"audio": {"muted": true, "disallowUnmute": true}}),
    )
    .await;
    let (_, delta) = bob.event().await;
    assert_eq!(delta["self"]["controls"]["audio"]["muted"], true);
    assert_eq!(delta["controls"]["disallowUnmute"]["enabled"], true);
    let (_, delta) = host.event().await;
    // Everyone's audio control shows `disallowUnmute`; the host stays unmuted.
    assert_eq!(delta["self"]["controls"]["audio"]["muted"], false);
    assert_eq!(delta["self"]["controls"]["audio"]["disallowUnmute"], true);
    let reply = bob
        .call(
            &http,
            Method::PATCH,
            &bob_controls,
            json!({"audio": {"muted": false}}),
        )
        .await;
    reply.assert_webex_error(403);
    assert_eq!(reply.json()["errorCode"], 2_403_003);
    host.delta_request(
        &http,
        Method::PATCH,
        &bob_controls,
        json!({"audio": {"muted": false}}),
    )
    .await;
    let (_, delta) = bob.event().await;
    assert_eq!(delta["self"]["controls"]["audio"]["muted"], true);
    assert_eq!(
        delta["self"]["controls"]["audio"]["requestedToUnmute"],
        true
    );
    host.event().await;

    // A cohost may lock.
    let role = json!({"role": {"roles": [{"type": "COHOST", "hasRole": true}]}});
    host.delta_request(&http, Method::PATCH, &bob_controls, role)
        .await;
    let (_, delta) = bob.event().await;
    let roles = delta["self"]["controls"]["role"]["roles"].to_string();
    assert!(roles.contains("COHOST"), "{roles}");
    host.event().await;
    bob.delta_request(
        &http,
        Method::PATCH,
        &controls,
        json!({"lock": {"locked": true}}),
    )
    .await;
    bob.event().await;
    host.event().await;

    // The host removes Bob: he hears it, with reason FORCED.
    let answer = host
        .delta_request(
            &http,
            Method::PUT,
            &format!("{}/leave", bob.self_url),
            json!({"reason": "FORCED"}),
        )
        .await;
    assert_eq!(participant(&answer, "bob@example.com")["state"], "LEFT");
    let (_, delta) = bob.event().await;
    assert_eq!(delta["self"]["state"], "LEFT");
    assert_eq!(delta["self"]["reason"], "FORCED");
    assert_eq!(delta["self"]["removed"], true);
    host.event().await;

    // Rejoining (a cohost, so past the lock) gets a whole DTO again.
    let reply = bob
        .call(
            &http,
            Method::POST,
            &format!("{}/participant", bob.locus_url),
            bob.join_body(None),
        )
        .await
        .ok();
    assert_eq!(reply["locus"]["self"]["state"], "JOINED");
    assert_eq!(reply["locus"]["self"]["removed"], false);
    bob.took_full(&reply["locus"]);
    let (kind, _) = bob.event().await;
    assert_eq!(kind, "locus.participant_joined");
    let (kind, delta) = host.event().await;
    assert_eq!(kind, "locus.difference");
    assert_eq!(participant(&delta, "bob@example.com")["state"], "JOINED");
    let number = created["meetingNumber"].as_str().unwrap();
    host.assert_converged(&emulator, number);
    bob.assert_converged(&emulator, number);
}

#[tokio::test(start_paused = true)]
async fn a_lobby_device_that_stops_sending_keep_alives_is_dropped() {
    use std::time::Duration;

    use webex_emulator::PersonType;

    use crate::client::person;
    use crate::devices::register;

    let (emulator, http) = start().await;
    let mut joiners = Vec::new();
    for email in [
        "host@example.com",
        "quiet@guest.example",
        "chatty@guest.example",
    ] {
        let who = person(&emulator, email, PersonType::Person);
        let device = register(&http, &who.access_token).await;
        joiners.push((who, device["url"].as_str().unwrap().to_owned()));
    }
    let created = create_meeting(
        &http,
        json!({"title": "L", "hostEmail": "host@example.com", "lobby": true}),
    )
    .await;
    let number = created["meetingNumber"].as_str().unwrap().to_owned();
    let mut keep_alive = String::new();
    for (who, device) in &joiners {
        let body = json!({
            "device": {"url": device, "deviceType": "WEB"},
            "correlationId": "c",
            "supportsNativeLobby": 1,
            "invitee": {"address": format!("wbxmn:{number}")},
        });
        let reply = http
            .call(
                Method::POST,
                "/locus/api/v1/loci/call",
                &who.access_token,
                Some(body),
            )
            .await
            .ok();
        let device = &reply["locus"]["self"]["devices"][0];
        if who.email.starts_with("chatty") {
            keep_alive = device["keepAliveUrl"].as_str().unwrap().to_owned();
        }
    }
    let chatty = &joiners[2].0.access_token;
    let states = || {
        let view = emulator.meeting(&number).unwrap();
        let mut states: Vec<(String, String)> = view["locus"]["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let reason = p["reason"].as_str().unwrap_or("-");
                (
                    p["person"]["email"].as_str().unwrap().to_owned(),
                    format!("{} {reason}", p["state"].as_str().unwrap()),
                )
            })
            .collect();
        states.sort();
        states
    };

    // Keep-alives every 15 s keep one guest waiting; the quiet one is
    // dropped once 60 s passed without any.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_secs(15)).await;
        http.get_auth(&keep_alive, chatty).await.ok();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        states(),
        [
            ("chatty@guest.example".to_owned(), "IDLE -".to_owned()),
            ("host@example.com".to_owned(), "JOINED -".to_owned()),
            ("quiet@guest.example".to_owned(), "LEFT INACTIVE".to_owned()),
        ]
    );

    // Once it stops, the other goes too; a keep-alive after that is a 404.
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert_eq!(states()[0].1, "LEFT INACTIVE");
    http.get_auth(&keep_alive, chatty)
        .await
        .assert_webex_error(404);
}
