//! ROAP messages and their wrappers, against the wire's JSON.

use serde_json::json;

use crate::roap::*;

#[test]
fn the_client_offer_is_exactly_the_wire_shape() {
    let offer = RoapMessage::offer(1, "v=0\r\n");
    assert_eq!(
        offer.to_value(),
        json!({"messageType": "OFFER", "version": "2", "seq": 1, "sdps": ["v=0\r\n"],
               "tieBreaker": 4_294_967_294_u32,
               "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"]})
    );
}

#[test]
fn the_other_client_messages_are_exactly_the_wire_shape() {
    assert_eq!(
        RoapMessage::answer(5, "v=0\r\n").to_value(),
        json!({"messageType": "ANSWER", "version": "2", "seq": 5, "sdps": ["v=0\r\n"]})
    );
    assert_eq!(
        RoapMessage::ok(1).to_value(),
        json!({"messageType": "OK", "version": "2", "seq": 1})
    );
    assert_eq!(
        RoapMessage::error(3, ErrorType::Conflict).to_value(),
        json!({"messageType": "ERROR", "version": "2", "seq": 3, "errorType": "CONFLICT"})
    );
    assert_eq!(
        RoapMessage::turn_discovery_request().to_value(),
        json!({"messageType": "TURN_DISCOVERY_REQUEST", "version": "2", "seq": 0,
               "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"]})
    );
}

#[test]
fn seq_is_read_as_a_number_or_a_string() {
    let text = r#"{"messageType":"ANSWER","version":"2","seq":"7","sdps":["v=0"]}"#;
    assert_eq!(RoapMessage::from_json(text).map(|m| m.seq), Ok(7));
    let text = r#"{"messageType":"OK","seq":7}"#;
    assert_eq!(RoapMessage::from_json(text).map(|m| m.seq), Ok(7));
    for bad in [r#""-1""#, "-1", "1.5", r#""one""#, "null", "[]"] {
        let text = format!(r#"{{"messageType":"OK","seq":{bad}}}"#);
        assert!(
            matches!(RoapMessage::from_json(&text), Err(RoapParseError::Json(_))),
            "{bad}"
        );
    }
}

#[test]
fn every_error_type_reads_and_unknown_ones_are_kept() {
    for name in [
        "DOUBLECONFLICT",
        "CONFLICT",
        "FAILED",
        "INVALID_STATE",
        "NOMATCH",
        "OUT_OF_ORDER",
        "REFUSED",
        "RETRY",
        "TIMEOUT",
        "SOMETHING_NEW",
    ] {
        let text = format!(r#"{{"messageType":"ERROR","seq":1,"errorType":"{name}"}}"#);
        let message = RoapMessage::from_json(&text).expect("an error message");
        let error_type = message.error_type.expect("errorType");
        assert_eq!(error_type.as_str(), name);
        assert_eq!(
            error_type == ErrorType::Other(name.into()),
            name == "SOMETHING_NEW"
        );
    }
}

#[test]
fn malformed_messages_are_typed_errors() {
    assert!(matches!(
        RoapMessage::from_json("{"),
        Err(RoapParseError::Json(_))
    ));
    assert!(matches!(
        RoapMessage::from_json(r#"{"messageType":"HELLO","seq":1}"#),
        Err(RoapParseError::Json(_))
    ));
    assert!(matches!(
        RoapMessage::from_json(r#"{"messageType":"OK"}"#),
        Err(RoapParseError::Json(_))
    ));
    assert_eq!(
        RoapMessage::from_json(r#"{"messageType":"OK","version":"1","seq":1}"#),
        Err(RoapParseError::UnsupportedVersion("1".into()))
    );
}

#[test]
fn only_the_first_sdp_is_used_and_an_empty_list_is_none() {
    let text = r#"{"messageType":"ANSWER","seq":1,"sdps":["a","b"]}"#;
    assert_eq!(
        RoapMessage::from_json(text).expect("answer").sdp.as_deref(),
        Some("a")
    );
    let text = r#"{"messageType":"ANSWER","seq":1,"sdps":[]}"#;
    assert_eq!(RoapMessage::from_json(text).expect("answer").sdp, None);
}

#[test]
fn local_sdp_is_a_json_string_with_mute_state_and_the_message() {
    let mut local = LocalSdp::roap(RoapMessage::ok(2), true, false);
    local.reachability = Some(json!({"cluster": {"udp": {"result": "reachable"}}}));
    let text = local.to_json_string();
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        value,
        json!({"audioMuted": true, "videoMuted": false,
               "roapMessage": {"messageType": "OK", "version": "2", "seq": 2},
               "reachability": {"cluster": {"udp": {"result": "reachable"}}}})
    );
    assert_eq!(LocalSdp::parse(&text), Ok(local));
    let mute_only = r#"{"audioMuted":false,"videoMuted":true}"#;
    assert_eq!(LocalSdp::parse(mute_only).map(|l| l.roap_message), Ok(None));
    let bad_version = r#"{"audioMuted":false,"videoMuted":true,"roapMessage":{"messageType":"OK","version":"3","seq":1}}"#;
    assert_eq!(
        LocalSdp::parse(bad_version),
        Err(RoapParseError::UnsupportedVersion("3".into()))
    );
}

#[test]
fn remote_sdp_carries_the_servers_message() {
    let text = r#"{"roapMessage":{"messageType":"TURN_DISCOVERY_RESPONSE","seq":"0","headers":["x-cisco-turn-url=turns:turn.example:443?transport=tcp","x-cisco-turn-username=u","x-cisco-turn-password=p","noOkInTransaction"]}}"#;
    let remote = RemoteSdp::parse(text).expect("remoteSdp");
    assert_eq!(
        remote.roap_message.message_type,
        MessageType::TurnDiscoveryResponse
    );
    assert_eq!(remote.roap_message.seq, 0);
    assert!(remote.roap_message.has_header(HEADER_NO_OK));
    assert_eq!(RemoteSdp::parse(&remote.to_json_string()), Ok(remote));
    assert_eq!(RemoteSdp::parse("{}"), Err(RoapParseError::NoRoapMessage));
    assert!(matches!(
        RemoteSdp::parse("[1]"),
        Err(RoapParseError::Json(_))
    ));
}

#[test]
fn a_mercury_roap_event_names_its_meeting() {
    let data = json!({"eventType": "locus.message.roap", "correlationId": "c-1",
                      "message": {"messageType": "OK", "version": "2", "seq": "3"}});
    assert_eq!(
        RoapEvent::from_data(&data),
        Ok(Some(RoapEvent {
            correlation_id: "c-1".into(),
            message: RoapMessage::ok(3)
        }))
    );
    let other = json!({"eventType": "locus.difference"});
    assert_eq!(RoapEvent::from_data(&other), Ok(None));
    let anonymous = json!({"eventType": "locus.message.roap", "message": {}});
    assert!(matches!(
        RoapEvent::from_data(&anonymous),
        Err(RoapParseError::Json(_))
    ));
}
