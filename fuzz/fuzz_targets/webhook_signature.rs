//! Webhook signatures: verification never panics, accepts exactly the signature Webex would
//! send for the body (in either hex case), and refuses any other header value.

#![no_main]

use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use webex_messages::webhook::{WebhookError, WebhookSecret, sign, verify_signature};

const HEADER: &str = "x-spark-signature";

fuzz_target!(|data: &[u8]| {
    // secret \0 signature \0 body; a missing part is empty.
    let mut parts = data.splitn(3, |byte| *byte == 0);
    let secret = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let claimed = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let secret = WebhookSecret::from(secret);

    let mut headers = HeaderMap::new();
    let claimed_value = HeaderValue::from_bytes(claimed).ok();
    if let Some(value) = &claimed_value {
        headers.insert(HEADER, value.clone());
    }
    let result = verify_signature(&secret, &headers, body);
    if secret.expose().is_empty() {
        assert!(matches!(result, Err(WebhookError::EmptySecret)));
        return;
    }
    let genuine = sign(&secret, body);
    let claimed_is_genuine = claimed_value
        .as_ref()
        .and_then(|value| value.to_str().ok())
        .is_some_and(|text| text.trim().eq_ignore_ascii_case(&genuine));
    assert_eq!(result.is_ok(), claimed_is_genuine, "{result:?}");

    // The genuine signature passes in either case; flipping any bit of it fails.
    for text in [genuine.clone(), genuine.to_ascii_uppercase()] {
        let mut headers = HeaderMap::new();
        headers.insert(HEADER, HeaderValue::from_str(&text).expect("hex"));
        assert!(verify_signature(&secret, &headers, body).is_ok());
    }
    let bit = body.len() % (genuine.len() * 8);
    let mut raw = hex::decode(&genuine).expect("hex");
    let byte = bit / 8 % raw.len();
    raw[byte] ^= 1 << (bit % 8);
    let mut headers = HeaderMap::new();
    headers.insert(
        HEADER,
        HeaderValue::from_str(&hex::encode(raw)).expect("hex"),
    );
    assert!(matches!(
        verify_signature(&secret, &headers, body),
        Err(WebhookError::SignatureMismatch)
    ));
});
