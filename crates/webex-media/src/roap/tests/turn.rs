//! TURN discovery: where the response comes from, its headers, the OK, and the 10 s wait.

use std::time::{Duration, Instant};

use crate::roap::*;

fn response(headers: &[&str]) -> RoapMessage {
    let mut response = RoapMessage::new(MessageType::TurnDiscoveryResponse, 0);
    response.headers = headers.iter().map(|h| (*h).to_owned()).collect();
    response
}

const URL: &str = "x-cisco-turn-url=turns:turn.example:443?transport=tcp";
const USER: &str = "x-cisco-turn-username=alice";
const PASSWORD: &str = "x-cisco-turn-password=s3cret";

fn drain(discovery: &mut TurnDiscovery) -> Vec<TurnOutput> {
    std::iter::from_fn(|| discovery.poll_output()).collect()
}

fn found() -> TurnInfo {
    TurnInfo {
        url: "turns:turn.example:443?transport=tcp".into(),
        username: "alice".into(),
        password: "s3cret".into(),
    }
}

#[test]
fn the_request_is_seq_0_with_both_headers() {
    let mut discovery = TurnDiscovery::new();
    let request = discovery.request();
    assert_eq!(request, RoapMessage::turn_discovery_request());
    assert_eq!(request.seq, 0);
    assert_eq!(discovery.state(), TurnState::AwaitingHttpResponse);
}

#[test]
fn a_response_in_the_http_answer_is_acknowledged_unless_no_ok() {
    let now = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_http_response(Some(response(&[URL, USER, PASSWORD])), now);
    assert_eq!(
        drain(&mut discovery),
        [
            TurnOutput::Send(RoapMessage::ok(0)),
            TurnOutput::Finished(Ok(found()))
        ]
    );
    assert_eq!(discovery.state(), TurnState::Finished);

    let mut quiet = TurnDiscovery::new();
    quiet.request();
    quiet.handle_http_response(Some(response(&[URL, USER, PASSWORD, HEADER_NO_OK])), now);
    assert_eq!(drain(&mut quiet), [TurnOutput::Finished(Ok(found()))]);
}

#[test]
fn empty_values_mean_no_turn_server() {
    let now = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    let empty = [
        "x-cisco-turn-url=",
        "x-cisco-turn-username=",
        "x-cisco-turn-password=",
        HEADER_NO_OK,
    ];
    discovery.handle_http_response(Some(response(&empty)), now);
    let out = drain(&mut discovery);
    let [TurnOutput::Finished(Ok(info))] = out.as_slice() else {
        panic!("expected a result, got {out:?}");
    };
    assert!(!info.has_server());
    assert!(info.ice_server_urls().is_empty());
}

#[test]
fn a_missing_header_ends_discovery_without_turn_and_without_ok() {
    let now = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_http_response(Some(response(&[URL, PASSWORD])), now);
    assert_eq!(
        drain(&mut discovery),
        [TurnOutput::Finished(Err(TurnDiscoveryError::Malformed(
            RoapParseError::MissingTurnHeader("x-cisco-turn-username")
        )))]
    );
}

#[test]
fn a_roap_error_ends_discovery_without_turn() {
    let now = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_http_response(Some(RoapMessage::error(0, ErrorType::Failed)), now);
    assert_eq!(
        drain(&mut discovery),
        [TurnOutput::Finished(Err(TurnDiscoveryError::Remote(
            "FAILED".into()
        )))]
    );
}

#[test]
fn without_an_http_answer_mercury_is_awaited_for_10_seconds() {
    let start = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_http_response(None, start);
    assert_eq!(discovery.state(), TurnState::AwaitingMercury);
    assert_eq!(discovery.poll_timeout(), Some(start + TURN_RESPONSE_WAIT));
    assert!(!discovery.handle_mercury(&RoapMessage::answer(1, "v=0")));
    discovery.handle_timeout(start + Duration::from_secs(9));
    assert_eq!(drain(&mut discovery), []);
    assert!(discovery.handle_mercury(&response(&[URL, USER, PASSWORD])));
    assert_eq!(
        drain(&mut discovery),
        [
            TurnOutput::Send(RoapMessage::ok(0)),
            TurnOutput::Finished(Ok(found()))
        ]
    );
    assert_eq!(discovery.poll_timeout(), None);
}

#[test]
fn no_answer_at_all_times_out_after_10_seconds() {
    let start = Instant::now();
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_http_response(None, start);
    discovery.handle_timeout(start + TURN_RESPONSE_WAIT);
    assert_eq!(
        drain(&mut discovery),
        [TurnOutput::Finished(Err(TurnDiscoveryError::Timeout))]
    );
    // A late response is not for discovery anymore.
    assert!(!discovery.handle_mercury(&response(&[URL, USER, PASSWORD])));
}

#[test]
fn a_join_response_without_the_answer_is_not_waited_for() {
    let mut discovery = TurnDiscovery::new();
    discovery.request();
    discovery.handle_join_response(None);
    assert_eq!(
        drain(&mut discovery),
        [TurnOutput::Finished(Err(
            TurnDiscoveryError::NotInJoinResponse
        ))]
    );
    assert_eq!(discovery.poll_timeout(), None);
}

#[test]
fn ice_servers_are_the_derived_udp_one_then_the_tls_one() {
    assert_eq!(
        found().ice_server_urls(),
        [
            "turn:turn.example:5004?transport=tcp",
            "turns:turn.example:443?transport=tcp"
        ]
    );
    let tricky = TurnInfo {
        url: "turns:edge443.example:443?transport=tcp".into(),
        ..found()
    };
    assert_eq!(
        tricky.ice_server_urls()[0],
        "turn:edge443.example:5004?transport=tcp",
        "only the port changes"
    );
}

#[test]
fn the_password_never_shows_in_debug() {
    let debug = format!("{:?}", found());
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("alice"));
}
