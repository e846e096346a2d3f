//! Meetings end to end, as a client drives them: meeting info, Locus over
//! HTTP, and `locus.*` events over each participant's Mercury socket.

use hyper::Method;
use serde_json::{Value, json};

use crate::client::start;
use crate::meeting_client::{create_meeting, entry, member, participant, refused};
use crate::mercury::quiet;

#[tokio::test]
async fn create_meeting_info_and_join_give_a_full_locus() {
    let (emulator, http) = start().await;
    let mut host = member(&emulator, &http, "host@example.com").await;
    let created = create_meeting(
        &http,
        json!({"title": "Plans", "hostEmail": "host@example.com"}),
    )
    .await;
    let number = created["meetingNumber"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 11);
    assert!(number.starts_with('2') && number.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(created["sipUri"], format!("{number}@emulator.local"));
    assert_eq!(
        created["webLink"],
        format!("https://emulator.webex.com/meet/{number}")
    );
    assert!(created.get("locusUrl").is_none());
    assert_eq!(created["hostKey"].as_str().unwrap().len(), 6);

    // Meeting info by number, SIP URI and link all find it.
    for body in [
        json!({"meetingKey": number}),
        json!({"sipUrl": created["sipUri"]}),
        json!({"meetingUrl": created["webLink"]}),
    ] {
        let info = host.meeting_info(&http, body).await.ok();
        assert_eq!(info["meetingNumber"], number.as_str());
        assert_eq!(info["sipUrl"], created["sipUri"]);
        assert_eq!(info["meetingJoinUrl"], created["webLink"]);
        assert_eq!(info["meetingName"], "Plans");
        assert!(info.get("locusUrl").is_none());
        assert!(info.get("locusClusterUrl").is_none());
        let token = info["permissionToken"].as_str().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        use base64::Engine as _;
        let payload: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap();
        let (iat, exp) = (
            payload["iat"].as_u64().unwrap(),
            payload["exp"].as_u64().unwrap(),
        );
        assert!(iat > 1_000_000_000_000, "milliseconds");
        assert_eq!(exp - iat, 3_600_000);
        assert_eq!(payload["permission"]["userPolicies"]["supportVoIP"], true);
    }

    let joined = host.join(&http, created["webLink"].as_str().unwrap()).await;
    let locus = &joined["locus"];
    let media_id = joined["mediaConnections"][0]["mediaId"].as_str().unwrap();
    assert!(!media_id.is_empty());
    assert!(
        host.locus_url
            .starts_with(&format!("{}/locus/api/v1/loci/", emulator.base_url()))
    );
    assert_eq!(locus["self"]["state"], "JOINED");
    assert_eq!(locus["self"]["devices"][0]["url"], host.device_url.as_str());
    assert_eq!(
        locus["self"]["devices"][0]["correlationId"],
        "corr-host@example.com"
    );
    assert!(locus["self"]["status"].is_object());
    assert!(locus["controls"]["record"]["meta"]["lastModified"].is_string());
    assert_eq!(locus["fullState"]["state"], "ACTIVE");
    assert_eq!(locus["fullState"]["type"], "MEETING");
    assert_eq!(locus["host"]["id"], locus["self"]["person"]["id"]);
    assert_eq!(locus["info"]["webExMeetingId"], number.as_str());
    let roles: Vec<&str> = locus["self"]["controls"]["role"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert!(roles.contains(&"MODERATOR"));
    let shares: Vec<&str> = locus["mediaShares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(shares, ["content", "whiteboard"]);
    assert_eq!(
        locus["controls"]["reactions"]["reactionChannelUrl"],
        format!(
            "{}/reactions",
            locus["url"]
                .as_str()
                .unwrap()
                .replace("/locus/api/v1/loci/", "/datachannel/api/v1/locus/")
        )
    );

    // The host's own device hears of the join as a full DTO.
    let (kind, pushed) = host.event().await;
    assert_eq!(kind, "locus.participant_joined");
    assert_eq!(pushed["self"]["id"], locus["self"]["id"]);

    // GET locus: the same state; meeting info now has the locus URL.
    let got = http
        .get_auth(&host.locus_url, &host.person.access_token)
        .await
        .ok();
    assert_eq!(entry(&got["sequence"]), host.sequence);
    assert_eq!(got["self"]["id"], locus["self"]["id"]);
    let info = host
        .meeting_info(&http, json!({"meetingKey": number}))
        .await
        .ok();
    assert_eq!(info["locusUrl"], host.locus_url.as_str());
    assert_eq!(info["hostKey"], created["hostKey"]);

    // Sync: nothing new is an empty 200; `GET loci` lists it.
    let sync = http
        .get_auth(got["syncUrl"].as_str().unwrap(), &host.person.access_token)
        .await;
    assert_eq!(sync.status.as_u16(), 200);
    assert!(sync.body.is_empty());
    let loci = http
        .get_auth("/locus/api/v1/loci", &host.person.access_token)
        .await
        .ok();
    assert_eq!(loci["locusUrls"][0], host.locus_url.as_str());

    // The admin view is the same locus without `self`.
    let view = http
        .get(&format!("/_emulator/meetings/{number}"))
        .await
        .ok();
    assert_eq!(view["locusUrl"], host.locus_url.as_str());
    assert!(view["locus"].get("self").is_none());
    assert_eq!(entry(&view["locus"]["sequence"]), host.sequence);
    assert_eq!(
        emulator.meeting(&number).unwrap()["locus"]["participants"],
        view["locus"]["participants"]
    );
    quiet(&mut host.socket).await;
}

#[tokio::test]
async fn host_attendee_and_lobby_guest_follow_every_change_as_deltas() {
    let (emulator, http) = start().await;
    let mut host = member(&emulator, &http, "host@example.com").await;
    let mut attendee = member(&emulator, &http, "bob@example.com").await;
    let mut guest = member(&emulator, &http, "carol@guest.example.org").await;
    let created = create_meeting(
        &http,
        json!({"title": "Review", "hostEmail": "host@example.com", "lobby": true}),
    )
    .await;
    let sip = created["sipUri"].as_str().unwrap().to_owned();

    // The host starts the meeting by SIP URI.
    host.join(&http, &sip).await;
    assert_eq!(host.event().await.0, "locus.participant_joined");

    // The attendee joins the live locus; the host gets a delta with them.
    let info = attendee
        .meeting_info(&http, json!({"sipUrl": sip}))
        .await
        .ok();
    let locus_url = info["locusUrl"].as_str().unwrap().to_owned();
    let reply = attendee
        .call(
            &http,
            Method::POST,
            &format!("{locus_url}/participant?alternateRedirect=true"),
            attendee.join_body(None),
        )
        .await
        .ok();
    attendee.took_full(&reply["locus"]);
    assert_eq!(reply["locus"]["self"]["state"], "JOINED");
    assert_eq!(attendee.event().await.0, "locus.participant_joined");
    let (kind, delta) = host.event().await;
    assert_eq!(kind, "locus.difference");
    assert_eq!(participant(&delta, "bob@example.com")["state"], "JOINED");
    assert!(
        delta.get("self").is_none(),
        "the host's self did not change"
    );
    assert_eq!(delta["participants"].as_array().unwrap().len(), 1);

    // The guest, from another domain, waits in the lobby.
    let reply = guest
        .call(
            &http,
            Method::POST,
            "/locus/api/v1/loci/call",
            guest.join_body(Some(&format!(
                "wbxmn:{}",
                created["meetingNumber"].as_str().unwrap()
            ))),
        )
        .await
        .ok();
    guest.took_full(&reply["locus"]);
    let me = &reply["locus"]["self"];
    assert_eq!(me["state"], "IDLE");
    assert_eq!(me["devices"][0]["intent"]["type"], "WAIT");
    assert_eq!(me["devices"][0]["keepAliveSecs"], 20);
    let keep_alive = me["devices"][0]["keepAliveUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    http.get_auth(&keep_alive, &guest.person.access_token)
        .await
        .ok();
    assert_eq!(guest.event().await.0, "locus.participant_joined");
    for member in [&mut host, &mut attendee] {
        let (_, delta) = member.event().await;
        assert_eq!(
            participant(&delta, "carol@guest.example.org")["state"],
            "IDLE"
        );
    }
    let guest_id = me["id"].as_str().unwrap().to_owned();

    // Only a host may admit; the host does.
    let admit = json!({"admit": {"participantIds": [guest_id]}});
    let controls = format!("{locus_url}/controls");
    let reply = attendee
        .call(&http, Method::PUT, &controls, admit.clone())
        .await;
    refused(&reply, 403, 2_403_001);
    let answer = host
        .delta_request(&http, Method::PUT, &controls, admit)
        .await;
    assert_eq!(
        participant(&answer, "carol@guest.example.org")["state"],
        "JOINED"
    );
    let (_, delta) = guest.event().await;
    assert_eq!(delta["self"]["state"], "JOINED");
    assert!(delta["self"]["devices"][0].get("intent").is_none());
    host.event().await;
    attendee.event().await;

    // The host mutes the attendee.
    let attendee_url = attendee.self_url.clone();
    let mute = json!({"audio": {"muted": true}});
    let answer = host
        .delta_request(
            &http,
            Method::PATCH,
            &format!("{attendee_url}/controls"),
            mute,
        )
        .await;
    assert_eq!(
        participant(&answer, "bob@example.com")["controls"]["audio"]["muted"],
        true
    );
    let (_, delta) = attendee.event().await;
    assert_eq!(delta["self"]["controls"]["audio"]["muted"], true);
    let host_id = delta["participants"][0]["controls"]["audio"]["meta"]["modifiedBy"].clone();
    assert!(host_id.is_string());
    host.event().await;
    guest.event().await;

    // Lock, then recording start and stop with `meta`.
    for body in [
        json!({"lock": {"locked": true}}),
        json!({"record": {"recording": true, "paused": false}}),
        json!({"record": {"recording": false, "paused": false}}),
    ] {
        host.delta_request(&http, Method::PATCH, &controls, body.clone())
            .await;
        for member in [&mut host, &mut attendee, &mut guest] {
            let (_, delta) = member.event().await;
            let c = &delta["controls"];
            if body.get("lock").is_some() {
                assert_eq!(c["lock"]["locked"], true);
                assert_eq!(delta["fullState"]["locked"], true);
                assert!(
                    delta["info"]["displayHints"]["joined"]
                        .as_array()
                        .unwrap()
                        .contains(&json!("LOCK_STATUS_LOCKED"))
                );
            } else {
                assert_eq!(c["record"]["recording"], body["record"]["recording"]);
                assert_eq!(c["record"]["meta"]["modifiedBy"], host_id);
            }
        }
    }
    let reply = attendee
        .call(
            &http,
            Method::PATCH,
            &controls,
            json!({"lock": {"locked": false}}),
        )
        .await;
    refused(&reply, 403, 2_403_001);

    // The attendee takes the content floor and releases it.
    let share = format!("{locus_url}/mediashares/content");
    let grant = json!({"floor": {
        "beneficiary": {"url": attendee_url, "devices": [{"deviceType": "WEB", "url": attendee.device_url}]},
        "disposition": "GRANTED",
        "requester": {"url": attendee_url},
        "shareInstanceId": "share-1",
    }});
    attendee.call(&http, Method::PUT, &share, grant).await.ok();
    let attendee_id = attendee_url.rsplit('/').next().unwrap().to_owned();
    for member in [&mut host, &mut attendee, &mut guest] {
        let (_, delta) = member.event().await;
        let floor = &delta["mediaShares"][0]["floor"];
        assert_eq!(floor["disposition"], "GRANTED");
        assert_eq!(floor["beneficiary"]["id"], attendee_id.as_str());
    }
    let release = json!({"floor": {"disposition": "RELEASED", "shareInstanceId": "share-1"}});
    let reply = guest
        .call(&http, Method::PUT, &share, release.clone())
        .await;
    refused(&reply, 403, 2_403_002);
    attendee
        .call(&http, Method::PUT, &share, release)
        .await
        .ok();
    for member in [&mut host, &mut attendee, &mut guest] {
        let (_, delta) = member.event().await;
        assert_eq!(delta["mediaShares"][0]["floor"]["disposition"], "RELEASED");
    }

    let number = created["meetingNumber"].as_str().unwrap().to_owned();
    for member in [&host, &attendee, &guest] {
        member.assert_converged(&emulator, &number);
    }

    // Local mute through `/media`, with TURN discovery riding along.
    let local_sdp = json!({
        "audioMuted": false,
        "videoMuted": true,
        "roapMessage": {"messageType": "TURN_DISCOVERY_REQUEST", "version": "2", "seq": 0,
                        "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"]},
    });
    let body = json!({
        "device": {"url": attendee.device_url, "deviceType": "WEB"},
        "correlationId": "corr-bob@example.com",
        "localMedias": [{"localSdp": local_sdp.to_string(), "mediaId": "m"}],
    });
    let answer = attendee
        .delta_request(&http, Method::PUT, &format!("{attendee_url}/media"), body)
        .await;
    assert_eq!(answer["self"]["status"]["audioStatus"], "SENDRECV");
    assert_eq!(answer["self"]["status"]["videoStatus"], "RECVONLY");
    let reply = attendee
        .call(
            &http,
            Method::PUT,
            &format!("{attendee_url}/media"),
            json!({
                "device": {"url": attendee.device_url},
                "localMedias": [{"localSdp": local_sdp.to_string()}],
            }),
        )
        .await
        .ok();
    let remote: Value =
        serde_json::from_str(reply["mediaConnections"][0]["remoteSdp"].as_str().unwrap()).unwrap();
    assert_eq!(
        remote["roapMessage"]["messageType"],
        "TURN_DISCOVERY_RESPONSE"
    );
    assert!(reply["locus"].is_object());
    for member in [&mut host, &mut attendee, &mut guest] {
        let (_, delta) = member.event().await;
        assert_eq!(
            participant(&delta, "bob@example.com")["status"]["audioStatus"],
            "SENDRECV"
        );
    }

    // The attendee leaves: they get their last delta, the others see LEFT.
    let leave = json!({"device": {"deviceType": "WEB", "url": attendee.device_url}, "usingResource": null, "correlationId": "c"});
    let answer = attendee
        .delta_request(&http, Method::PUT, &format!("{attendee_url}/leave"), leave)
        .await;
    assert_eq!(answer["self"]["state"], "LEFT");
    assert_eq!(answer["self"]["removed"], true);
    for member in [&mut host, &mut attendee, &mut guest] {
        let (_, delta) = member.event().await;
        assert_eq!(participant(&delta, "bob@example.com")["state"], "LEFT");
    }

    for member in [&host, &guest] {
        member.assert_converged(&emulator, &number);
    }

    // The host ends the meeting for everyone.
    let end = format!("{locus_url}/end");
    let reply = guest.call(&http, Method::POST, &end, json!({})).await;
    refused(&reply, 403, 2_403_001);
    host.delta_request(&http, Method::POST, &end, json!({}))
        .await;
    for member in [&mut host, &mut guest] {
        let (_, delta) = member.event().await;
        assert_eq!(delta["fullState"]["state"], "INACTIVE");
        assert_eq!(delta["self"]["state"], "LEFT");
    }
    quiet(&mut attendee.socket).await;
    for member in [&host, &guest] {
        member.assert_converged(&emulator, &number);
    }
    let view = emulator
        .meeting(created["meetingNumber"].as_str().unwrap())
        .unwrap();
    assert_eq!(view["locus"]["fullState"]["state"], "INACTIVE");
    assert!(
        view.get("locusUrl").is_none(),
        "an ended meeting has no live locus"
    );
    let states: Vec<&str> = view["locus"]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["LEFT", "LEFT", "LEFT"]);
}
