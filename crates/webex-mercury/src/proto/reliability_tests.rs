//! The core under faults, with simulated time: every close code's outcome, the ready and pong
//! timeouts, the backoff schedule, redeliveries, oversized frames and hostile numbers.

use std::time::{Duration, Instant};

use serde_json::json;

use super::tests::{
    READY_FRAME, assert_client_close, config, drain, keep_alive, open, sent, states,
};
use super::*;

/// How a connection ends up after a close.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Reconnects after a wait within `[min, max]`, with these refreshes first.
    Retry {
        refresh_token: bool,
        refresh_device: bool,
    },
    /// Stops with this error.
    Fatal(MercuryError),
}

/// Closes an open (ready, `healthy` when open for 10 s) or authorizing connection with
/// `code`/`reason` and reports what follows, checking that a retry dials when its timer
/// fires and not before.
fn outcome(code: u16, reason: &str, ready: bool) -> Outcome {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    let now = if ready {
        open(&mut c, t0);
        keep_alive(&mut c, t0, Duration::from_secs(10))
    } else {
        c.connect(t0);
        c.handle_opened(t0, "Bearer t", "T");
        drain(&mut c);
        t0
    };
    c.handle_close(now, code, reason);
    let out = drain(&mut c);
    match states(&out).as_slice() {
        [ConnectionState::Failed(err)] => {
            assert_eq!(c.poll_timeout(), None, "a stopped connection has no timer");
            Outcome::Fatal(err.clone())
        }
        [ConnectionState::Reconnecting { failures }] => {
            let at = c.poll_timeout().expect("a reconnect timer");
            let wait = at - now;
            let full = config().backoff(*failures);
            assert!(wait >= full / 2 && wait <= full, "{code}: {wait:?}");
            if let Some(before) = at.checked_sub(Duration::from_millis(1))
                && before >= now
            {
                c.handle_timeout(before);
                assert!(drain(&mut c).is_empty(), "{code}: dialled early");
            }
            c.handle_timeout(at);
            assert_eq!(drain(&mut c), vec![Output::Dial], "{code}");
            Outcome::Retry {
                refresh_token: out.contains(&Output::RefreshToken),
                refresh_device: out.contains(&Output::RefreshDevice),
            }
        }
        other => panic!("{code} {reason}: {other:?}"),
    }
}

const RETRY: Outcome = Outcome::Retry {
    refresh_token: false,
    refresh_device: false,
};
const REFRESH_TOKEN: Outcome = Outcome::Retry {
    refresh_token: true,
    refresh_device: false,
};
const REFRESH_DEVICE: Outcome = Outcome::Retry {
    refresh_token: false,
    refresh_device: true,
};

fn closed(code: u16, reason: &str) -> Outcome {
    Outcome::Fatal(MercuryError::Closed {
        code,
        reason: reason.to_owned(),
    })
}

#[test]
fn each_close_code_after_readiness() {
    for (code, reason, expected) in [
        (1000, "Pong not received", RETRY),
        (1000, "idle", RETRY),
        (1000, "Done (forced)", RETRY),
        (1000, "pong mismatch", RETRY),
        (1000, "Done", closed(1000, "Done")),
        (1050, "done (forced)", RETRY),
        (3050, "done (forced)", RETRY),
        (3050, "logout", closed(3050, "logout")),
        (1001, "going away", RETRY),
        (1005, "", REFRESH_DEVICE),
        (1006, "", RETRY),
        (1011, "", RETRY),
        (4000, "replaced", Outcome::Fatal(MercuryError::Replaced)),
        (4000, "other", RETRY),
        (4401, "", REFRESH_TOKEN),
        (4404, "", REFRESH_DEVICE),
        (1003, "x", closed(1003, "x")),
        (1008, "x", closed(1008, "x")),
        (1009, "x", closed(1009, "x")),
        (4001, "x", closed(4001, "x")),
        (
            4400,
            "x",
            Outcome::Fatal(MercuryError::BadRequest { reason: "x".into() }),
        ),
        (
            4403,
            "x",
            Outcome::Fatal(MercuryError::Forbidden { reason: "x".into() }),
        ),
    ] {
        assert_eq!(outcome(code, reason, true), expected, "{code} {reason}");
    }
}

