//! The KMS client against the emulator's KMS: the ECDHE handshake and key requests, a wrapped
//! `kmsMessage` the emulator opens, a text the emulator encrypted, KMS error statuses,
//! malformed input, and the JS SDK's timeouts on tokio's paused clock.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;
use webex_core::Webex;
use webex_emulator::{CreatedPerson, Emulator, Fault, NewPerson, PersonType};
use webex_encryption::{EncryptionExt, EncryptionPlugin, KmsError};

fn person(emulator: &Emulator, name: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        kind: PersonType::Person,
    })
}

async fn client(emulator: &Emulator, person: &CreatedPerson) -> Webex {
    Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url())
        .plugin(webex_devices::DevicesPlugin::default())
        .plugin(webex_mercury::MercuryPlugin::default())
        .plugin(EncryptionPlugin::default())
        .build()
        .await
        .expect("client builds")
}

#[tokio::test]
async fn negotiates_once_then_creates_and_retrieves_keys() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let kms = webex.kms();

    let created = kms
        .request(json!({"method": "create", "uri": "/keys", "count": 2}))
        .await
        .unwrap();
    assert_eq!(created["status"], 201);
    let keys = created["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let uri = keys[0]["uri"].as_str().unwrap();
    assert!(uri.starts_with("kms://"), "{uri}");
    assert_eq!(keys[0]["jwk"]["kty"], "oct");

    let retrieved = kms
        .clone()
        .request(json!({"method": "retrieve", "uri": uri}))
        .await
        .unwrap();
    assert_eq!(retrieved["key"]["jwk"]["k"], keys[0]["jwk"]["k"]);
    let pong = kms
        .request(json!({"method": "update", "uri": "/ping"}))
        .await
        .unwrap();
    assert_eq!(pong["status"], 200);

    // One discovery, one ECDHE handshake: every later request reused the context.
    assert_eq!(emulator.request_count("/encryption/api/v1/kms/messages"), 4);
    assert_eq!(emulator.request_count("/encryption/api/v1/kms/"), 5);
}

#[tokio::test]
async fn a_wrapped_request_is_opened_by_the_emulator_as_its_services_would() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let request = json!({
        "method": "create",
        "uri": "/authorizations",
        "resourceUri": "kms://kms.example/resources/1",
        "userIds": ["space-1"],
    });
    let wrapped = webex.kms().wrap(request.clone()).await.unwrap();
    assert_eq!(wrapped.split('.').count(), 5);

    let opened = emulator.kms_open(&wrapped).unwrap();
    for field in ["method", "uri", "resourceUri", "userIds"] {
        assert_eq!(opened[field], request[field], "{field}");
    }
    assert!(
        opened["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let device = webex_devices::DevicesExt::devices(&webex)
        .current()
        .unwrap();
    assert_eq!(opened["client"]["clientId"], device.url.as_str());
    assert_eq!(opened["client"]["credential"]["userId"], device.user_id);
    assert_eq!(opened["client"]["credential"]["bearer"], ada.access_token);

    // Tampered with, it no longer opens.
    let mut tampered = wrapped.clone();
    tampered.pop();
    tampered.push(if wrapped.ends_with('A') { 'B' } else { 'A' });
    assert!(emulator.kms_open(&tampered).is_err());
}

#[tokio::test]
async fn decrypts_a_text_the_emulator_encrypted_and_caches_the_key() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let secret = emulator.kms_encrypt_with_new_key(&ada.id, "Meeting room 4 ✓");
    let kms = webex.kms();
    assert_eq!(
        kms.decrypt_text(&secret.key_uri, &secret.jwe)
            .await
            .unwrap(),
        "Meeting room 4 ✓"
    );
    let posts = emulator.request_count("/encryption/api/v1/kms/messages");
    assert_eq!(
        kms.decrypt_text(&secret.key_uri, &secret.jwe)
            .await
            .unwrap(),
        "Meeting room 4 ✓"
    );
    assert_eq!(
        emulator.request_count("/encryption/api/v1/kms/messages"),
        posts,
        "the key came from the cache"
    );
}

