//! The protocol core under simulated time.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::*;

pub(super) const READY_FRAME: &str =
    r#"{"id":"r1","data":{"eventType":"mercury.buffer_state"},"sequenceNumber":1}"#;

pub(super) fn drain(c: &mut Connection) -> Vec<Output> {
    std::iter::from_fn(|| c.poll_output()).collect()
}

pub(super) fn sent(outputs: &[Output]) -> Vec<Value> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send(frame) => Some(serde_json::from_str(frame.text()).unwrap()),
            _ => None,
        })
        .collect()
}

pub(super) fn states(outputs: &[Output]) -> Vec<ConnectionState> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::State(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Asserts that `out` starts with the client's close `code`/`reason` and reports `state`.
pub(super) fn assert_client_close(out: &[Output], code: u16, reason: &str, state: ConnectionState) {
    assert_eq!(
        out[0],
        Output::Close {
            code,
            reason: reason.into()
        }
    );
    assert_eq!(states(out), vec![state]);
}

pub(super) fn config() -> Config {
    Config::default().with_jitter_seed(7)
}

/// A connection that is open and ready at `t0`; returns the outstanding ping id.
pub(super) fn open(c: &mut Connection, t0: Instant) -> String {
    c.connect(t0);
    assert_eq!(
        drain(c),
        vec![Output::State(ConnectionState::Connecting), Output::Dial]
    );
    c.handle_opened(t0, "Bearer secret-token", "webex-rs_x_1");
    drain(c);
    c.handle_text(t0, READY_FRAME);
    let out = drain(c);
    sent(&out).last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Answers every ping of an open connection until `now + span`; returns the end time.
pub(super) fn keep_alive(c: &mut Connection, from: Instant, span: Duration) -> Instant {
    let end = from + span;
    let mut now = from;
    loop {
        for frame in sent(&drain(c)) {
            if frame["type"] == "ping" {
                let pong = json!({"id": frame["id"], "type": "pong"}).to_string();
                c.handle_text(now, &pong);
            }
        }
        match c.poll_timeout() {
            Some(at) if at <= end => {
                now = at;
                c.handle_timeout(now);
            }
            _ => {
                drain(c);
                return end;
            }
        }
    }
}

#[test]
fn authorization_is_the_first_frame_and_its_token_is_redacted() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    drain(&mut c);
    c.handle_opened(t0, "Bearer secret-token", "webex-rs_x_1");
    let out = drain(&mut c);
    assert_eq!(out.len(), 1);
    let auth = &sent(&out)[0];
    assert_eq!(auth["type"], "authorization");
    assert_eq!(auth["data"]["token"], "Bearer secret-token");
    assert_eq!(auth["trackingId"], "webex-rs_x_1");
    assert!(auth["id"].as_str().is_some());
    let shown = format!("{out:?}");
    assert!(!shown.contains("secret-token"), "{shown}");
    assert!(!c.is_connected());
}

#[test]
fn ready_only_on_buffer_state_then_ack_and_ping() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    c.handle_opened(t0, "Bearer t", "T");
    drain(&mut c);
    // Something else first: acked, ignored, still not ready.
    c.handle_text(
        t0,
        r#"{"id":"x1","data":{"eventType":"status.start_typing"}}"#,
    );
    let out = drain(&mut c);
    assert_eq!(sent(&out), vec![json!({"messageId": "x1", "type": "ack"})]);
    assert!(out.contains(&Output::Warn(Warning::UnexpectedBeforeReady)));
    assert!(!c.is_connected());

    c.handle_text(t0, READY_FRAME);
    let out = drain(&mut c);
    assert!(c.is_connected());
    let frames = sent(&out);
    assert_eq!(frames[0], json!({"messageId": "r1", "type": "ack"}));
    assert_eq!(frames[1]["type"], "ping");
    assert_eq!(states(&out), vec![ConnectionState::Connected]);
    assert!(
        out.iter()
            .any(|o| matches!(o, Output::Event(e) if e.event_type() == "mercury.buffer_state"))
    );
    // The pong deadline is the next timer.
    assert_eq!(c.poll_timeout(), Some(t0 + Duration::from_secs(14)));
}

