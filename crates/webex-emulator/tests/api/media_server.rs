//! The media server behind Locus's `/media`: a real WebRTC client (str0m)
//! joins over HTTP, offers through ROAP, connects ICE and DTLS to the
//! answer's host candidate and exchanges Opus frames.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::Emulator;

use crate::client::{Http, start};
use crate::media_peer::{Peer, Running, Sending};
use crate::meeting_client::{Member, create_meeting, member};

/// The JS SDK's `/media` body around a ROAP message.
fn media_body(member: &Member, media_id: &str, roap: Value) -> Value {
    let local_sdp = json!({
        "audioMuted": false,
        "videoMuted": false,
        "roapMessage": roap,
        "reachability": {},
    });
    json!({
        "device": {"url": member.device_url, "deviceType": "WEB"},
        "correlationId": format!("corr-{}", member.person.email),
        "clientMediaPreferences": {"ipver": 4, "joinCookie": {}, "preferTranscoding": true},
        "localMedias": [{"localSdp": local_sdp.to_string(), "mediaId": media_id}],
    })
}

/// Sends `roap` through `member`'s `/media`; returns the whole reply and
/// the ROAP message in its `remoteSdp`.
async fn put_media(http: &Http, member: &Member, media_id: &str, roap: Value) -> (Value, Value) {
    let url = format!("{}/media", member.self_url);
    let reply = member
        .call(http, Method::PUT, &url, media_body(member, media_id, roap))
        .await
        .ok();
    assert!(reply["locus"].is_object(), "{reply}");
    assert_eq!(reply["mediaConnections"][0]["mediaId"], media_id);
    let remote = reply["mediaConnections"][0]["remoteSdp"]
        .as_str()
        .map(|text| serde_json::from_str::<Value>(text).expect("remoteSdp is JSON"))
        .map(|remote| remote["roapMessage"].clone())
        .unwrap_or(Value::Null);
    (reply, remote)
}

/// A ROAP offer as the JS SDK sends it.
fn offer(seq: u64, sdp: &str) -> Value {
    json!({
        "messageType": "OFFER", "version": "2", "seq": seq, "sdps": [sdp],
        "tieBreaker": 4_294_967_294_u64,
        "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"],
    })
}

/// Offers `sdp` with `seq` and returns the answer SDP, checking the ROAP
/// envelope.
async fn negotiate(http: &Http, member: &Member, media_id: &str, seq: u64, sdp: &str) -> String {
    let (_, answer) = put_media(http, member, media_id, offer(seq, sdp)).await;
    assert_eq!(answer["messageType"], "ANSWER", "{answer}");
    assert_eq!(answer["seq"], seq);
    assert_eq!(answer["headers"], json!(["noOkInTransaction"]));
    answer["sdps"][0]
        .as_str()
        .expect("an answer SDP")
        .to_owned()
}

/// A member for `email`, joined to meeting `link`, with its `mediaId`.
pub(crate) async fn joined(
    emulator: &Emulator,
    http: &Http,
    email: &str,
    link: &str,
) -> (Member, String) {
    let mut member = member(emulator, http, email).await;
    let reply = member.join(http, link).await;
    let media_id = reply["mediaConnections"][0]["mediaId"]
        .as_str()
        .unwrap()
        .to_owned();
    (member, media_id)
}

/// A peer that offered through `member`'s `/media`, applied the answer and
/// runs, sending audio frames starting with `voice`.
async fn connect(
    http: &Http,
    member: &Member,
    media_id: &str,
    voice: Option<&'static [u8]>,
) -> Running {
    let sending = Sending { voice, video: None };
    connect_sending(http, member, media_id, sending).await
}

/// A peer that offered through `member`'s `/media`, applied the answer and
/// runs, sending what `sending` says.
pub(crate) async fn connect_sending(
    http: &Http,
    member: &Member,
    media_id: &str,
    sending: Sending,
) -> Running {
    let mut peer = Peer::new().await;
    let sdp = peer.offer();
    let answer = negotiate(http, member, media_id, 1, &sdp).await;
    peer.accept(&answer);
    let mut running = peer.run(sending);
    running.connected().await;
    running
}