#[tokio::test]
async fn kms_refusals_are_typed_errors_with_their_status() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let bob = person(&emulator, "Bob");
    let webex = client(&emulator, &bob).await;
    let adas = emulator.kms_encrypt_with_new_key(&ada.id, "not for Bob");

    let err = webex
        .kms()
        .decrypt_text(&adas.key_uri, &adas.jwe)
        .await
        .unwrap_err();
    assert!(matches!(err, KmsError::Kms { status: 403, .. }), "{err:?}");
    let missing = format!("{}0", adas.key_uri);
    let err = webex
        .kms()
        .request(json!({"method": "retrieve", "uri": missing}))
        .await
        .unwrap_err();
    assert!(matches!(err, KmsError::Kms { status: 404, .. }), "{err:?}");
    let err = webex
        .kms()
        .request(json!(["not", "a", "request"]))
        .await
        .unwrap_err();
    assert!(matches!(err, KmsError::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn malformed_or_foreign_jwes_are_errors_never_panics() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let kms = webex.kms();
    let good = emulator.kms_encrypt_with_new_key(&ada.id, "hello");
    let other = emulator.kms_encrypt_with_new_key(&ada.id, "other");
    let parts: Vec<&str> = good.jwe.split('.').collect();
    let header = parts[0];
    let bad = [
        String::new(),
        "....".to_owned(),
        "a.b.c".to_owned(),
        "!!!.x.y.z.w".to_owned(),
        format!("{header}..%%%.{}.{}", parts[3], parts[4]),
        format!("{header}..{}.{}.AAAA", parts[2], parts[3]),
        format!("{header}..AAAA.{}.{}", parts[3], parts[4]),
        format!("{header}.AAAA.{}.{}.{}", parts[2], parts[3], parts[4]),
        format!(
            "eyJhbGciOiJub25lIn0..{}.{}.{}",
            parts[2], parts[3], parts[4]
        ),
        format!("e30..{}.{}.{}", parts[2], parts[3], parts[4]),
        other.jwe.clone(),
        good.jwe.replace('.', ".."),
    ];
    for jwe in bad {
        let err = kms.decrypt_text(&good.key_uri, &jwe).await.unwrap_err();
        assert!(matches!(err, KmsError::Malformed(_)), "{jwe:?}: {err:?}");
    }
    assert_eq!(
        kms.decrypt_text(&good.key_uri, &good.jwe).await.unwrap(),
        "hello"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_request_waits_6_12_24_48_seconds_then_times_out() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let kms = webex.kms();
    kms.request(json!({"method": "update", "uri": "/ping"}))
        .await
        .unwrap();
    let posts = emulator.request_count("/encryption/api/v1/kms/messages");
    // The service accepts the batches but the KMS never sees them: no answer comes.
    emulator.add_fault(Fault {
        status: Some(202),
        count: 10,
        path_prefix: Some("/encryption/api/v1/kms/messages".into()),
        ..Fault::default()
    });

    let started = Instant::now();
    let err = kms
        .request(json!({"method": "update", "uri": "/ping"}))
        .await
        .unwrap_err();
    let KmsError::Timeout {
        waited,
        method,
        uri,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*waited, Duration::from_secs(48));
    assert_eq!((method.as_str(), uri.as_str()), ("update", "/ping"));
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(90) && elapsed < Duration::from_secs(91),
        "{elapsed:?}"
    );
    assert_eq!(
        emulator.request_count("/encryption/api/v1/kms/messages") - posts,
        4
    );

    // Once KMS answers again, the same context works.
    emulator.clear_faults();
    let pong = kms
        .request(json!({"method": "update", "uri": "/ping"}))
        .await
        .unwrap();
    assert_eq!(pong["status"], 200);
    let _: Value = pong;
}