#[test]
fn each_close_code_during_the_handshake() {
    for (code, expected) in [
        (
            4400,
            Outcome::Fatal(MercuryError::BadRequest { reason: "r".into() }),
        ),
        (
            4403,
            Outcome::Fatal(MercuryError::Forbidden { reason: "r".into() }),
        ),
        (4401, REFRESH_TOKEN),
        (4404, REFRESH_DEVICE),
        (1005, REFRESH_DEVICE),
        (1000, RETRY),
        (1006, RETRY),
        (1008, RETRY),
        (1011, RETRY),
        (4000, RETRY),
    ] {
        assert_eq!(outcome(code, "r", false), expected, "{code}");
    }
}

#[test]
fn no_ready_frame_in_time_closes_and_backs_off() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    c.handle_opened(t0, "Bearer t", "T");
    drain(&mut c);
    let deadline = t0 + Duration::from_secs(15);
    assert_eq!(c.poll_timeout(), Some(deadline));
    c.handle_timeout(deadline - Duration::from_millis(1));
    assert!(drain(&mut c).is_empty());
    c.handle_timeout(deadline);
    assert_client_close(
        &drain(&mut c),
        1000,
        "Ready timeout",
        ConnectionState::Reconnecting { failures: 1 },
    );
    let wait = c.poll_timeout().unwrap() - deadline;
    assert!(wait >= Duration::from_millis(500) && wait <= Duration::from_secs(1));
    // A ready frame that arrives after all changes nothing.
    c.handle_text(deadline, READY_FRAME);
    assert!(drain(&mut c).is_empty());
    assert!(!c.is_connected());
}

#[test]
fn a_missing_pong_is_noticed_at_the_pong_timeout_exactly() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    let ping = open(&mut c, t0);
    // A pong for the first ping, then nothing: the next ping goes out 15 s later and its
    // pong is due 14 s after that.
    c.handle_text(t0, &json!({"id": ping, "type": "pong"}).to_string());
    drain(&mut c);
    let ping_at = t0 + Duration::from_secs(15);
    c.handle_timeout(ping_at);
    assert_eq!(sent(&drain(&mut c))[0]["type"], "ping");
    let due = ping_at + Duration::from_secs(14);
    assert_eq!(c.poll_timeout(), Some(due));
    c.handle_timeout(due - Duration::from_millis(1));
    assert!(drain(&mut c).is_empty());
    c.handle_timeout(due);
    // Ready for 29 s: healthy, so the reconnect is immediate.
    assert_client_close(
        &drain(&mut c),
        1000,
        "Pong not received",
        ConnectionState::Reconnecting { failures: 0 },
    );
    assert_eq!(c.poll_timeout(), Some(due));
}

