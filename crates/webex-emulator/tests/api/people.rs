//! Admin person creation, tokens and the Hydra people endpoints.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use webex_emulator::{NewPerson, PersonType};

use crate::client::{alice, start};

#[tokio::test]
async fn health() {
    let (_emulator, http) = start().await;
    let reply = http.get("/_emulator/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn create_person_over_http_issues_a_real_looking_token() {
    let (emulator, http) = start().await;
    let reply = http
        .post(
            "/_emulator/people",
            r#"{"displayName":"Bob Builder","email":"bob@example.com"}"#,
        )
        .await;
    assert_eq!(reply.status, 201);
    let body = reply.json();
    assert_eq!(body["email"], "bob@example.com");
    assert_eq!(body["displayName"], "Bob Builder");

    let token = body["accessToken"].as_str().unwrap();
    let parts: Vec<&str> = token.split('_').collect();
    assert_eq!(parts.len(), 3, "{token}");
    assert_eq!(parts[0].len(), 64);
    assert!(parts[0].chars().all(|c| c.is_ascii_alphanumeric()));

    // The last part is the org uuid: the catalog's orgId, and the uuid inside
    // the Hydra org id.
    let catalog = http
        .get("/u2c/api/v1/limited/catalog?format=hostmap&mode=DEFAULT_BY_PROXIMITY")
        .await
        .json();
    assert_eq!(catalog["orgId"], parts[2]);
    let org = STANDARD_NO_PAD
        .decode(body["orgId"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(org).unwrap(),
        format!("ciscospark://us/ORGANIZATION/{}", parts[2])
    );

    // The admin API is neither counted nor faulted.
    assert_eq!(emulator.request_count(""), 1);
}

#[tokio::test]
async fn duplicate_email_is_a_conflict() {
    let (emulator, http) = start().await;
    alice(&emulator);
    let reply = http
        .post(
            "/_emulator/people",
            r#"{"displayName":"Alice Again","email":"ALICE@example.com"}"#,
        )
        .await;
    reply.assert_webex_error(409);

    let error = emulator
        .try_create_person(NewPerson {
            display_name: "Alice".into(),
            email: "alice@example.com".into(),
            kind: PersonType::Bot,
        })
        .unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
}

#[tokio::test]
async fn bad_person_bodies_are_rejected() {
    let (_emulator, http) = start().await;
    for body in [
        "not json",
        r#"{"displayName":"No Email"}"#,
        r#"{"displayName":"X","email":"x@example.com","type":"robot"}"#,
        r#"{"displayName":"","email":"y@example.com"}"#,
        r#"{"displayName":"Z","email":"no-at-sign"}"#,
        r#"[]"#,
    ] {
        let reply = http.post("/_emulator/people", body).await;
        reply.assert_webex_error(400);
    }
}

#[tokio::test]
async fn people_me_requires_a_token() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);

    let reply = http.get_auth("/v1/people/me", &alice.access_token).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let me = reply.json();
    assert_eq!(me["id"], alice.id.as_str());
    assert_eq!(me["emails"], serde_json::json!(["alice@example.com"]));
    assert_eq!(me["displayName"], "Alice Example");
    assert_eq!(me["firstName"], "Alice");
    assert_eq!(me["lastName"], "Example");
    assert_eq!(me["orgId"], alice.org_id.as_str());
    assert_eq!(me["type"], "person");
    assert_eq!(me["status"], "active");
    // Like Webex for bots and most people (issue 13): a picture URL.
    assert!(
        me["avatar"]
            .as_str()
            .is_some_and(|url| url.starts_with(&format!("{}/avatars/", emulator.base_url()))),
        "{me}"
    );
    let created = me["created"].as_str().unwrap();
    assert_eq!(created.len(), "2024-10-23T07:53:20.123Z".len(), "{created}");
    assert!(created.ends_with('Z'));

    // Without a token: 401 in the Webex shape, echoing the tracking id.
    let reply = http
        .send(
            hyper::Method::GET,
            "/v1/people/me",
            &[("TrackingID", "test_tracking_1")],
            None,
        )
        .await
        .unwrap();
    let message = reply.assert_webex_error(401);
    assert!(message.contains("access token"), "{message}");
    assert_eq!(reply.header("trackingid"), Some("test_tracking_1"));

    // Malformed and unknown tokens are just as bad.
    for auth in ["Bearer", "Basic abc", "Bearer nope_PF84_nope", "garbage"] {
        let reply = http
            .send(
                hyper::Method::GET,
                "/v1/people/me",
                &[("authorization", auth)],
                None,
            )
            .await
            .unwrap();
        reply.assert_webex_error(401);
    }
}

