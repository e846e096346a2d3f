//! Property tests (bounded cases) for what this crate parses from servers: Hydra ids and
//! webhook signatures. Each asserts "never panics" and a round trip or invariant.

use http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use webex_messages::id::{self, RoomId};
use webex_messages::webhook::{SIGNATURE_HEADER, WebhookSecret, sign, verify_signature};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

fn signed(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
    headers
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hydra_ids_round_trip(
        cluster in prop_oneof!["[a-z]{1,4}", "urn:TEAM:[a-z0-9-]{1,12}_[a-z]"],
        inner in "[a-zA-Z0-9:/_-]{1,200}",
    ) {
        let room = RoomId::encode(&cluster, &inner);
        let decoded = room.decode().unwrap();
        prop_assert_eq!(&decoded.cluster, &cluster);
        prop_assert_eq!(decoded.kind.as_str(), "ROOM");
        prop_assert_eq!(&decoded.inner, &inner);
        prop_assert_eq!(id::decode(room.as_str()).unwrap(), decoded);
    }

    #[test]
    fn hydra_id_decoding_never_panics(text in ".{0,120}") {
        let _ = id::decode(&text);
        let _ = RoomId::new(text).decode();
    }

    #[test]
    fn a_webhook_signature_round_trips_and_any_mutated_byte_fails(
        secret in "[ -~]{1,40}",
        body in proptest::collection::vec(any::<u8>(), 0..300),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let secret = WebhookSecret::new(secret);
        let signature = sign(&secret, &body);
        prop_assert!(verify_signature(&secret, &signed(&signature), &body).is_ok());
        if !body.is_empty() {
            let mut mutated = body.clone();
            mutated[at.index(body.len())] ^= flip;
            prop_assert!(verify_signature(&secret, &signed(&signature), &mutated).is_err());
        }
        let mut bad = signature.into_bytes();
        let i = at.index(bad.len());
        bad[i] = if bad[i] == b'0' { b'1' } else { b'0' };
        let bad = String::from_utf8(bad).unwrap();
        prop_assert!(verify_signature(&secret, &signed(&bad), &body).is_err());
    }

    #[test]
    fn webhook_verification_never_panics(
        signature in "[ -~]{0,60}",
        body in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        let secret = WebhookSecret::new("s");
        let _ = verify_signature(&secret, &signed(&signature), &body);
    }
}
