//! The sans-IO Mercury protocol core (`docs/protocol/mercury.md`).
//!
//! [`Connection`] is a state machine with no sockets, tasks or clocks: the driver feeds it
//! what happened ([`connect`](Connection::connect), [`handle_opened`](Connection::handle_opened),
//! [`handle_text`](Connection::handle_text), [`handle_close`](Connection::handle_close),
//! [`handle_dial_failed`](Connection::handle_dial_failed),
//! [`handle_timeout`](Connection::handle_timeout), [`disconnect`](Connection::disconnect)),
//! always with the current [`Instant`], and carries out what [`poll_output`](Connection::poll_output)
//! returns; [`poll_timeout`](Connection::poll_timeout) says when to call `handle_timeout`
//! next. Tests drive it with simulated time.

mod policy;

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::error::MercuryError;
use crate::event::{Envelope, MercuryEvent};

pub use policy::{CloseAction, classify_close};

/// Timing and retry settings (`config.mercury` of the JS SDK; `docs/protocol/mercury.md`,
/// *Reconnecting and backoff*).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Wait after a pong before the next ping (15 s).
    pub ping_interval: Duration,
    /// How long a pong may take (14 s).
    pub pong_timeout: Duration,
    /// The first backoff step (`backoffTimeReset`, 1 s).
    pub backoff_min: Duration,
    /// The largest backoff step (`backoffTimeMax`, 32 s).
    pub backoff_max: Duration,
    /// Failed attempts in a row before giving up; `None`: never (the JS SDK's default).
    pub max_retries: Option<u32>,
    /// Seed of the jitter; `None` picks one at random.
    pub jitter_seed: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(15),
            pong_timeout: Duration::from_secs(14),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(32),
            max_retries: None,
            jitter_seed: None,
        }
    }
}

impl Config {
    /// Sets [`max_retries`](Self::max_retries).
    #[must_use]
    pub fn with_max_retries(mut self, max: Option<u32>) -> Self {
        self.max_retries = max;
        self
    }

    /// Sets [`ping_interval`](Self::ping_interval) and [`pong_timeout`](Self::pong_timeout).
    #[must_use]
    pub fn with_ping(mut self, interval: Duration, pong_timeout: Duration) -> Self {
        self.ping_interval = interval;
        self.pong_timeout = pong_timeout;
        self
    }

    /// Sets the backoff bounds.
    #[must_use]
    pub fn with_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff_min = min;
        self.backoff_max = max;
        self
    }

    /// Sets [`jitter_seed`](Self::jitter_seed).
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// The un-jittered wait before attempt `n` after `n` failures in a row: none after the
    /// first failure's predecessor (`n == 0`), then `backoff_min · 2^(n-1)`, capped.
    #[must_use]
    pub fn backoff(&self, failures: u32) -> Duration {
        if failures == 0 {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
        self.backoff_min
            .checked_mul(factor)
            .unwrap_or(self.backoff_max)
            .min(self.backoff_max)
    }
}

/// The connection as users see it (a `tokio::sync::watch` value).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// Not connected, and not trying.
    Disconnected,
    /// The first attempt is under way.
    Connecting,
    /// Authorized and ready (the buffer-state frame arrived).
    Connected,
    /// Waiting for, or making, another attempt after `failures` in a row.
    Reconnecting {
        /// Failed attempts in a row so far.
        failures: u32,
    },
    /// Given up; `connect()` starts over.
    Failed(MercuryError),
}

impl ConnectionState {
    /// Whether nothing more will happen without a new `connect()`.
    #[must_use]
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Disconnected | Self::Failed(_))
    }
}

/// A text frame to send. Its `Debug` never shows an authorization frame's token.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    text: String,
    secret: bool,
}

impl Frame {
    fn json(value: &Value) -> Self {
        Self {
            text: value.to_string(),
            secret: false,
        }
    }

    /// The frame's text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Consumes the frame.
    #[must_use]
    pub fn into_text(self) -> String {
        self.text
    }
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.secret {
            f.write_str("Frame(<authorization, redacted>)")
        } else {
            write!(f, "Frame({})", self.text)
        }
    }
}

