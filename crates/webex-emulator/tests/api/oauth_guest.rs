//! Guest sign-in: `POST /v1/jwt/login` with a JWT signed by a guest
//! issuer's secret, as the JS SDK's `createJwt` and webexpythonsdk's guest
//! issuer API make it.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hyper::Method;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::client::{Http, Reply, start};
use crate::oauth::me;

/// An HS256 JWT of `claims`, keyed with the base64 decoding of `secret`.
fn sign(claims: &Value, secret: &str) -> String {
    let key = STANDARD.decode(secret).unwrap();
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(&key).unwrap(),
    )
    .unwrap()
}

fn in_an_hour() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600
}

async fn login(http: &Http, authorization: &str) -> Reply {
    http.send(
        Method::POST,
        "/v1/jwt/login",
        &[("authorization", authorization)],
        None,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_guest_jwt_logs_in_as_a_guest() {
    let (emulator, http) = start().await;
    let issuer = http.post("/_emulator/oauth/guest-issuers", "").await;
    assert_eq!(issuer.status.as_u16(), 201);
    let issuer = issuer.json();
    let (iss, secret) = (
        issuer["issuerId"].as_str().unwrap(),
        issuer["secret"].as_str().unwrap(),
    );

    // The JS SDK: the bare JWT in `authorization`.
    let claims =
        json!({"sub": "guest-user-1", "iss": iss, "name": "Guest One", "exp": in_an_hour()});
    let reply = login(&http, &sign(&claims, secret)).await;
    let body = reply.ok();
    assert_eq!(body["expiresIn"], 21_600);
    let token = body["token"].as_str().unwrap();
    // A JWT naming the org in `realm` and the guest in `user_type`.
    let payload: Value = jsonwebtoken::dangerous::insecure_decode_claims(token).unwrap();
    assert_eq!(payload["user_type"], "guest");
    assert!(payload["realm"].is_string());
    let person = http.get_auth("/v1/people/me", token).await.ok();
    assert_eq!(person["displayName"], "Guest One");
    let guest_id = person["id"].as_str().unwrap().to_owned();

    // webexpythonsdk: `Bearer <jwt>`, with `exp` as a string; the same sub
    // is the same guest.
    let claims = json!({"sub": "guest-user-1", "iss": iss, "name": "Guest One", "exp": in_an_hour().to_string()});
    let again = login(&http, &format!("Bearer {}", sign(&claims, secret)))
        .await
        .ok();
    let second = again["token"].as_str().unwrap();
    assert_ne!(second, token);
    assert_eq!(me(&http, second).await, Ok(guest_id));

    // A guest token expires like any other.
    assert!(emulator.expire_token(second));
    assert_eq!(me(&http, second).await, Err(401));
}

#[tokio::test]
async fn bad_guest_jwts_are_refused() {
    let (emulator, http) = start().await;
    let issuer = emulator
        .create_guest_issuer(webex_emulator::NewGuestIssuer::default())
        .unwrap();
    let other = emulator
        .create_guest_issuer(webex_emulator::NewGuestIssuer::default())
        .unwrap();
    let good = json!({"sub": "g-1", "iss": issuer.issuer_id, "name": "G", "exp": in_an_hour()});
    let with = |key: &str, value: Value| {
        let mut claims = good.clone();
        claims[key] = value;
        claims
    };
    let cases = [
        sign(&good, &other.secret),
        sign(&with("exp", json!(1)), &issuer.secret),
        sign(&with("iss", json!("nobody")), &issuer.secret),
        sign(&with("sub", json!("has spaces")), &issuer.secret),
        sign(&with("name", json!("")), &issuer.secret),
        sign(&with("exp", json!("soon")), &issuer.secret),
        "not-a-jwt".to_owned(),
        "a.b.c".to_owned(),
        "x".repeat(50_000),
    ];
    for jwt in cases {
        let message = login(&http, &jwt).await.assert_webex_error(401);
        assert!(message.starts_with("Invalid JWT"), "{message}");
    }
    // An HS512 token is not an HS256 one.
    let key = STANDARD.decode(&issuer.secret).unwrap();
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &good,
        &EncodingKey::from_secret(&key).unwrap(),
    )
    .unwrap();
    login(&http, &hs512).await.assert_webex_error(401);
    // No JWT at all.
    http.send(Method::POST, "/v1/jwt/login", &[], None)
        .await
        .unwrap()
        .assert_webex_error(401);
    // The good one still works.
    assert!(
        login(&http, &sign(&good, &issuer.secret))
            .await
            .status
            .is_success()
    );
}
