//! 1:1 calls: `loci/call` with a person's email, the callee's devices
//! alerted over Mercury, acknowledge, decline, answer by joining, and the
//! call ending when one side is left alone.

use hyper::Method;
use serde_json::{Value, json};

use crate::client::{Http, start};
use crate::meeting_client::{Member, participant, refused};
use crate::mercury::quiet;

/// The callee's device body of an alert or decline.
fn device_body(member: &Member) -> Value {
    json!({
        "device": {"url": member.device_url, "deviceType": "WEB"},
        "correlationId": format!("corr-{}", member.person.email),
    })
}

/// `alice` calls `bob` by email; both hear of it. Returns the locus URL.
async fn ring(http: &Http, alice: &mut Member, bob: &mut Member) -> String {
    let joined = alice.join(http, "bob@example.com").await;
    let locus = &joined["locus"];
    assert_eq!(locus["fullState"]["type"], "CALL");
    assert_eq!(locus["fullState"]["state"], "ACTIVE");
    assert_eq!(locus["self"]["state"], "JOINED");
    assert_eq!(locus["self"]["isCreator"], true);
    assert_eq!(locus["info"]["sipUri"], "bob@example.com");
    assert!(locus["info"].get("webExMeetingId").is_none());
    let callee = participant(locus, "bob@example.com");
    assert_eq!(callee["state"], "NOTIFIED");
    assert_eq!(callee["devices"], json!([]));
    assert_eq!(alice.event().await.0, "locus.participant_joined");

    // The callee's device is told of the call with the whole locus.
    let (kind, pushed) = bob.event().await;
    assert_eq!(kind, "locus.participant_joined");
    assert_eq!(pushed["fullState"]["type"], "CALL");
    assert_eq!(pushed["self"]["state"], "NOTIFIED");
    bob.took_full(&pushed);
    alice.locus_url.clone()
}

#[tokio::test]
async fn a_call_rings_is_acknowledged_and_declined() {
    let (emulator, http) = start().await;
    let mut alice = crate::meeting_client::member(&emulator, &http, "alice@example.com").await;
    let mut bob = crate::meeting_client::member(&emulator, &http, "bob@example.com").await;
    let carol = crate::meeting_client::member(&emulator, &http, "carol@example.com").await;
    let locus_url = ring(&http, &mut alice, &mut bob).await;
    alice.assert_converged_locus(&emulator);
    bob.assert_converged_locus(&emulator);

    // Someone else may neither answer nor join.
    let alert_url = format!("{locus_url}/participant/alert");
    let reply = carol
        .call(&http, Method::PUT, &alert_url, device_body(&carol))
        .await;
    refused(&reply, 404, 2_404_001);
    let reply = carol
        .call(
            &http,
            Method::POST,
            &format!("{locus_url}/participant?alternateRedirect=true"),
            carol.join_body(None),
        )
        .await;
    refused(&reply, 403, 2_403_006);

    // Acknowledged: the callee's device is listed, still NOTIFIED.
    let delta = bob
        .delta_request(&http, Method::PUT, &alert_url, device_body(&bob))
        .await;
    assert_eq!(delta["self"]["state"], "NOTIFIED");
    assert_eq!(delta["self"]["devices"][0]["url"], bob.device_url.as_str());
    let (kind, _) = bob.event().await;
    assert_eq!(kind, "locus.difference");
    let (kind, delta) = alice.event().await;
    assert_eq!(kind, "locus.difference");
    assert_eq!(participant(&delta, "bob@example.com")["state"], "NOTIFIED");
    alice.assert_converged_locus(&emulator);
    bob.assert_converged_locus(&emulator);

    // Declined: the call, left with the caller alone, ends for both.
    let mut body = device_body(&bob);
    body["reason"] = json!("BUSY");
    let delta = bob
        .delta_request(
            &http,
            Method::PUT,
            &format!("{locus_url}/participant/decline"),
            body,
        )
        .await;
    assert_eq!(delta["self"]["state"], "DECLINED");
    assert_eq!(delta["fullState"]["state"], "INACTIVE");
    bob.event().await;
    let (kind, delta) = alice.event().await;
    assert_eq!(kind, "locus.difference");
    assert_eq!(delta["fullState"]["state"], "INACTIVE");
    assert_eq!(delta["self"]["state"], "LEFT");
    assert_eq!(participant(&delta, "bob@example.com")["state"], "DECLINED");
    alice.assert_converged_locus(&emulator);
    bob.assert_converged_locus(&emulator);

    // Nothing more to answer.
    let reply = bob
        .call(&http, Method::PUT, &alert_url, device_body(&bob))
        .await;
    refused(&reply, 409, 2_409_001);
    quiet(&mut alice.socket).await;
    quiet(&mut bob.socket).await;
}