/// The media ids of the emulator's live media sessions.
fn session_ids(emulator: &Emulator) -> Vec<String> {
    emulator
        .media_sessions()
        .into_iter()
        .map(|s| s.media_id)
        .collect()
}

/// A new meeting of a host who never joins; its join link.
pub(crate) async fn meeting(emulator: &Emulator, http: &Http) -> String {
    let host = "host@example.com";
    crate::client::person(emulator, host, webex_emulator::PersonType::Person);
    let created = create_meeting(http, json!({"title": "Media", "hostEmail": host})).await;
    created["webLink"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_lone_client_hears_its_own_audio_and_its_sessions_turn_active() {
    let (emulator, http) = start().await;
    let link = meeting(&emulator, &http).await;
    let (ann, media_id) = joined(&emulator, &http, "ann@example.com", &link).await;

    // Renegotiation before media: a second offer (higher seq) on the same
    // session, the share line now sending too.
    let mut peer = Peer::new().await;
    let first = peer.offer();
    let answer = negotiate(&http, &ann, &media_id, 1, &first).await;
    assert!(answer.contains("a=ice-lite") && answer.contains("a=setup:passive"));
    peer.accept(&answer);
    let second = peer.reoffer_sharing();
    let answer = negotiate(&http, &ann, &media_id, 2, &second).await;
    peer.accept(&answer);
    assert_eq!(session_ids(&emulator), [media_id.as_str()]);

    let mut running = peer.run(Sending {
        voice: Some(b"ann"),
        video: None,
    });
    running.connected().await;
    let echoed = running.hears(b"ann").await;
    assert_eq!(echoed.len(), 3 + 8, "the frame comes back whole");

    // Media flowed, so the device's media sessions are active, with the
    // directions of the last negotiation.
    let sessions = &self_device(&http, &ann).await["mediaSessions"];
    let states: Vec<(&str, &str, &str)> = sessions
        .as_array()
        .expect("mediaSessions")
        .iter()
        .map(|s| {
            (
                s["mediaType"].as_str().unwrap(),
                s["direction"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("audio", "sendrecv", "active"),
            ("video", "sendrecv", "active"),
            ("video", "sendrecv", "active"),
        ]
    );
    let info = &emulator.media_sessions()[0];
    assert!(info.connected && info.frames_received > 0 && info.frames_sent > 0);

    // A TURN discovery with an empty mediaId resets the transport: the
    // session is freed and the media sessions go.
    let turn = json!({"messageType": "TURN_DISCOVERY_REQUEST", "version": "2", "seq": 0,
                      "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"]});
    let url = format!("{}/media", ann.self_url);
    let mut body = media_body(&ann, "", turn);
    body["localMedias"][0]["mediaId"] = json!("");
    let reply = ann.call(&http, Method::PUT, &url, body).await.ok();
    let remote: Value =
        serde_json::from_str(reply["mediaConnections"][0]["remoteSdp"].as_str().unwrap()).unwrap();
    assert_eq!(
        remote["roapMessage"]["messageType"],
        "TURN_DISCOVERY_RESPONSE"
    );
    assert!(session_ids(&emulator).is_empty());
    assert_eq!(self_device(&http, &ann).await["mediaSessions"], json!([]));
    running.stop().await;
}

#[tokio::test]
async fn two_clients_hear_each_other_not_themselves_and_leaving_frees_the_session() {
    let (emulator, http) = start().await;
    let link = meeting(&emulator, &http).await;
    let (ann, ann_media) = joined(&emulator, &http, "ann@example.com", &link).await;
    let (bob, bob_media) = joined(&emulator, &http, "bob@example.com", &link).await;
    let mut ann_peer = connect(&http, &ann, &ann_media, Some(b"ann")).await;
    let mut bob_peer = connect(&http, &bob, &bob_media, Some(b"bob")).await;

    bob_peer.hears(b"ann").await;
    ann_peer.hears(b"bob").await;
    // Neither was alone once both had offered, so nobody got an echo.
    for heard in ann_peer.heard_so_far() {
        assert!(!heard.starts_with(b"ann"));
    }
    for heard in bob_peer.heard_so_far() {
        assert!(!heard.starts_with(b"bob"));
    }

    // Bob leaves: his session is freed, Ann's stays.
    let url = format!("{}/leave", bob.self_url);
    let leave =
        json!({"device": {"deviceType": "WEB", "url": bob.device_url}, "usingResource": null});
    bob.call(&http, Method::PUT, &url, leave).await.ok();
    assert_eq!(session_ids(&emulator), [ann_media.as_str()]);
    // Alone now, Ann hears herself.
    ann_peer.hears(b"ann").await;
    ann_peer.stop().await;
    bob_peer.stop().await;
}

#[tokio::test]
async fn meetings_do_not_hear_each_other() {
    let (emulator, http) = start().await;
    let first = meeting(&emulator, &http).await;
    let second = {
        let created = create_meeting(
            &http,
            json!({"title": "Other", "hostEmail": "host@example.com"}),
        )
        .await;
        created["webLink"].as_str().unwrap().to_owned()
    };
    let (ann, ann_media) = joined(&emulator, &http, "ann@example.com", &first).await;
    let (cat, cat_media) = joined(&emulator, &http, "cat@example.com", &second).await;
    let mut ann_peer = connect(&http, &ann, &ann_media, Some(b"ann")).await;
    let mut cat_peer = connect(&http, &cat, &cat_media, Some(b"cat")).await;

    // Each is alone in their meeting: each hears only their own echo.
    ann_peer.hears(b"ann").await;
    cat_peer.hears(b"cat").await;
    ann_peer.hears(b"ann").await;
    for heard in ann_peer.heard_so_far() {
        assert!(!heard.starts_with(b"cat"));
    }
    for heard in cat_peer.heard_so_far() {
        assert!(!heard.starts_with(b"ann"));
    }
    ann_peer.stop().await;
    cat_peer.stop().await;
}

#[tokio::test]
async fn an_offer_without_sdp_or_with_bad_sdp_gets_a_roap_error() {
    let (emulator, http) = start().await;
    let link = meeting(&emulator, &http).await;
    let (ann, media_id) = joined(&emulator, &http, "ann@example.com", &link).await;
    let (_, error) = put_media(&http, &ann, &media_id, offer(1, "v=0\r\nnonsense")).await;
    assert_eq!(error["messageType"], "ERROR");
    assert_eq!(error["errorType"], "FAILED");
    assert_eq!(error["seq"], 1);
    assert!(error["errorCause"].as_str().unwrap().contains("offer"));
    let mut no_sdp = offer(2, "");
    no_sdp["sdps"] = json!([]);
    let (_, error) = put_media(&http, &ann, &media_id, no_sdp).await;
    assert_eq!(error["messageType"], "ERROR");
    assert!(session_ids(&emulator).is_empty());
}

/// The caller's own device as the locus shows it now.
async fn self_device(http: &Http, member: &Member) -> Value {
    let locus = http
        .get_auth(&locus_path(member), &member.person.access_token)
        .await
        .ok();
    locus["self"]["devices"][0].clone()
}

/// The path of `member`'s locus.
fn locus_path(member: &Member) -> String {
    let at = member.locus_url.find("/locus/").expect("a locus URL");
    member.locus_url[at..].to_owned()
}

#[tokio::test]
async fn ending_the_meeting_frees_every_session() {
    let (emulator, http) = start().await;
    let mut ann = member(&emulator, &http, "ann@example.com").await;
    let created = create_meeting(
        &http,
        json!({"title": "Media", "hostEmail": "ann@example.com"}),
    )
    .await;
    let link = created["webLink"].as_str().unwrap();
    let reply = ann.join(&http, link).await;
    let ann_media = reply["mediaConnections"][0]["mediaId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (bob, bob_media) = joined(&emulator, &http, "bob@example.com", link).await;
    for (who, media_id) in [(&ann, &ann_media), (&bob, &bob_media)] {
        let mut peer = Peer::new().await;
        let sdp = peer.offer();
        negotiate(&http, who, media_id, 1, &sdp).await;
    }
    assert_eq!(emulator.media_sessions().len(), 2);
    let end = format!("{}/end", ann.locus_url);
    ann.call(&http, Method::POST, &end, json!({})).await.ok();
    assert!(session_ids(&emulator).is_empty());
}
