//! Webhook deliveries: `X-Spark-Signature` verification (fail closed) and typed events.

use http::{HeaderMap, HeaderValue};
use serde_json::json;
use webex_messages::webhook::{
    SIGNATURE_HEADER, WebhookData, WebhookError, WebhookSecret, WebhookVerifier, parse_event, sign,
    verify_signature,
};
use webex_messages::webhooks::{WebhookEventType, WebhookResource};

const SECRET: &str = "a webhook secret";

fn body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "d2ViaG9vaw",
        "name": "My webhook",
        "targetUrl": "https://example.com/hook",
        "resource": "messages",
        "event": "created",
        "filter": "roomId=r1",
        "orgId": "o1",
        "createdBy": "p1",
        "appId": "a1",
        "ownedBy": "creator",
        "status": "active",
        "created": "2024-10-23T10:00:00.000Z",
        "actorId": "p2",
        "data": {
            "id": "m1",
            "roomId": "r1",
            "roomType": "group",
            "personId": "p2",
            "personEmail": "alice@example.com",
            "created": "2024-10-23T10:00:01.000Z"
        }
    }))
    .unwrap()
}

fn signed(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
    headers
}

#[test]
fn a_correct_signature_verifies_and_the_event_is_typed() {
    let body = body();
    let secret = WebhookSecret::new(SECRET);
    let headers = signed(&sign(&secret, &body));
    verify_signature(&secret, &headers, &body).unwrap();
    let event = parse_event(&secret, &headers, &body).unwrap();
    assert_eq!(event.resource, WebhookResource::Messages);
    assert_eq!(event.event, WebhookEventType::Created);
    assert_eq!(event.actor_id.as_str(), "p2");
    assert_eq!(
        event.extra["appId"], "a1",
        "unmodelled envelope fields are kept"
    );
    let WebhookData::Message(message) = event.data else {
        panic!("a message event: {:?}", event.data);
    };
    assert_eq!(message.id.as_str(), "m1");
    assert_eq!(message.person_email, "alice@example.com");
}

#[test]
fn upper_case_hex_is_accepted() {
    let body = body();
    let secret = WebhookSecret::new(SECRET);
    let headers = signed(&sign(&secret, &body).to_uppercase());
    assert_eq!(verify_signature(&secret, &headers, &body), Ok(()));
}

#[test]
fn a_wrong_signature_is_rejected() {
    let body = body();
    let verifier = WebhookVerifier::new(SECRET);
    let wrong = signed(&sign(&WebhookSecret::new("another secret"), &body));
    assert_eq!(
        verifier.verify(&wrong, &body),
        Err(WebhookError::SignatureMismatch)
    );
    // The right signature for a different body.
    let mut tampered = body.clone();
    tampered.push(b' ');
    let headers = signed(&sign(&WebhookSecret::new(SECRET), &body));
    assert_eq!(
        verifier.verify_and_parse(&headers, &tampered),
        Err(WebhookError::SignatureMismatch)
    );
    // One digit off.
    let mut digits = sign(&WebhookSecret::new(SECRET), &body).into_bytes();
    digits[0] = if digits[0] == b'0' { b'1' } else { b'0' };
    let off = String::from_utf8(digits).unwrap();
    assert_eq!(
        verifier.verify(&signed(&off), &body),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_missing_signature_is_rejected() {
    let verifier = WebhookVerifier::new(SECRET);
    let err = verifier
        .verify_and_parse(&HeaderMap::new(), &body())
        .unwrap_err();
    assert_eq!(err, WebhookError::MissingSignature);
    assert!(err.is_unauthenticated());
}

#[test]
fn a_malformed_signature_is_rejected() {
    let verifier = WebhookVerifier::new(SECRET);
    let body = body();
    let full = sign(&WebhookSecret::new(SECRET), &body);
    for bad in [
        "not hex at all",
        "abc",
        "",
        &full[..20],
        &format!("{full}00"),
    ] {
        assert_eq!(
            verifier.verify(&signed(bad), &body),
            Err(WebhookError::MalformedSignature),
            "{bad:?}"
        );
    }
    let mut two = signed(&sign(&WebhookSecret::new(SECRET), &body));
    two.append(SIGNATURE_HEADER, HeaderValue::from_static("00"));
    assert_eq!(
        verifier.verify(&two, &body),
        Err(WebhookError::MalformedSignature)
    );
}

#[test]
fn an_empty_secret_fails_closed() {
    let body = body();
    let empty = WebhookSecret::new("");
    let headers = signed(&sign(&empty, &body));
    assert_eq!(
        verify_signature(&empty, &headers, &body),
        Err(WebhookError::EmptySecret)
    );
}

#[test]
fn an_authentic_body_that_is_not_an_event_is_invalid_body() {
    let secret = WebhookSecret::new(SECRET);
    let body = b"[1, 2]";
    let err = parse_event(&secret, &signed(&sign(&secret, body)), body).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody(_)), "{err:?}");
    assert!(!err.is_unauthenticated());
}

#[test]
fn unknown_resources_and_events_are_kept() {
    let secret = WebhookSecret::new(SECRET);
    let mut envelope: serde_json::Value = serde_json::from_slice(&body()).unwrap();
    envelope["resource"] = json!("callRecordings");
    envelope["event"] = json!("transcribed");
    envelope["data"] = json!({"id": "x", "duration": 5});
    let body = serde_json::to_vec(&envelope).unwrap();
    let event = parse_event(&secret, &signed(&sign(&secret, &body)), &body).unwrap();
    assert_eq!(
        event.resource,
        WebhookResource::Unknown("callRecordings".into())
    );
    assert_eq!(event.event, WebhookEventType::Unknown("transcribed".into()));
    assert_eq!(
        event.data,
        WebhookData::Other(json!({"id": "x", "duration": 5}))
    );
}

#[test]
fn the_secret_never_shows_in_debug_output() {
    let verifier = WebhookVerifier::new("hunter2-very-secret");
    assert!(!format!("{verifier:?}").contains("hunter2"));
}

#[test]
fn a_delivery_without_an_envelope_field_webex_always_sends_is_invalid_body() {
    let secret = WebhookSecret::new(SECRET);
    let mut envelope: serde_json::Value = serde_json::from_slice(&body()).unwrap();
    envelope.as_object_mut().unwrap().remove("actorId");
    let body = serde_json::to_vec(&envelope).unwrap();
    let err = parse_event(&secret, &signed(&sign(&secret, &body)), &body).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody(_)), "{err:?}");
    assert!(err.to_string().contains("missing field `actorId`"), "{err}");
}
