//! Arbitrary input never panics the readers, and what the client builds reads back the same.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::roap::*;

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "OFFER", "ANSWER", "OK", "ERROR", "2", "seq", "sdps", "RETRY", "0"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "messageType",
                    "version",
                    "seq",
                    "sdps",
                    "tieBreaker",
                    "errorType",
                    "errorCause",
                    "headers",
                    "roapMessage",
                    "audioMuted",
                    "videoMuted",
                    "retryAfter"
                ])
                .prop_map(str::to_owned),
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn message_type() -> impl Strategy<Value = MessageType> {
    prop::sample::select(vec![
        MessageType::Offer,
        MessageType::Answer,
        MessageType::Ok,
        MessageType::Error,
        MessageType::OfferRequest,
        MessageType::OfferResponse,
        MessageType::TurnDiscoveryRequest,
        MessageType::TurnDiscoveryResponse,
    ])
}

fn message() -> impl Strategy<Value = RoapMessage> {
    (
        message_type(),
        any::<u64>(),
        proptest::option::of("\\PC{0,40}"),
        proptest::option::of(any::<u32>()),
        proptest::option::of("[A-Z_]{1,14}".prop_map(ErrorType::from)),
        prop::collection::vec("\\PC{0,20}", 0..4),
    )
        .prop_map(
            |(message_type, seq, sdp, tie_breaker, error_type, headers)| {
                let mut message = RoapMessage::new(message_type, seq);
                message.sdp = sdp;
                message.tie_breaker = tie_breaker;
                message.error_type = error_type;
                message.headers = headers;
                message
            },
        )
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        let text = value.to_string();
        let _ = RoapMessage::from_json(&text);
        let _ = RoapMessage::from_value(value.clone());
        let _ = LocalSdp::parse(&text);
        let _ = RemoteSdp::parse(&text);
        let _ = RoapEvent::from_data(&value);
        let event = json!({"eventType": ROAP_EVENT_TYPE, "correlationId": "c", "message": value});
        let _ = RoapEvent::from_data(&event);
        let wrapped = json!({"roapMessage": value}).to_string();
        if let Ok(remote) = RemoteSdp::parse(&wrapped) {
            let _ = TurnInfo::from_message(&remote.roap_message);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = RoapMessage::from_json(&text);
        let _ = LocalSdp::parse(&text);
        let _ = RemoteSdp::parse(&text);
    }

    #[test]
    fn messages_round_trip(message in message()) {
        let text = message.to_value().to_string();
        prop_assert_eq!(RoapMessage::from_json(&text), Ok(message.clone()));
        let remote = RemoteSdp { roap_message: message.clone() };
        prop_assert_eq!(RemoteSdp::parse(&remote.to_json_string()), Ok(remote));
        let local = LocalSdp::roap(message, false, true);
        prop_assert_eq!(LocalSdp::parse(&local.to_json_string()), Ok(local));
    }

    #[test]
    fn the_machine_never_panics_on_any_remote_sequence(
        steps in prop::collection::vec((message(), 0u8..6), 0..30)
    ) {
        let now = std::time::Instant::now();
        let mut machine = RoapMachine::new(3);
        for (message, local) in steps {
            match local {
                0 => { let _ = machine.initiate_offer(now); }
                1 => { let _ = machine.local_offer_ready("v=0".into()); }
                2 => { let _ = machine.remote_answer_applied(now); }
                3 => { let _ = machine.local_answer_ready("v=0".into()); }
                _ => machine.handle_remote(message, now),
            }
            while machine.poll_output().is_some() {}
        }
    }
}
