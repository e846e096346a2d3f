//! Locus under stress: dropped and reordered deltas (the client must sync),
//! locked meetings, host keys, and hostile requests.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::{DeltaFaultMode, LocusFault};

use crate::client::{Http, start};
use crate::meeting_client::{Member, create_meeting, entry, member, merge};

/// Host and attendee in a fresh meeting, past their join events.
async fn meeting_of_two(
    emulator: &webex_emulator::Emulator,
    http: &Http,
) -> (Member, Member, String) {
    let mut host = member(emulator, http, "host@example.com").await;
    let mut attendee = member(emulator, http, "bob@example.com").await;
    let created =
        create_meeting(http, json!({"title": "T", "hostEmail": "host@example.com"})).await;
    let link = created["webLink"].as_str().unwrap().to_owned();
    host.join(http, &link).await;
    host.event().await;
    attendee.join(http, &link).await;
    attendee.event().await;
    host.event().await;
    (
        host,
        attendee,
        created["meetingNumber"].as_str().unwrap().to_owned(),
    )
}

/// Sets the lock as the host.
async fn lock(http: &Http, host: &mut Member, locked: bool) {
    let url = format!("{}/controls", host.locus_url);
    host.delta_request(
        http,
        Method::PATCH,
        &url,
        json!({"lock": {"locked": locked}}),
    )
    .await;
    host.event().await;
}

/// The next raw `locus.difference` of `member`.
async fn raw_delta(member: &mut Member) -> Value {
    let frame = crate::mercury::next(&mut member.socket).await;
    assert_eq!(frame["data"]["eventType"], "locus.difference", "{frame}");
    frame["data"]["locus"].clone()
}

#[tokio::test]
async fn a_dropped_delta_leaves_a_gap_that_sync_closes() {
    let (emulator, http) = start().await;
    let (mut host, mut attendee, number) = meeting_of_two(&emulator, &http).await;
    let reply = http
        .post(
            "/_emulator/faults",
            &json!({"locus": "drop-deltas", "count": 1, "personId": attendee.person.id})
                .to_string(),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201);
    lock(&http, &mut host, true).await;
    crate::mercury::quiet(&mut attendee.socket).await;
    lock(&http, &mut host, false).await;

    // The next delta builds on the one that never came: a client must wait
    // and then sync.
    let delta = raw_delta(&mut attendee).await;
    let base = entry(&delta["baseSequence"]);
    assert!(base > attendee.sequence, "the base is the dropped delta");
    let sync_url = format!("{}/sync?since={}", attendee.locus_url, attendee.sequence);
    let synced = http
        .get_auth(&sync_url, &attendee.person.access_token)
        .await
        .ok();
    assert_eq!(entry(&synced["baseSequence"]), attendee.sequence);
    assert_eq!(entry(&synced["sequence"]), entry(&delta["sequence"]));
    assert_eq!(synced["controls"]["lock"]["locked"], false);
    attendee.sequence = entry(&synced["sequence"]);
    merge(&mut attendee.view, &synced);
    attendee.assert_converged(&emulator, &number);

    // Later deltas build on what the emulator sent, as before.
    lock(&http, &mut host, true).await;
    let (_, delta) = attendee.event().await;
    assert_eq!(delta["controls"]["lock"]["locked"], true);
    attendee.assert_converged(&emulator, &number);
    host.assert_converged(&emulator, &number);

    // A sync from garbage or from before the locus is the whole locus.
    for since in ["1", "18446744073709551615"] {
        let url = format!("{}/sync?since={since}", attendee.locus_url);
        let whole = http
            .get_auth(&url, &attendee.person.access_token)
            .await
            .ok();
        assert!(whole.get("baseSequence").is_none());
        assert!(whole["self"].is_object());
    }
    let url = format!("{}/sync?since=-3", attendee.locus_url);
    http.get_auth(&url, &attendee.person.access_token)
        .await
        .assert_webex_error(400);
}

