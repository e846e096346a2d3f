//! Mercury frames into the connection's protocol state machine: no sequence of received
//! text or binary frames panics it, and every event it hands out has the `data.eventType`
//! its frame named.

#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use webex_mercury::MercuryConfig;
use webex_mercury::proto::{Connection, Output};

/// The frame that completes the handshake.
const READY: &str = r#"{"id":"r","data":{"eventType":"mercury.buffer_state"}}"#;

fuzz_target!(|data: &[u8]| {
    let mut connection = Connection::new(
        MercuryConfig::default()
            .with_jitter_seed(7)
            .with_max_frame_size(64 * 1024),
    );
    let mut now = Instant::now();
    connection.connect(now);
    drain(&mut connection);
    connection.handle_opened(now, "Bearer fuzz", "webex-rs_fuzz_1");
    drain(&mut connection);
    // The first byte chooses whether the frames arrive before or after the handshake.
    if data.first().is_some_and(|byte| byte & 1 == 1) {
        connection.handle_text(now, READY);
        drain(&mut connection);
    }
    // Frames are separated by 0xFF (never in UTF-8); a frame starting with 0xFE is binary.
    for frame in data
        .get(1..)
        .unwrap_or_default()
        .split(|byte| *byte == 0xFF)
    {
        let payload = match frame.split_first() {
            Some((0xFE, bytes)) => {
                connection.handle_binary(now, bytes);
                bytes
            }
            _ => {
                connection.handle_text(now, &String::from_utf8_lossy(frame));
                frame
            }
        };
        for output in drain(&mut connection) {
            if let Output::Event(event) = output {
                let text = String::from_utf8_lossy(payload);
                let named: serde_json::Value =
                    serde_json::from_str(&text).expect("a frame that gave an event is JSON");
                assert_eq!(
                    named["data"]["eventType"].as_str(),
                    Some(event.event_type()),
                    "{text}"
                );
                let _ = event.dedupe_key();
            }
        }
        now += Duration::from_millis(250);
        connection.handle_timeout(now);
        drain(&mut connection);
    }
});

/// Every pending output.
fn drain(connection: &mut Connection) -> Vec<Output> {
    std::iter::from_fn(|| connection.poll_output()).collect()
}