/// The schedule: 1, 2, 4, 8 s (each jittered into its upper half) while attempts fail; a
/// connection that drops right after readiness is one more failure, not a reset; only one
/// that stayed ready for `healthy_after` resets the count.
#[test]
fn backoff_resets_only_after_a_healthy_period() {
    let cfg = config();
    let t0 = Instant::now();
    let mut c = Connection::new(cfg.clone());
    c.connect(t0);
    drain(&mut c);
    let mut now = t0;
    let mut waits = Vec::new();
    let mut wait_for_dial = |c: &mut Connection, now: &mut Instant| {
        let at = c.poll_timeout().unwrap();
        waits.push(at - *now);
        *now = at;
        c.handle_timeout(at);
        assert_eq!(drain(c), vec![Output::Dial]);
    };
    // Two refused dials.
    for _ in 0..2 {
        c.handle_dial_failed(now, "refused");
        drain(&mut c);
        wait_for_dial(&mut c, &mut now);
    }
    // Three times: accepted, ready, dropped at once (1006).
    for _ in 0..3 {
        c.handle_opened(now, "Bearer t", "T");
        c.handle_text(now, READY_FRAME);
        assert!(c.is_connected());
        drain(&mut c);
        now += Duration::from_millis(100);
        c.handle_close(now, 1006, "");
        let out = drain(&mut c);
        assert!(matches!(
            states(&out).as_slice(),
            [ConnectionState::Reconnecting { failures }] if *failures == c.failures()
        ));
        wait_for_dial(&mut c, &mut now);
    }
    assert_eq!(c.failures(), 5);
    for (n, wait) in waits.iter().enumerate() {
        let full = cfg.backoff(u32::try_from(n + 1).unwrap());
        assert!(*wait >= full / 2 && *wait <= full, "attempt {n}: {wait:?}");
    }
    // Ready, and healthy: the next drop reconnects at once and the count starts over.
    c.handle_opened(now, "Bearer t", "T");
    c.handle_text(now, READY_FRAME);
    let then = keep_alive(&mut c, now, cfg.healthy_after);
    c.handle_close(then, 1006, "");
    assert_eq!(
        states(&drain(&mut c)),
        vec![ConnectionState::Reconnecting { failures: 0 }]
    );
    assert_eq!(c.poll_timeout(), Some(then));
}

/// A server that answers every attempt with 1005 gets one device refresh per
/// `device_refresh_interval`, not one per attempt, and a growing backoff.
#[test]
fn repeated_1005_closes_do_not_storm_the_device_service() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    c.connect(t0);
    drain(&mut c);
    let mut now = t0;
    let mut refreshes = Vec::new();
    for _ in 0..8 {
        c.handle_opened(now, "Bearer t", "T");
        c.handle_text(now, READY_FRAME);
        c.handle_close(now, 1005, "");
        if drain(&mut c).contains(&Output::RefreshDevice) {
            refreshes.push(now - t0);
        }
        now = c.poll_timeout().unwrap();
        c.handle_timeout(now);
        assert_eq!(drain(&mut c), vec![Output::Dial]);
    }
    assert!(now - t0 >= Duration::from_secs(60), "{:?}", now - t0);
    assert!(refreshes.len() >= 2, "{refreshes:?}");
    for pair in refreshes.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_secs(30),
            "{refreshes:?}"
        );
    }
}

#[test]
fn redeliveries_are_acked_and_dropped_also_across_reconnects() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    let activity = |frame: &str, activity: &str| {
        json!({"id": frame, "data": {"eventType": "conversation.activity",
            "activity": {"id": activity, "verb": "post"}}})
        .to_string()
    };
    c.handle_text(t0, &activity("f1", "a1"));
    assert!(matches!(drain(&mut c)[0], Output::Event(_)));
    // The same activity in another frame: acked (so the server stops), not emitted.
    c.handle_text(t0, &activity("f2", "a1"));
    let out = drain(&mut c);
    assert_eq!(sent(&out), vec![json!({"messageId": "f2", "type": "ack"})]);
    assert!(out.contains(&Output::Warn(Warning::Duplicate("a1".into()))));
    assert!(!out.iter().any(|o| matches!(o, Output::Event(_))));
    // Other events by envelope id.
    c.handle_text(
        t0,
        r#"{"id":"x","data":{"eventType":"status.start_typing"}}"#,
    );
    c.handle_text(
        t0,
        r#"{"id":"x","data":{"eventType":"status.start_typing"}}"#,
    );
    let events = drain(&mut c)
        .into_iter()
        .filter(|o| matches!(o, Output::Event(_)))
        .count();
    assert_eq!(events, 1);
    // After a reconnect, a redelivery is still recognised.
    c.handle_close(t0, 1006, "");
    let at = c.poll_timeout().unwrap();
    c.handle_timeout(at);
    c.handle_opened(at, "Bearer t", "T");
    c.handle_text(at, &READY_FRAME.replace("r1", "r2"));
    drain(&mut c);
    c.handle_text(at, &activity("f3", "a1"));
    assert!(!drain(&mut c).iter().any(|o| matches!(o, Output::Event(_))));
    c.handle_text(at, &activity("f4", "a2"));
    assert!(drain(&mut c).iter().any(|o| matches!(o, Output::Event(_))));
}