#[tokio::test]
async fn bots_are_bots() {
    let (emulator, http) = start().await;
    let bot = emulator.create_person(NewPerson {
        display_name: "Helper".into(),
        email: "helper@webex.bot".into(),
        kind: PersonType::Bot,
    });
    let me = http
        .get_auth("/v1/people/me", &bot.access_token)
        .await
        .json();
    assert_eq!(me["type"], "bot");
}

#[tokio::test]
async fn people_by_id() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let bob = emulator.create_person(NewPerson {
        display_name: "Bob".into(),
        email: "bob@example.com".into(),
        kind: PersonType::Person,
    });
    let token = &alice.access_token;

    let reply = http
        .get_auth(&format!("/v1/people/{}", bob.id), token)
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["id"], bob.id.as_str());
    assert_eq!(reply.json()["lastName"], "");

    // Padded ids decode too.
    let padding = "=".repeat((4 - bob.id.len() % 4) % 4);
    assert!(
        !padding.is_empty(),
        "person ids are never a multiple of 4 long"
    );
    let padded = format!("/v1/people/{}{padding}", bob.id);
    let reply = http.get_auth(&padded, token).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);

    // Well-formed but unknown.
    let unknown =
        STANDARD_NO_PAD.encode("ciscospark://us/PEOPLE/00000000-0000-4000-8000-000000000000");
    http.get_auth(&format!("/v1/people/{unknown}"), token)
        .await
        .assert_webex_error(404);

    // Not base64, not a PEOPLE id, not a uuid inside.
    let org_id = alice.org_id.clone();
    let not_uuid = STANDARD_NO_PAD.encode("ciscospark://us/PEOPLE/xyz");
    for garbage in ["!!!", "abc", org_id.as_str(), not_uuid.as_str()] {
        let reply = http.get_auth(&format!("/v1/people/{garbage}"), token).await;
        let message = reply.assert_webex_error(400);
        assert!(message.starts_with("Invalid"), "{message}");
    }

    // The id route needs a token like every Hydra route.
    http.get(&format!("/v1/people/{}", bob.id))
        .await
        .assert_webex_error(401);
}

#[tokio::test]
async fn people_list_by_email_name_and_ids() {
    let (emulator, http) = start().await;
    let alice = alice(&emulator);
    let bob = emulator.create_person(NewPerson {
        display_name: "Bob Builder".into(),
        email: "bob@example.com".into(),
        kind: PersonType::Person,
    });
    let token = &alice.access_token;
    let get = |path: String| http.get_auth_owned(path, token);

    let by_email = get("/v1/people?email=BOB%40example.com".into())
        .await
        .json();
    assert_eq!(by_email["items"].as_array().unwrap().len(), 1);
    assert_eq!(by_email["items"][0]["id"], bob.id.as_str());
    assert!(by_email.get("notFoundIds").is_none());
    let by_name = get("/v1/people?displayName=bob%20b".into()).await.json();
    assert_eq!(by_name["items"][0]["displayName"], "Bob Builder");
    let none = get("/v1/people?displayName=Builder".into()).await.json();
    assert_eq!(none["items"], serde_json::json!([]));
    get("/v1/people".into()).await.assert_webex_error(400);

    // The JS SDK batch: `people/?id=...&showAllTypes=false`, items matched by
    // exact id, unknown ids echoed verbatim in notFoundIds.
    let unknown =
        STANDARD_NO_PAD.encode("ciscospark://us/PEOPLE/00000000-0000-4000-8000-000000000000");
    let batch = get(format!(
        "/v1/people/?id={},{},{unknown},garbage&showAllTypes=false",
        bob.id, alice.id
    ))
    .await;
    assert_eq!(batch.status, 200);
    let body = batch.json();
    let ids: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![bob.id.as_str(), alice.id.as_str()]);
    assert_eq!(body["notFoundIds"], serde_json::json!([unknown, "garbage"]));
    assert_eq!(
        body["items"][0]["emails"],
        serde_json::json!(["bob@example.com"])
    );

    // orgId filter.
    let org = get(format!("/v1/people?displayName=A&orgId={}", alice.org_id))
        .await
        .json();
    assert_eq!(org["items"].as_array().unwrap().len(), 1);
}
