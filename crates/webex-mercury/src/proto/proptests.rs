//! Property tests: any sequence of inputs (frames, closes, dial results, timer ticks,
//! commands) never panics, and the phase, the timers and the outputs stay consistent.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::tests::config;
use super::*;

/// One thing that can happen to a connection.
#[derive(Debug, Clone)]
enum Input {
    Connect,
    Disconnect,
    Opened,
    DialFailed,
    Fatal,
    /// Text from the sample set below, or arbitrary text.
    Text(String),
    Binary(Vec<u8>),
    /// A pong answering the outstanding ping (or a stale one when none is outstanding).
    Pong,
    Close(u16, String),
    Oversized,
    /// Time passes by this many milliseconds, then timers run.
    Tick(u64),
    /// Time jumps to the next deadline, and timers run.
    NextDeadline,
}

fn frames() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{"id":"r","data":{"eventType":"mercury.buffer_state"},"sequenceNumber":1}"#.to_owned()),
        Just(r#"{"id":"a","data":{"eventType":"conversation.activity","activity":{"id":"x","verb":"post"}}}"#.to_owned()),
        Just(r#"{"sequenceNumber":18446744073709551615,"data":{"eventType":"a.b"}}"#.to_owned()),
        Just(r#"{"type":"pong","id":"nope"}"#.to_owned()),
        Just(r#"{"id":7,"data":[]}"#.to_owned()),
        (any::<u64>(), "[a-z]{1,3}").prop_map(|(n, id)| format!(
            r#"{{"id":"{id}","sequenceNumber":{n},"data":{{"eventType":"conversation.activity","activity":{{"id":"{id}","verb":"post"}}}}}}"#
        )),
        ".{0,40}",
    ]
}

fn inputs() -> impl Strategy<Value = Input> {
    let codes = prop_oneof![
        Just(1000u16),
        Just(1001),
        Just(1005),
        Just(1006),
        Just(1009),
        Just(1011),
        Just(3050),
        Just(4000),
        Just(4400),
        Just(4401),
        Just(4403),
        Just(4404),
        any::<u16>(),
    ];
    let reasons = prop_oneof![
        Just("idle".to_owned()),
        Just("Pong not received".to_owned()),
        Just("replaced".to_owned()),
        ".{0,8}",
    ];
    prop_oneof![
        2 => Just(Input::Connect),
        1 => Just(Input::Disconnect),
        4 => Just(Input::Opened),
        2 => Just(Input::DialFailed),
        1 => Just(Input::Fatal),
        6 => frames().prop_map(Input::Text),
        1 => proptest::collection::vec(any::<u8>(), 0..16).prop_map(Input::Binary),
        3 => Just(Input::Pong),
        3 => (codes, reasons).prop_map(|(c, r)| Input::Close(c, r)),
        1 => Just(Input::Oversized),
        3 => (0u64..100_000).prop_map(Input::Tick),
        4 => Just(Input::NextDeadline),
    ]
}

/// What the outputs say, checked against the core after each input.
#[derive(Default)]
struct Observed {
    outstanding_ping: Option<String>,
    /// The last state reported; `None` before the first.
    state: Option<ConnectionState>,
}

impl Observed {
    fn take(&mut self, c: &mut Connection) -> Result<(), TestCaseError> {
        while let Some(output) = c.poll_output() {
            match output {
                Output::Send(frame) => {
                    let value: Value = serde_json::from_str(frame.text())
                        .map_err(|e| TestCaseError::fail(format!("unparsable frame: {e}")))?;
                    if value["type"] == "ping" {
                        self.outstanding_ping = value["id"].as_str().map(str::to_owned);
                    }
                }
                Output::State(state) => self.state = Some(state),
                Output::Dial => prop_assert!(
                    self.state.as_ref().is_some_and(|s| !s.is_terminal()),
                    "dial while stopped"
                ),
                _ => {}
            }
        }
        // What users see matches the core.
        prop_assert_eq!(
            c.is_connected(),
            self.state == Some(ConnectionState::Connected)
        );
        prop_assert_eq!(
            c.phase == Phase::Idle,
            self.state.as_ref().is_none_or(ConnectionState::is_terminal)
        );
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_inputs_keep_the_core_consistent(
        script in proptest::collection::vec(inputs(), 0..60),
        seed in any::<u64>(),
    ) {
        let t0 = Instant::now();
        let mut now = t0;
        let mut c = Connection::new(config().with_jitter_seed(seed).with_max_retries(Some(20)));
        let mut seen = Observed::default();
        for input in script {
            match input {
                Input::Connect => c.connect(now),
                Input::Disconnect => c.disconnect(now),
                Input::Opened => c.handle_opened(now, "Bearer secret", "T"),
                Input::DialFailed => c.handle_dial_failed(now, "refused"),
                Input::Fatal => c.handle_fatal(now, MercuryError::Setup("x".into())),
                Input::Text(text) => c.handle_text(now, &text),
                Input::Binary(bytes) => c.handle_binary(now, &bytes),
                Input::Pong => {
                    let id = seen.outstanding_ping.clone().unwrap_or_default();
                    c.handle_text(now, &serde_json::json!({"id": id, "type": "pong"}).to_string());
                }
                Input::Close(code, reason) => c.handle_close(now, code, &reason),
                Input::Oversized => c.handle_oversized(now, "too big"),
                Input::Tick(ms) => {
                    now += Duration::from_millis(ms);
                    c.handle_timeout(now);
                }
                Input::NextDeadline => {
                    if let Some(at) = c.poll_timeout() {
                        prop_assert!(at + Duration::from_secs(3600) > now, "a deadline far in the past");
                        now = now.max(at);
                        c.handle_timeout(now);
                    }
                }
            }
            seen.take(&mut c)?;
            c.check_invariants().map_err(TestCaseError::fail)?;
            // A state machine that does nothing has no timer; a running one that is not
            // waiting for the driver (dial) always has one.
            if c.phase == Phase::Idle {
                prop_assert!(c.poll_timeout().is_none());
            }
        }
    }
}