#[tokio::test]
async fn an_answered_call_ends_when_either_side_leaves() {
    let (emulator, http) = start().await;
    let mut alice = crate::meeting_client::member(&emulator, &http, "alice@example.com").await;
    let mut bob = crate::meeting_client::member(&emulator, &http, "bob@example.com").await;
    let locus_url = ring(&http, &mut alice, &mut bob).await;

    // `GET loci` lists the ringing call for the callee (a sync finds it).
    let loci = http
        .get_auth("/locus/api/v1/loci", &bob.person.access_token)
        .await
        .ok();
    assert_eq!(loci["locusUrls"][0], locus_url.as_str());

    // The callee answers by joining.
    let reply = bob
        .call(
            &http,
            Method::POST,
            &format!("{locus_url}/participant?alternateRedirect=true"),
            bob.join_body(None),
        )
        .await
        .ok();
    bob.took_full(&reply["locus"]);
    assert_eq!(reply["locus"]["self"]["state"], "JOINED");
    assert_eq!(reply["locus"]["fullState"]["count"], 2);
    assert_eq!(bob.event().await.0, "locus.participant_joined");
    let (_, delta) = alice.event().await;
    assert_eq!(participant(&delta, "bob@example.com")["state"], "JOINED");
    alice.assert_converged_locus(&emulator);
    bob.assert_converged_locus(&emulator);

    // The caller hangs up: the callee is left alone and the call ends.
    let leave = format!("{}/leave", alice.self_url);
    let body = json!({"device": {"url": alice.device_url, "deviceType": "WEB"}});
    let delta = alice.delta_request(&http, Method::PUT, &leave, body).await;
    assert_eq!(delta["self"]["state"], "LEFT");
    assert_eq!(delta["fullState"]["state"], "INACTIVE");
    alice.event().await;
    let (_, delta) = bob.event().await;
    assert_eq!(delta["fullState"]["state"], "INACTIVE");
    assert_eq!(delta["self"]["state"], "LEFT");
    assert_eq!(participant(&delta, "alice@example.com")["state"], "LEFT");
    alice.assert_converged_locus(&emulator);
    bob.assert_converged_locus(&emulator);

    // A caller who hangs up before an answer ends the call too.
    let locus_url = ring(&http, &mut alice, &mut bob).await;
    let leave = format!("{}/leave", alice.self_url);
    let body = json!({"device": {"url": alice.device_url, "deviceType": "WEB"}});
    alice.delta_request(&http, Method::PUT, &leave, body).await;
    alice.event().await;
    let (_, delta) = bob.event().await;
    assert_eq!(delta["fullState"]["state"], "INACTIVE");
    assert_eq!(delta["self"]["state"], "LEFT");
    assert_eq!(bob.locus_url, locus_url);
    bob.assert_converged_locus(&emulator);
    quiet(&mut alice.socket).await;
    quiet(&mut bob.socket).await;
}

#[tokio::test]
async fn calls_to_nobody_or_oneself_are_refused() {
    let (emulator, http) = start().await;
    let alice = crate::meeting_client::member(&emulator, &http, "alice@example.com").await;
    let call = "/locus/api/v1/loci/call?alternateRedirect=true";
    let reply = alice
        .call(
            &http,
            Method::POST,
            call,
            alice.join_body(Some("nobody@example.com")),
        )
        .await;
    refused(&reply, 404, 2_404_001);
    let reply = alice
        .call(
            &http,
            Method::POST,
            call,
            alice.join_body(Some("alice@example.com")),
        )
        .await;
    refused(&reply, 400, 2_400_001);
}