#[test]
fn the_dedupe_window_is_bounded() {
    let t0 = Instant::now();
    let mut c = Connection::new(config().with_dedupe_window(2));
    open(&mut c, t0);
    let typing =
        |id: &str| json!({"id": id, "data": {"eventType": "status.start_typing"}}).to_string();
    for id in ["a", "b", "c", "a"] {
        c.handle_text(t0, &typing(id));
    }
    let events = drain(&mut c)
        .into_iter()
        .filter(|o| matches!(o, Output::Event(_)))
        .count();
    assert_eq!(events, 4, "`a` fell out of a window of two");
}

#[test]
fn an_oversized_frame_closes_with_1009_is_reported_and_reconnects() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.handle_oversized(t0, "message too long: 5000000 > 4194304");
    let out = drain(&mut c);
    assert!(matches!(&out[0], Output::Warn(w @ Warning::Oversized(_)) if w.unreadable().is_some()));
    assert_eq!(
        out[1],
        Output::Close {
            code: 1009,
            reason: "Message Too Big".into()
        }
    );
    assert!(matches!(
        states(&out).as_slice(),
        [ConnectionState::Reconnecting { .. }]
    ));
}

#[test]
fn unreadable_frames_are_reported_with_their_id() {
    let t0 = Instant::now();
    let mut c = Connection::new(config());
    open(&mut c, t0);
    c.handle_text(t0, r#"{"id":"n1","data":{}}"#);
    let out = drain(&mut c);
    let Output::Warn(warning) = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(warning.unreadable().unwrap().0, Some("n1"));
    assert_eq!(sent(&out), vec![json!({"messageId": "n1", "type": "ack"})]);
    c.handle_binary(t0, &[0xff, 0xfe]);
    let out = drain(&mut c);
    assert!(matches!(
        &out[..],
        [Output::Warn(Warning::MalformedFrame(_))]
    ));
    c.handle_binary(t0, br#"{"id":"b1","data":{"eventType":"a.b"}}"#);
    assert!(matches!(drain(&mut c)[0], Output::Event(_)));
    assert!(c.is_connected());
}

#[test]
fn hostile_numbers_and_huge_settings_never_panic() {
    let t0 = Instant::now();
    let huge = Config::default()
        .with_ping(Duration::MAX, Duration::MAX)
        .with_backoff(Duration::MAX, Duration::MAX)
        .with_timeouts(Duration::MAX, Duration::MAX)
        .with_healthy_after(Duration::MAX);
    let mut c = Connection::new(huge);
    c.connect(t0);
    c.handle_opened(t0, "Bearer t", "T");
    c.handle_text(
        t0,
        &json!({"id": "r", "sequenceNumber": u64::MAX, "data": {"eventType": "mercury.buffer_state"}})
            .to_string(),
    );
    assert!(c.is_connected());
    c.handle_text(
        t0,
        &json!({"sequenceNumber": u64::MAX, "data": {"eventType": "a.b"}}).to_string(),
    );
    c.handle_text(t0, r#"{"sequenceNumber":0,"data":{"eventType":"a.b"}}"#);
    c.handle_text(t0, r#"{"sequenceNumber":-1,"data":{"eventType":"a.b"}}"#);
    c.handle_text(t0, r#"{"sequenceNumber":1e400,"data":{"eventType":"a.b"}}"#);
    for _ in 0..40 {
        c.handle_dial_failed(t0, "x");
        c.handle_close(t0, 1006, "");
        if let Some(at) = c.poll_timeout() {
            c.handle_timeout(at);
        }
    }
    drain(&mut c);
}