#[tokio::test]
async fn a_reordered_delta_arrives_after_the_next_one() {
    let (emulator, http) = start().await;
    let (mut host, mut attendee, _) = meeting_of_two(&emulator, &http).await;
    emulator.add_locus_fault(LocusFault {
        locus: "drop-deltas".into(),
        count: 1,
        person_id: Some(attendee.person.id.clone()),
        mode: DeltaFaultMode::Reorder,
    });
    let start = attendee.sequence;
    lock(&http, &mut host, true).await;
    crate::mercury::quiet(&mut attendee.socket).await;
    lock(&http, &mut host, false).await;
    let later = raw_delta(&mut attendee).await;
    let earlier = raw_delta(&mut attendee).await;
    assert_eq!(entry(&earlier["baseSequence"]), start);
    assert_eq!(entry(&later["baseSequence"]), entry(&earlier["sequence"]));
    assert!(entry(&later["sequence"]) > entry(&earlier["sequence"]));
    assert_eq!(later["controls"]["lock"]["locked"], false);
    assert_eq!(earlier["controls"]["lock"]["locked"], true);
}

#[tokio::test]
async fn a_locked_meeting_sends_newcomers_to_the_lobby_or_refuses_them() {
    let (emulator, http) = start().await;
    let (mut host, mut attendee, number) = meeting_of_two(&emulator, &http).await;
    lock(&http, &mut host, true).await;
    attendee.event().await;
    let link = format!("wbxmn:{number}");

    // A client without lobby support gets the intent-to-join code.
    let mut late = member(&emulator, &http, "late@example.com").await;
    let mut body = late.join_body(Some(&link));
    body.as_object_mut().unwrap().remove("supportsNativeLobby");
    let reply = late
        .call(&http, Method::POST, "/locus/api/v1/loci/call", body)
        .await;
    reply.assert_webex_error(403);
    assert_eq!(reply.json()["errorCode"], 2_423_005);

    // With lobby support they wait; with the host key as pin and
    // `moderator` they come in as a host.
    let reply = late.join(&http, &link).await;
    assert_eq!(reply["locus"]["self"]["state"], "IDLE");
    let created = emulator.meeting(&number).unwrap();
    let key = created["hostKey"].as_str().unwrap().to_owned();
    let mut cohost = member(&emulator, &http, "cohost@elsewhere.example").await;
    let mut body = cohost.join_body(Some(&link));
    body["pin"] = json!(key);
    body["moderator"] = json!(true);
    let reply = cohost
        .call(&http, Method::POST, "/locus/api/v1/loci/call", body)
        .await
        .ok();
    cohost.took_full(&reply["locus"]);
    assert_eq!(reply["locus"]["self"]["state"], "JOINED");
    assert_eq!(reply["locus"]["self"]["moderator"], true);
}