/// The ack follows the event, so the driver sends it only once the event was handed to
/// every subscriber (backpressure: what the client could not take is not acked).
#[test]
fn every_event_with_an_id_is_acked_right_after_it_is_emitted() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.handle_text(
        t0,
        r#"{"id":"e2","sequenceNumber":2,"data":{"eventType":"conversation.activity","activity":{"id":"a","verb":"post"}}}"#,
    );
    let out = drain(&mut c);
    assert_eq!(out.len(), 2);
    assert!(
        matches!(&out[0], Output::Event(MercuryEvent::Activity(a)) if a.activity.verb == "post")
    );
    assert_eq!(sent(&out)[0], json!({"messageId": "e2", "type": "ack"}));
    assert!(matches!(&out[1], Output::Send(_)));
    // Without an id: no ack, still emitted.
    c.handle_text(t0, r#"{"sequenceNumber":3,"data":{"eventType":"x.y"}}"#);
    let out = drain(&mut c);
    assert!(sent(&out).is_empty());
    assert!(matches!(&out[0], Output::Event(MercuryEvent::Other(e)) if e.event_type == "x.y"));
}

#[test]
fn malformed_frames_never_panic_and_are_reported() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    for bad in [
        "",
        "{",
        "[1,2]",
        "null",
        "\"s\"",
        r#"{"id":5}"#,
        r#"{"data":[]}"#,
    ] {
        c.handle_text(t0, bad);
        let out = drain(&mut c);
        assert!(
            out.iter().all(|o| matches!(o, Output::Warn(_))),
            "{bad}: {out:?}"
        );
        assert!(!out.is_empty(), "{bad}");
    }
    assert!(c.is_connected());
}

#[test]
fn sequence_gaps_are_reported() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.handle_text(t0, r#"{"sequenceNumber":5,"data":{"eventType":"a.b"}}"#);
    let out = drain(&mut c);
    assert!(out.contains(&Output::Warn(Warning::SequenceMismatch {
        expected: 2,
        actual: 5
    })));
}

#[test]
fn pong_then_ping_after_the_interval() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    let ping = open(&mut c, t0);
    let t1 = t0 + Duration::from_secs(1);
    c.handle_text(t1, &json!({"id": ping, "type": "pong"}).to_string());
    let out = drain(&mut c);
    // The pong is acked too.
    assert_eq!(sent(&out), vec![json!({"messageId": ping, "type": "ack"})]);
    assert_eq!(c.poll_timeout(), Some(t1 + Duration::from_secs(15)));
    c.handle_timeout(t1 + Duration::from_secs(14));
    assert!(drain(&mut c).is_empty());
    c.handle_timeout(t1 + Duration::from_secs(15));
    let out = drain(&mut c);
    let frames = sent(&out);
    assert_eq!(frames[0]["type"], "ping");
    assert_ne!(frames[0]["id"], json!(ping));
}

#[test]
fn no_pong_in_time_closes_and_reconnects_at_once() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    let t1 = t0 + Duration::from_secs(14);
    c.handle_timeout(t1);
    let out = drain(&mut c);
    assert_client_close(
        &out,
        1000,
        "Pong not received",
        ConnectionState::Reconnecting { failures: 0 },
    );
    // A drop after readiness reconnects immediately.
    assert_eq!(c.poll_timeout(), Some(t1));
    c.handle_timeout(t1);
    assert_eq!(drain(&mut c), vec![Output::Dial]);
}

#[test]
fn a_mismatched_pong_closes_and_reconnects() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.handle_text(t0, r#"{"id":"other","type":"pong"}"#);
    let out = drain(&mut c);
    assert!(out.contains(&Output::Close {
        code: 1000,
        reason: "Pong mismatch".into()
    }));
    assert!(!c.is_connected());
}

#[test]
fn backoff_doubles_within_jitter_bounds_and_is_capped() {
    let cfg = config();
    let expected = [0u64, 1, 2, 4, 8, 16, 32, 32, 32];
    for (n, secs) in expected.iter().enumerate() {
        assert_eq!(
            cfg.backoff(u32::try_from(n).unwrap()),
            Duration::from_secs(*secs)
        );
    }
    assert_eq!(cfg.backoff(u32::MAX), Duration::from_secs(32));

    let t0 = Instant::now();
    let mut c = Connection::new(cfg.clone());
    c.connect(t0);
    drain(&mut c);
    let mut now = t0;
    for failures in 1..=10u32 {
        c.handle_dial_failed(now, "refused");
        let out = drain(&mut c);
        assert_eq!(
            states(&out),
            vec![ConnectionState::Reconnecting { failures }]
        );
        let wait = c.poll_timeout().unwrap() - now;
        let full = cfg.backoff(failures);
        assert!(wait >= full / 2 && wait <= full, "{failures}: {wait:?}");
        now += wait;
        c.handle_timeout(now);
        assert_eq!(drain(&mut c), vec![Output::Dial]);
    }
}