/// Something the protocol noticed that is worth logging but changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A frame that is not a JSON object; dropped.
    MalformedFrame(String),
    /// A frame before readiness that is not the buffer-state frame; ignored.
    UnexpectedBeforeReady,
    /// A frame with no `data.eventType`; dropped after its ack.
    NoEventType,
    /// `sequenceNumber` is not the previous one plus one (nothing is resent, as in the JS SDK).
    SequenceMismatch {
        /// What was expected.
        expected: u64,
        /// What came.
        actual: u64,
    },
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Output {
    /// Open a socket to the device's websocket URL, then call `handle_opened` or
    /// `handle_dial_failed`.
    Dial,
    /// Send a text frame.
    Send(Frame),
    /// Close the socket with this code and reason and drop it; no `handle_close` follows.
    Close {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// Deliver an event to subscribers.
    Event(MercuryEvent),
    /// The connection state changed.
    State(ConnectionState),
    /// Refresh the access token (4401) before the next attempt.
    RefreshToken,
    /// Refresh (or re-register) the device (1005, 4404) before the next attempt.
    RefreshDevice,
    /// Log this.
    Warn(Warning),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Dialing,
    Authorizing,
    Open,
    Backoff,
}

/// The protocol state machine of one logical Mercury connection (across reconnects).
#[derive(Debug)]
pub struct Connection {
    config: Config,
    phase: Phase,
    outputs: VecDeque<Output>,
    /// Consecutive failed attempts since the last readiness.
    failures: u32,
    /// Whether the token was refreshed for a 4401 since the last readiness.
    token_refreshed: bool,
    next_ping: Option<Instant>,
    /// The outstanding ping's id and the pong deadline.
    pong: Option<(String, Instant)>,
    reconnect_at: Option<Instant>,
    expected_sequence: Option<u64>,
    rng: fastrand::Rng,
}

/// The reasons of a 1000 close that still mean "reconnect" (`docs/protocol/mercury.md`,
/// *Close codes*).
const TRANSIENT_1000: [&str; 4] = [
    "idle",
    "done (forced)",
    "pong not received",
    "pong mismatch",
];

/// Event types that mean "ready" (`docs/protocol/mercury.md`, *Handshake*).
const READY: [&str; 2] = ["mercury.buffer_state", "mercury.registration_status"];

impl Connection {
    /// A connection that does nothing until [`connect`](Self::connect).
    #[must_use]
    pub fn new(config: Config) -> Self {
        let rng = config
            .jitter_seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Self {
            config,
            phase: Phase::Idle,
            outputs: VecDeque::new(),
            failures: 0,
            token_refreshed: false,
            next_ping: None,
            pong: None,
            reconnect_at: None,
            expected_sequence: None,
            rng,
        }
    }

    /// The next thing to do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        [
            self.next_ping,
            self.pong.as_ref().map(|p| p.1),
            self.reconnect_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Whether the connection is authorized and ready.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.phase == Phase::Open
    }

    /// Starts connecting (nothing to do when already connecting or connected).
    pub fn connect(&mut self, _now: Instant) {
        if self.phase != Phase::Idle {
            return;
        }
        self.failures = 0;
        self.token_refreshed = false;
        self.phase = Phase::Dialing;
        self.outputs
            .push_back(Output::State(ConnectionState::Connecting));
        self.outputs.push_back(Output::Dial);
    }

    /// Closes with 1000 `Done` and stops (no reconnect).
    pub fn disconnect(&mut self, _now: Instant) {
        match self.phase {
            Phase::Idle => return,
            Phase::Dialing | Phase::Authorizing | Phase::Open => {
                self.outputs.push_back(Output::Close {
                    code: 1000,
                    reason: "Done".to_owned(),
                });
            }
            Phase::Backoff => {}
        }
        self.stop(ConnectionState::Disconnected);
    }

    /// The socket is open: send the authorization frame (the first frame;
    /// `docs/protocol/mercury.md`, *Handshake*).
    /// `authorization` is `<token_type> <token>`.
    pub fn handle_opened(&mut self, _now: Instant, authorization: &str, tracking_id: &str) {
        if self.phase != Phase::Dialing {
            return;
        }
        self.phase = Phase::Authorizing;
        let frame = json!({
            "id": uuid::Uuid::new_v4().to_string(),
            "type": "authorization",
            "data": {"token": authorization},
            "trackingId": tracking_id,
        });
        self.outputs.push_back(Output::Send(Frame {
            text: frame.to_string(),
            secret: true,
        }));
    }

    /// The socket could not be opened (DNS, refused, TLS, HTTP error on upgrade, timeout).
    pub fn handle_dial_failed(&mut self, now: Instant, reason: &str) {
        if self.phase == Phase::Dialing {
            self.apply(now, CloseAction::Retry, 1006, reason);
        }
    }

    /// Connecting cannot work (no device plugin, no token): stop with `err`.
    pub fn handle_fatal(&mut self, _now: Instant, err: MercuryError) {
        if self.phase != Phase::Idle {
            self.stop(ConnectionState::Failed(err));
        }
    }

    /// The server closed the socket (or it broke: use 1006).
    pub fn handle_close(&mut self, now: Instant, code: u16, reason: &str) {
        let handshake = match self.phase {
            Phase::Dialing | Phase::Authorizing => true,
            Phase::Open => false,
            Phase::Idle | Phase::Backoff => return,
        };
        let action = classify_close(code, reason, handshake);
        self.apply(now, action, code, reason);
    }

    /// A text frame arrived.
    pub fn handle_text(&mut self, now: Instant, text: &str) {
        if !matches!(self.phase, Phase::Authorizing | Phase::Open) {
            return;
        }
        let frame = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(frame)) => frame,
            Ok(_) => {
                self.warn(Warning::MalformedFrame("not a JSON object".to_owned()));
                return;
            }
            Err(e) => {
                self.warn(Warning::MalformedFrame(e.to_string()));
                return;
            }
        };
        // Every frame with an id is acknowledged before anything else (`docs/protocol/mercury.md`,
        // *Acknowledgements*).
        if let Some(id) = frame.get("id").and_then(Value::as_str) {
            self.send(&json!({"messageId": id, "type": "ack"}));
        }
        let kind = frame.get("type").and_then(Value::as_str);
        if self.phase == Phase::Authorizing {
            self.on_handshake_frame(now, kind, &frame);
            return;
        }
        match kind {
            Some("pong") => self.on_pong(now, &frame),
            _ => self.on_event(&frame),
        }
    }

    /// Timers: ping due, pong overdue, reconnect due.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some((_, deadline)) = &self.pong
            && *deadline <= now
        {
            self.pong = None;
            self.outputs.push_back(Output::Close {
                code: 1000,
                reason: "Pong not received".to_owned(),
            });
            self.apply(now, CloseAction::Retry, 1000, "pong not received");
            return;
        }
        if let Some(at) = self.next_ping
            && at <= now
        {
            self.ping(now);
        }
        if let Some(at) = self.reconnect_at
            && at <= now
        {
            self.reconnect_at = None;
            self.phase = Phase::Dialing;
            self.outputs.push_back(Output::Dial);
        }
    }

    fn on_handshake_frame(&mut self, now: Instant, kind: Option<&str>, frame: &Map<String, Value>) {
        let envelope = Envelope::from_frame(frame);
        let ready = kind.is_none()
            && envelope
                .as_ref()
                .is_some_and(|e| READY.contains(&e.event_type.as_str()));
        let Some(envelope) = envelope.filter(|_| ready) else {
            self.warn(Warning::UnexpectedBeforeReady);
            return;
        };
        self.phase = Phase::Open;
        self.failures = 0;
        self.token_refreshed = false;
        self.expected_sequence = envelope.sequence_number.map(|n| n + 1);
        self.outputs
            .push_back(Output::State(ConnectionState::Connected));
        self.outputs
            .push_back(Output::Event(MercuryEvent::from_envelope(envelope)));
        self.ping(now);
    }

    fn on_pong(&mut self, now: Instant, frame: &Map<String, Value>) {
        let id = frame.get("id").and_then(Value::as_str);
        match &self.pong {
            Some((expected, _)) if Some(expected.as_str()) == id => {
                self.pong = None;
                self.next_ping = Some(now + self.config.ping_interval);
            }
            _ => {
                self.pong = None;
                self.outputs.push_back(Output::Close {
                    code: 1000,
                    reason: "Pong mismatch".to_owned(),
                });
                self.apply(now, CloseAction::Retry, 1000, "pong mismatch");
            }
        }
    }

    fn on_event(&mut self, frame: &Map<String, Value>) {
        let Some(envelope) = Envelope::from_frame(frame) else {
            self.warn(Warning::NoEventType);
            return;
        };
        if let Some(actual) = envelope.sequence_number {
            if let Some(expected) = self.expected_sequence
                && expected != actual
            {
                self.warn(Warning::SequenceMismatch { expected, actual });
            }
            self.expected_sequence = Some(actual + 1);
        }
        self.outputs
            .push_back(Output::Event(MercuryEvent::from_envelope(envelope)));
    }

    fn ping(&mut self, now: Instant) {
        let id = uuid::Uuid::new_v4().to_string();
        self.send(&json!({"id": id, "type": "ping"}));
        self.next_ping = None;
        self.pong = Some((id, now + self.config.pong_timeout));
    }

    fn send(&mut self, value: &Value) {
        self.outputs.push_back(Output::Send(Frame::json(value)));
    }

    fn warn(&mut self, warning: Warning) {
        self.outputs.push_back(Output::Warn(warning));
    }

    fn stop(&mut self, state: ConnectionState) {
        self.phase = Phase::Idle;
        self.next_ping = None;
        self.pong = None;
        self.reconnect_at = None;
        self.expected_sequence = None;
        self.outputs.push_back(Output::State(state));
    }

    /// Carries out the close policy for a socket that is gone.
    fn apply(&mut self, now: Instant, action: CloseAction, code: u16, reason: &str) {
        let was_open = self.phase == Phase::Open;
        self.next_ping = None;
        self.pong = None;
        self.expected_sequence = None;
        let action = match action {
            CloseAction::RefreshToken if self.token_refreshed => {
                return self.stop(ConnectionState::Failed(MercuryError::NotAuthorized {
                    reason: reason.to_owned(),
                }));
            }
            CloseAction::RefreshToken => {
                self.token_refreshed = true;
                self.outputs.push_back(Output::RefreshToken);
                CloseAction::Retry
            }
            CloseAction::RefreshDevice => {
                self.outputs.push_back(Output::RefreshDevice);
                CloseAction::Retry
            }
            other => other,
        };
        match action {
            CloseAction::Fatal(err) => self.stop(ConnectionState::Failed(err)),
            _ => {
                // A drop after readiness starts a fresh backoff with an immediate attempt.
                if !was_open {
                    self.failures += 1;
                }
                if let Some(max) = self.config.max_retries
                    && self.failures > max
                {
                    return self.stop(ConnectionState::Failed(MercuryError::RetriesExhausted {
                        attempts: self.failures,
                        last: format!("{code} {reason}"),
                    }));
                }
                let delay = self.jittered(self.config.backoff(self.failures));
                self.phase = Phase::Backoff;
                self.reconnect_at = Some(now + delay);
                self.outputs
                    .push_back(Output::State(ConnectionState::Reconnecting {
                        failures: self.failures,
                    }));
            }
        }
    }

    /// Equal jitter: somewhere in `[delay / 2, delay]`.
    fn jittered(&mut self, delay: Duration) -> Duration {
        let half = delay / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(self.rng.u64(0..=nanos))
    }
}

#[cfg(test)]
mod tests;