#[tokio::test]
async fn hostile_requests_get_typed_errors() {
    let (emulator, http) = start().await;
    let (host, attendee, _) = meeting_of_two(&emulator, &http).await;
    let token = &attendee.person.access_token;
    let locus = &host.locus_url;
    let self_url = &attendee.self_url;
    let cases: Vec<(Method, String, Value, u16)> = vec![
        (
            Method::POST,
            "/locus/api/v1/loci/call".into(),
            json!({"device": {"url": "d"}}),
            400,
        ),
        (
            Method::POST,
            "/locus/api/v1/loci/call".into(),
            json!({"invitee": {"address": "nobody"}, "device": {"url": "d"}}),
            404,
        ),
        (
            Method::POST,
            "/locus/api/v1/loci/call".into(),
            json!({"invitee": {"address": 5}}),
            400,
        ),
        (
            Method::POST,
            "/locus/api/v1/loci/call".into(),
            json!([1, 2]),
            400,
        ),
        (
            Method::POST,
            "/locus/api/v1/loci/call".into(),
            json!({"invitee": {"address": "wbxmn:2"}, "device": {"url": ""}}),
            400,
        ),
        (
            Method::GET,
            "/locus/api/v1/loci/not-a-uuid".into(),
            Value::Null,
            404,
        ),
        (
            Method::GET,
            "/locus/api/v1/loci/5f0c4b1e-0000-4000-8000-000000000000".into(),
            Value::Null,
            404,
        ),
        (
            Method::PATCH,
            format!("{locus}/controls"),
            json!({"lock": {"locked": "yes"}}),
            400,
        ),
        (
            Method::PATCH,
            format!("{locus}/controls"),
            json!({"transcribe": {"caption": true}}),
            400,
        ),
        (Method::PATCH, format!("{locus}/controls"), json!({}), 400),
        (
            Method::PUT,
            format!("{locus}/controls"),
            json!({"admit": {"participantIds": [7]}}),
            404,
        ),
        (
            Method::PATCH,
            format!("{self_url}/controls"),
            json!({"role": {"roles": [{"type": "KING", "hasRole": true}]}}),
            400,
        ),
        (
            Method::PATCH,
            format!("{self_url}/controls"),
            json!({"role": {"roles": [{"type": "COHOST", "hasRole": true}]}}),
            403,
        ),
        (
            Method::PATCH,
            format!("{}/controls", host.self_url),
            json!({"audio": {"muted": true}}),
            403,
        ),
        (
            Method::PATCH,
            format!("{}/controls", host.self_url),
            json!({"hand": {"raised": true}}),
            403,
        ),
        (
            Method::PUT,
            format!("{self_url}/media"),
            json!({"device": {"url": attendee.device_url}, "localMedias": [{"localSdp": {"audioMuted": true}}]}),
            400,
        ),
        (
            Method::PUT,
            format!("{self_url}/media"),
            json!({"device": {"url": "http://other"}, "localMedias": [{"localSdp": "{}"}]}),
            404,
        ),
        (
            Method::PUT,
            format!("{}/media", host.self_url),
            json!({"device": {"url": host.device_url}, "localMedias": [{"localSdp": "{}"}]}),
            403,
        ),
        (
            Method::PUT,
            format!("{locus}/mediashares/content"),
            json!({"floor": {"disposition": "MAYBE"}}),
            400,
        ),
        (
            Method::PUT,
            format!("{locus}/mediashares/screen"),
            json!({"floor": {"disposition": "RELEASED"}}),
            404,
        ),
        (
            Method::PUT,
            format!("{locus}/mediashares/content"),
            json!({"floor": {"disposition": "GRANTED", "beneficiary": {"url": host.self_url}}}),
            403,
        ),
        (
            Method::PUT,
            format!("{}/leave", host.self_url),
            json!({}),
            403,
        ),
        (
            Method::PUT,
            format!("{self_url}/leave"),
            json!({"device": {"url": "http://elsewhere"}}),
            400,
        ),
        (
            Method::PUT,
            format!("{locus}/participant/not-a-uuid/leave"),
            json!({}),
            404,
        ),
        (
            Method::GET,
            format!("{}/keepAlive", host.self_url),
            Value::Null,
            404,
        ),
    ];
    for (method, url, body, status) in cases {
        let body = (!body.is_null()).then_some(body);
        let reply = http.call(method.clone(), &url, token, body.clone()).await;
        reply.assert_webex_error(status);
        let code = reply.json()["errorCode"].as_u64();
        assert!(
            code.is_some_and(|c| c > 2_000_000),
            "{method} {url} {body:?}: {:?}",
            reply.body
        );
    }
    // Nobody joins with someone else's device.
    let stranger = member(&emulator, &http, "stranger@example.com").await;
    let mut body = stranger.join_body(None);
    body["device"]["url"] = json!(host.device_url);
    let reply = stranger
        .call(&http, Method::POST, &format!("{locus}/participant"), body)
        .await;
    reply.assert_webex_error(403);
    assert_eq!(reply.json()["errorCode"], 2_403_005);
    // A stranger may not read the locus.
    http.get_auth(locus, &stranger.person.access_token)
        .await
        .assert_webex_error(403);
    // Nothing was changed by any of it.
    let view = http.get_auth(locus, token).await.ok();
    assert_eq!(entry(&view["sequence"]), attendee.sequence);
}
