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