#[test]
fn retries_stop_at_max_retries() {
    let t0 = Instant::now();
    let mut c = Connection::new(config().with_max_retries(Some(1)));
    c.connect(t0);
    drain(&mut c);
    c.handle_dial_failed(t0, "refused");
    drain(&mut c);
    let t1 = c.poll_timeout().unwrap();
    c.handle_timeout(t1);
    drain(&mut c);
    c.handle_opened(t1, "Bearer t", "T");
    c.handle_close(t1, 1006, "");
    let out = drain(&mut c);
    assert!(matches!(
        states(&out).as_slice(),
        [ConnectionState::Failed(MercuryError::RetriesExhausted {
            attempts: 2,
            ..
        })]
    ));
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn a_4401_refreshes_the_token_once() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    c.handle_opened(t0, "Bearer old", "T");
    drain(&mut c);
    c.handle_close(t0, 4401, "Unauthorized");
    let out = drain(&mut c);
    assert_eq!(out[0], Output::RefreshToken);
    let t1 = c.poll_timeout().unwrap();
    c.handle_timeout(t1);
    assert_eq!(drain(&mut c), vec![Output::Dial]);
    c.handle_opened(t1, "Bearer new", "T");
    drain(&mut c);
    c.handle_close(t1, 4401, "Unauthorized");
    let out = drain(&mut c);
    assert!(!out.contains(&Output::RefreshToken));
    assert!(matches!(
        states(&out).as_slice(),
        [ConnectionState::Failed(MercuryError::NotAuthorized { .. })]
    ));
}

#[test]
fn handshake_close_codes() {
    for (code, fatal) in [(4400, true), (4403, true), (1006, false), (1000, false)] {
        let t0 = Instant::now();
        let mut c = Connection::new(config());
        c.connect(t0);
        c.handle_opened(t0, "Bearer t", "T");
        drain(&mut c);
        c.handle_close(t0, code, "x");
        let st = states(&drain(&mut c));
        assert_eq!(
            matches!(st.as_slice(), [ConnectionState::Failed(_)]),
            fatal,
            "{code}: {st:?}"
        );
    }
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    drain(&mut c);
    c.handle_close(t0, 4404, "no such registration");
    assert_eq!(drain(&mut c)[0], Output::RefreshDevice);
}

#[test]
fn close_policy_after_readiness() {
    use CloseAction::*;
    let open = |code, reason| classify_close(code, reason, false);
    assert_eq!(open(1000, "Pong not received"), Retry);
    assert_eq!(open(1000, "idle"), Retry);
    assert!(matches!(
        open(1000, "Done"),
        Fatal(MercuryError::Closed { code: 1000, .. })
    ));
    assert_eq!(open(1001, ""), Retry);
    assert_eq!(open(1006, ""), Retry);
    assert_eq!(open(1011, ""), Retry);
    assert_eq!(open(1005, ""), RefreshDevice);
    assert_eq!(open(4000, "replaced"), Fatal(MercuryError::Replaced));
    assert_eq!(open(4000, "other"), Retry);
    assert!(matches!(open(1003, ""), Fatal(_)));
    assert!(matches!(open(1008, ""), Fatal(_)));
    assert_eq!(open(4401, ""), RefreshToken);
    assert!(matches!(
        classify_close(4400, "", true),
        Fatal(MercuryError::BadRequest { .. })
    ));
    assert!(matches!(
        classify_close(4403, "", true),
        Fatal(MercuryError::Forbidden { .. })
    ));
    assert_eq!(classify_close(1008, "", true), Retry);
}

#[test]
fn a_server_close_while_open_reconnects_and_resets_backoff() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    // Open long enough to count as healthy (`healthy_after`), answering pings.
    let t1 = keep_alive(&mut c, t0, Duration::from_secs(10));
    c.handle_close(t1, 1001, "going away");
    let out = drain(&mut c);
    assert_eq!(
        states(&out),
        vec![ConnectionState::Reconnecting { failures: 0 }]
    );
    c.handle_timeout(t1);
    assert_eq!(drain(&mut c), vec![Output::Dial]);
    c.handle_opened(t1, "Bearer t", "T");
    c.handle_text(t1, READY_FRAME);
    assert!(c.is_connected());
}

#[test]
fn disconnect_closes_with_done_and_stops() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.disconnect(t0);
    let out = drain(&mut c);
    assert_eq!(
        out,
        vec![
            Output::Close {
                code: 1000,
                reason: "Done".into()
            },
            Output::State(ConnectionState::Disconnected)
        ]
    );
    assert_eq!(c.poll_timeout(), None);
    // Late frames and closes change nothing.
    c.handle_text(t0, READY_FRAME);
    c.handle_close(t0, 1006, "");
    assert!(drain(&mut c).is_empty());
    // And it can connect again.
    c.connect(t0);
    assert_eq!(drain(&mut c)[1], Output::Dial);
}
