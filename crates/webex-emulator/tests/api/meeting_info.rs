//! Meeting info: passwords, host keys, the captcha after three wrong
//! passwords, personal rooms, space meetings and unknown meetings.

use hyper::Method;
use serde_json::{Value, json};
use webex_emulator::NewMeeting;

use crate::client::{create_room, start};
use crate::meeting_client::member;

#[tokio::test]
async fn a_password_is_required_then_a_captcha_after_three_wrong_ones() {
    let (emulator, http) = start().await;
    let host = member(&emulator, &http, "host@example.com").await;
    let guest = member(&emulator, &http, "guest@example.com").await;
    let created = emulator
        .create_meeting(NewMeeting::new("Secret", "host@example.com").password("s3cret"))
        .unwrap();
    let number = created.meeting_number.clone();
    let key = json!({"meetingKey": number});

    // The host needs no password.
    host.meeting_info(&http, key.clone()).await.ok();

    // No password: 403 with the meeting number in `data.meetingInfo`.
    let reply = guest.meeting_info(&http, key.clone()).await;
    reply.assert_webex_error(403);
    let body = reply.json();
    assert_eq!(body["code"], 403_004);
    assert_eq!(
        body["data"]["meetingInfo"]["meetingNumber"],
        number.as_str()
    );

    // Two wrong passwords: still 403; the third asks for a captcha.
    let with = |extra: Value| {
        let mut body = key.clone();
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for _ in 0..2 {
        let reply = guest
            .meeting_info(&http, with(json!({"password": "nope"})))
            .await;
        assert_eq!(reply.json()["code"], 403_004);
    }
    let reply = guest
        .meeting_info(&http, with(json!({"password": "nope"})))
        .await;
    reply.assert_webex_error(423);
    let captcha = reply.json();
    assert_eq!(captcha["code"], 423_005);
    let captcha_id = captcha["captchaID"].as_str().unwrap().to_owned();
    for url in ["verificationImageURL", "verificationAudioURL"] {
        let fetched = http.get(captcha[url].as_str().unwrap()).await;
        assert_eq!(fetched.status.as_u16(), 200, "{url}");
    }
    let admin = http
        .get(&format!("/_emulator/meetings/{number}/captcha"))
        .await
        .ok();
    assert_eq!(admin["captchaId"], captcha_id.as_str());
    assert_eq!(admin["code"].as_str().unwrap().len(), 6);

    // The right password alone is refused while the captcha is pending,
    // and a wrong answer gets a new captcha (423006).
    let reply = guest
        .meeting_info(&http, with(json!({"password": "s3cret"})))
        .await;
    assert_eq!(reply.json()["code"], 423_006);
    let pending = emulator.meeting_captcha(&number).unwrap();
    assert_ne!(pending.captcha_id, captcha_id);

    // Refreshing gives yet another captcha, which the right answer solves.
    let refresh_url = reply.json()["refreshURL"].as_str().unwrap().to_owned();
    let refreshed = guest
        .call(
            &http,
            Method::POST,
            &format!("{refresh_url}&siteFullName=127.0.0.1"),
            json!({"captchaId": pending.captcha_id}),
        )
        .await
        .ok();
    let fresh = emulator.meeting_captcha(&number).unwrap();
    assert_eq!(refreshed["captchaID"], fresh.captcha_id.as_str());
    let info = guest
        .meeting_info(
            &http,
            with(json!({"password": "s3cret", "captchaID": fresh.captcha_id, "captchaVerifyCode": fresh.code})),
        )
        .await
        .ok();
    assert_eq!(info["meetingNumber"], number.as_str());
    assert!(info.get("hostKey").is_none());
    assert!(emulator.meeting_captcha(&number).is_none());

    // The host key works as a password and reveals itself.
    let other = member(&emulator, &http, "other@example.com").await;
    let info = other
        .meeting_info(&http, with(json!({"password": created.host_key})))
        .await
        .ok();
    assert_eq!(info["hostKey"], created.host_key.as_str());
}

#[tokio::test]
async fn unknown_meetings_and_bad_bodies_are_typed_errors() {
    let (emulator, http) = start().await;
    let alice = member(&emulator, &http, "alice@example.com").await;
    for body in [
        json!({"meetingKey": "29999999999"}),
        json!({"sipUrl": "nobody@emulator.local"}),
        json!({"sipUrl": "29999999999@elsewhere.example.com"}),
        json!({"meetingUrl": "https://emulator.webex.com/meet/nobody"}),
        json!({"meetingUUID": "not-a-uuid"}),
        json!({"locusId": "5f0c4b1e-0000-4000-8000-000000000000"}),
        json!({"conversationUrl": "http://x/conversations/5f0c4b1e-0000-4000-8000-000000000000"}),
    ] {
        let reply = alice.meeting_info(&http, body.clone()).await;
        reply.assert_webex_error(404);
        assert_eq!(reply.json()["code"], 404_001, "{body}");
    }
    for body in [
        json!({}),
        json!({"meetingKey": 12.5e300}),
        json!({"sipUrl": ["x"]}),
    ] {
        let reply = alice.meeting_info(&http, body.clone()).await;
        assert!(
            [400, 404].contains(&reply.status.as_u16()),
            "{body}: {:?}",
            reply.body
        );
        reply.assert_webex_error(reply.status.as_u16());
    }
    let reply = http
        .send_bytes(
            Method::POST,
            "/wbxappapi/v1/meetingInfo",
            &[
                (
                    "authorization",
                    &format!("Bearer {}", alice.person.access_token),
                ),
                ("content-type", "application/json"),
            ],
            bytes::Bytes::from_static(b"\xff\x00garbage"),
        )
        .await
        .unwrap();
    reply.assert_webex_error(400);
    // Without a token: 401.
    http.post("/wbxappapi/v1/meetingInfo", "{}")
        .await
        .assert_webex_error(401);
    // Admin API: unknown host, unknown meeting.
    let reply = http
        .post(
            "/_emulator/meetings",
            &json!({"title": "x", "hostEmail": "ghost@example.com"}).to_string(),
        )
        .await;
    reply.assert_webex_error(400);
    http.get("/_emulator/meetings/29999999999")
        .await
        .assert_webex_error(404);
    assert!(emulator.meeting("29999999999").is_none());
}

#[tokio::test]
async fn personal_rooms_and_space_meetings_are_found() {
    let (emulator, http) = start().await;
    let mut alice = member(&emulator, &http, "alice@example.com").await;
    let bob = member(&emulator, &http, "bob@example.com").await;
    let alice_uuid = crate::mercury::uuid_of(&json!(alice.person.id));
    let room = bob
        .meeting_info(&http, json!({"userId": alice_uuid, "orgId": "any"}))
        .await
        .ok();
    assert_eq!(room["isPmr"], true);
    assert_eq!(room["sipMeetingUri"], "alice@emulator.local");
    assert_eq!(room["owner"], alice_uuid.as_str());
    // The same room again, by Hydra person id and by its SIP URI.
    let by_id = bob
        .meeting_info(&http, json!({"userId": alice.person.id, "orgId": "any"}))
        .await
        .ok();
    assert_eq!(by_id["meetingNumber"], room["meetingNumber"]);
    let again = alice
        .meeting_info(&http, json!({"sipUrl": "alice@emulator.local"}))
        .await
        .ok();
    assert_eq!(again["meetingNumber"], room["meetingNumber"]);
    let joined = alice.join(&http, "alice@emulator.local").await;
    assert_eq!(joined["locus"]["info"]["isPmr"], true);

    // A space's meeting, for its members only.
    let space = create_room(&http, &bob.person.access_token, "Standup").await;
    let space_uuid = crate::mercury::uuid_of(&space["id"]);
    let url = format!(
        "{}/conversation/api/v1/conversations/{space_uuid}",
        emulator.base_url()
    );
    let info = bob
        .meeting_info(&http, json!({"conversationUrl": url}))
        .await
        .ok();
    assert_eq!(info["meetingName"], "Standup");
    assert_eq!(info["conversationUrl"], url.as_str());
    alice
        .meeting_info(&http, json!({"conversationUrl": url}))
        .await
        .assert_webex_error(404);
}
