//! The KMS identity check against tampered discovery answers (served through emulator faults),
//! and the context renewed before its `expirationDate` on tokio's paused clock.

mod common;

use std::time::Duration;

use serde_json::{Value, json};
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_devices::DevicesExt;
use webex_emulator::{Emulator, Fault};
use webex_encryption::{EncryptionExt, KmsError};

async fn setup() -> (Emulator, Webex) {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = common::person(&emulator, "Ada");
    let webex = common::client(&emulator, &ada).await;
    (emulator, webex)
}

fn ping() -> Value {
    json!({"method": "update", "uri": "/ping"})
}

#[tokio::test]
async fn a_kms_identity_that_fails_the_check_is_refused_and_asked_again_next_time() {
    let (emulator, webex) = setup().await;
    let user_id = webex.devices().ensure_registered().await.unwrap().user_id;
    let path = format!("/encryption/api/v1/kms/{user_id}");
    let real: Value = webex
        .http()
        .json(Request::get(Target::service(
            "encryption",
            format!("kms/{user_id}"),
        )))
        .await
        .unwrap();
    let jwk: Value = serde_json::from_str(real["rsaPublicKey"].as_str().unwrap()).unwrap();
    let kid = jwk["kid"].as_str().unwrap().to_owned();
    let n = jwk["n"].as_str().unwrap().to_owned();
    let tampered = |change: &dyn Fn(&mut Value)| {
        let mut jwk = jwk.clone();
        change(&mut jwk);
        json!({"kmsCluster": real["kmsCluster"], "rsaPublicKey": jwk.to_string()}).to_string()
    };
    let flipped = format!("{}{}", if n.starts_with('A') { 'B' } else { 'A' }, &n[1..]);
    let cases = [
        (tampered(&|jwk| jwk["kty"] = "EC".into()), "'kty'"),
        (
            tampered(&|jwk| jwk["kid"] = kid.replace("kms://", "https://").into()),
            "protocol",
        ),
        (
            tampered(&|jwk| jwk["kid"] = "kms://other.example/kms/1".into()),
            "does not match 'kid'",
        ),
        (
            tampered(&|jwk| jwk["n"] = flipped.clone().into()),
            "Modulus",
        ),
        (tampered(&|jwk| jwk["e"] = "Aw".into()), "exponent"),
        (tampered(&|jwk| jwk["x5c"] = json!([])), "certificates"),
        (
            tampered(&|jwk| jwk["x5c"] = json!(["bm90IGEgY2VydA=="])),
            "X.509",
        ),
        (
            json!({"kmsCluster": real["kmsCluster"], "rsaPublicKey": "{not json"}).to_string(),
            "not a JWK",
        ),
    ];
    for (body, expected) in cases {
        emulator.add_fault(Fault {
            status: Some(200),
            path_prefix: Some(path.clone()),
            body: Some(body.clone()),
            ..Fault::default()
        });
        match webex.kms().request(ping()).await {
            Err(KmsError::InvalidKms(message)) => {
                assert!(message.contains(expected), "{expected}: {message}");
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
    // Every refusal was forgotten: the real identity is accepted now.
    assert_eq!(webex.kms().request(ping()).await.unwrap()["status"], 200);
}

#[tokio::test]
async fn a_failed_discovery_is_not_remembered() {
    let (emulator, webex) = setup().await;
    emulator.add_fault(Fault {
        status: Some(500),
        path_prefix: Some("/encryption/api/v1/kms/".into()),
        method: Some("GET".into()),
        count: 5,
        ..Fault::default()
    });
    let err = webex.kms().request(ping()).await.unwrap_err();
    assert!(matches!(err, KmsError::Http(_)), "{err:?}");
    emulator.clear_faults();
    assert_eq!(webex.kms().request(ping()).await.unwrap()["status"], 200);
}

#[tokio::test(start_paused = true)]
async fn the_context_is_renegotiated_30_seconds_before_it_expires() {
    let (emulator, webex) = setup().await;
    let kms = webex.kms();
    kms.request(ping()).await.unwrap();
    let handshakes_and_pings = || emulator.request_count("/encryption/api/v1/kms/messages");
    assert_eq!(handshakes_and_pings(), 2);

    // The emulator's contexts live an hour; 59 minutes later the context is still used.
    tokio::time::sleep(Duration::from_secs(59 * 60)).await;
    kms.request(ping()).await.unwrap();
    assert_eq!(handshakes_and_pings(), 3);

    // 30 s before the hour it is not: a new handshake comes first.
    tokio::time::sleep(Duration::from_secs(35)).await;
    kms.request(ping()).await.unwrap();
    assert_eq!(handshakes_and_pings(), 5);
}
