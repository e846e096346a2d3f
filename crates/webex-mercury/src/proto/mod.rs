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

mod config;
mod policy;

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::error::MercuryError;
use crate::event::MercuryEvent;
use crate::frame::{self, Data, FrameText, Head, Incoming};

pub use config::Config;
pub use policy::{CloseAction, classify_close};

use webex_core::recent_ids::RecentIds;

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

/// Something the protocol noticed that is worth reporting but does not stop the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A frame that is not a JSON object; dropped.
    MalformedFrame(String),
    /// A frame before readiness that is not the buffer-state frame; ignored.
    UnexpectedBeforeReady,
    /// A frame with no `data.eventType`; dropped after its ack.
    NoEventType {
        /// The frame's `id`, if it has one.
        id: Option<String>,
    },
    /// A frame larger than [`Config::max_frame_size`]; the socket is closed with 1009.
    Oversized {
        /// The frame's `id` (acked, so a server does not redeliver it), when the frame was
        /// read at all: frames over the driver's hard limit are not.
        id: Option<String>,
        /// The limit and the size.
        detail: String,
    },
    /// `sequenceNumber` is not the previous one plus one (nothing is resent, as in the JS SDK).
    SequenceMismatch {
        /// What was expected.
        expected: u64,
        /// What came.
        actual: u64,
    },
    /// An event whose id was seen within the dedupe window; acked and dropped.
    Duplicate(String),
    /// A close code asked for a device refresh less than
    /// [`Config::device_refresh_interval`] after the last one; skipped.
    DeviceRefreshSkipped,
}

impl Warning {
    /// For a frame that could not be read (malformed, no event type, oversized): its id, if
    /// known, and why. Such frames are reported to subscribers.
    #[must_use]
    pub fn unreadable(&self) -> Option<(Option<&str>, String)> {
        match self {
            Self::MalformedFrame(reason) => Some((None, format!("not a JSON object: {reason}"))),
            Self::NoEventType { id } => Some((id.as_deref(), "no `data.eventType`".to_owned())),
            Self::Oversized { id, detail } => Some((id.as_deref(), detail.clone())),
            _ => None,
        }
    }
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
    /// Deliver an event to subscribers; the frame's ack (if any) is the next output, so it
    /// is sent only once the event was handed over.
    Event(MercuryEvent),
    /// The connection state changed.
    State(ConnectionState),
    /// Refresh the access token (4401) before the next attempt.
    RefreshToken,
    /// Refresh (or re-register) the device (1005, 4404) before the next attempt.
    RefreshDevice,
    /// Report this.
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
    /// Consecutive failed attempts; a connection that stays ready for
    /// [`Config::healthy_after`] resets it when it drops.
    failures: u32,
    /// Whether the token was refreshed for a 4401 since the last readiness.
    token_refreshed: bool,
    /// When the last device refresh was asked for.
    device_refreshed_at: Option<Instant>,
    /// When the current connection became ready.
    ready_at: Option<Instant>,
    /// The deadline for the ready frame while authorizing.
    ready_deadline: Option<Instant>,
    next_ping: Option<Instant>,
    /// The outstanding ping's id and the pong deadline.
    pong: Option<(String, Instant)>,
    reconnect_at: Option<Instant>,
    expected_sequence: Option<u64>,
    /// Ids of recent events, kept across reconnects so redeliveries are dropped.
    recent: RecentIds,
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

/// The `id` of a frame, and nothing else of it.
#[derive(serde::Deserialize)]
struct FrameId {
    #[serde(default)]
    id: Option<String>,
}

/// Event types that mean "ready" (`docs/protocol/mercury.md`, *Handshake*).
const READY: [&str; 2] = ["mercury.buffer_state", "mercury.registration_status"];

/// `now + wait`, or as late as the clock allows: a setting so large that the sum overflows
/// means "practically never", never a panic.
fn after(now: Instant, wait: Duration) -> Instant {
    let mut wait = wait;
    loop {
        if let Some(at) = now.checked_add(wait) {
            return at;
        }
        wait /= 2;
    }
}

impl Connection {
    /// A connection that does nothing until [`connect`](Self::connect).
    #[must_use]
    pub fn new(config: Config) -> Self {
        let rng = config
            .jitter_seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Self {
            recent: RecentIds::new(config.dedupe_window),
            config,
            phase: Phase::Idle,
            outputs: VecDeque::new(),
            failures: 0,
            token_refreshed: false,
            device_refreshed_at: None,
            ready_at: None,
            ready_deadline: None,
            next_ping: None,
            pong: None,
            reconnect_at: None,
            expected_sequence: None,
            rng,
        }
    }

    /// The settings.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The next thing to do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        [
            self.ready_deadline,
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

    /// Failed attempts in a row so far.
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.failures
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
    /// `docs/protocol/mercury.md`, *Handshake*) and wait for the ready frame at most
    /// [`Config::ready_timeout`]. `authorization` is `<token_type> <token>`.
    pub fn handle_opened(&mut self, now: Instant, authorization: &str, tracking_id: &str) {
        if self.phase != Phase::Dialing {
            return;
        }
        self.phase = Phase::Authorizing;
        self.ready_deadline = Some(after(now, self.config.ready_timeout));
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

    /// Connecting cannot work (no device plugin, no token, untrusted URL): stop with `err`.
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

    /// An incoming frame was too large to be read at all (over the driver's hard limit,
    /// [`Config::hard_frame_limit`]): close with 1009 (`Message Too Big`), report it, and
    /// reconnect.
    pub fn handle_oversized(&mut self, now: Instant, detail: &str) {
        if matches!(self.phase, Phase::Authorizing | Phase::Open) {
            self.reject_oversized(now, None, detail);
        }
    }

    /// Reports a frame over [`Config::max_frame_size`], acks it when its id is known (so a
    /// server that redelivers unacked frames does not send it to every new socket), closes
    /// with 1009 and reconnects.
    fn reject_oversized(&mut self, now: Instant, id: Option<String>, detail: &str) {
        self.ack(id.as_deref());
        self.warn(Warning::Oversized {
            id,
            detail: format!(
                "frame too large (limit {} bytes): {detail}",
                self.config.max_frame_size
            ),
        });
        self.outputs.push_back(Output::Close {
            code: 1009,
            reason: "Message Too Big".to_owned(),
        });
        self.apply(now, CloseAction::Retry, 1009, "message too big");
    }

    /// A text frame arrived. An event keeps a copy of it (its envelope's `data`);
    /// [`handle_shared_text`](Self::handle_shared_text) shares the received buffer instead.
    pub fn handle_text(&mut self, now: Instant, text: &str) {
        self.read_text(now, FrameText::Borrowed(text));
    }

    /// A text frame arrived, in a buffer that an event shares rather than copies.
    pub fn handle_shared_text(&mut self, now: Instant, text: &Utf8Bytes) {
        self.read_text(now, FrameText::Shared(text));
    }

    fn read_text(&mut self, now: Instant, frame: FrameText<'_>) {
        let text = frame.as_str();
        if !matches!(self.phase, Phase::Authorizing | Phase::Open) {
            return;
        }
        if text.len() > self.config.max_frame_size {
            // Only the id is read, without keeping anything else of the frame.
            let id = serde_json::from_str::<FrameId>(text)
                .ok()
                .and_then(|f| f.id);
            let detail = format!("{} bytes", text.len());
            return self.reject_oversized(now, id, &detail);
        }
        // The top-level fields and what an event's `data` needs are read, in one pass for
        // the usual frame.
        let Incoming { head, data } = match Incoming::parse(text) {
            Ok(frame) => frame,
            Err(e) => {
                // Read again only to say why.
                let reason = match serde_json::from_str::<Value>(text) {
                    // An object with a field repeated.
                    Ok(Value::Object(_)) => e.to_string(),
                    Ok(_) => "not a JSON object".to_owned(),
                    Err(e) => e.to_string(),
                };
                self.warn(Warning::MalformedFrame(reason));
                return;
            }
        };
        // Every frame with an id is acknowledged (`docs/protocol/mercury.md`,
        // *Acknowledgements*): an event only after it was handed over, so an event the client
        // could not take is not acked.
        let id = head.id();
        if self.phase == Phase::Authorizing {
            let typed = head.kind().is_some();
            self.on_handshake_frame(now, typed, frame::event(&head, data, &frame), id);
            return;
        }
        if head.kind() == Some("pong") {
            self.ack(id);
            self.on_pong(now, id);
            return;
        }
        self.on_event(&head, data, &frame);
        self.ack(id);
    }

    /// A binary frame arrived: read as text when it is UTF-8 (servers that ignore
    /// `outboundWireFormat=text` send JSON this way), reported as malformed otherwise.
    pub fn handle_binary(&mut self, now: Instant, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.handle_text(now, text),
            Err(_) if matches!(self.phase, Phase::Authorizing | Phase::Open) => {
                self.warn(Warning::MalformedFrame(
                    "binary frame is not UTF-8".to_owned(),
                ));
            }
            Err(_) => {}
        }
    }

    /// Timers: ready frame overdue, pong overdue, ping due, reconnect due.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(deadline) = self.ready_deadline
            && deadline <= now
        {
            self.outputs.push_back(Output::Close {
                code: 1000,
                reason: "Ready timeout".to_owned(),
            });
            self.apply(now, CloseAction::Retry, 1000, "no ready frame in time");
            return;
        }
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

    fn on_handshake_frame(
        &mut self,
        now: Instant,
        typed: bool,
        event: Option<MercuryEvent>,
        id: Option<&str>,
    ) {
        let ready = !typed
            && event
                .as_ref()
                .is_some_and(|e| READY.contains(&e.event_type()));
        let Some(event) = event.filter(|_| ready) else {
            self.ack(id);
            self.warn(Warning::UnexpectedBeforeReady);
            return;
        };
        self.phase = Phase::Open;
        self.ready_at = Some(now);
        self.ready_deadline = None;
        self.token_refreshed = false;
        self.expected_sequence = event
            .envelope()
            .sequence_number
            .and_then(|n| n.checked_add(1));
        self.outputs
            .push_back(Output::State(ConnectionState::Connected));
        self.outputs.push_back(Output::Event(event));
        self.ack(id);
        self.ping(now);
    }

    fn on_pong(&mut self, now: Instant, id: Option<&str>) {
        match &self.pong {
            Some((expected, _)) if Some(expected.as_str()) == id => {
                self.pong = None;
                self.next_ping = Some(after(now, self.config.ping_interval));
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

    /// An event frame, read into `head` and `data` (to be acked after).
    fn on_event(&mut self, head: &Head<'_>, data: Option<Data<'_>>, text: &FrameText<'_>) {
        let Some(event) = frame::event(head, data, text) else {
            self.warn(Warning::NoEventType {
                id: head.id().map(str::to_owned),
            });
            return;
        };
        if let Some(actual) = event.envelope().sequence_number {
            if let Some(expected) = self.expected_sequence
                && expected != actual
            {
                self.warn(Warning::SequenceMismatch { expected, actual });
            }
            self.expected_sequence = actual.checked_add(1);
        }
        if let Some(key) = event.dedupe_key()
            && !self.recent.insert(key)
        {
            self.warn(Warning::Duplicate(key.to_owned()));
            return;
        }
        self.outputs.push_back(Output::Event(event));
    }

    fn ping(&mut self, now: Instant) {
        let id = uuid::Uuid::new_v4().to_string();
        self.send(&json!({"id": id, "type": "ping"}));
        self.next_ping = None;
        self.pong = Some((id, after(now, self.config.pong_timeout)));
    }

    fn ack(&mut self, id: Option<&str>) {
        if let Some(id) = id {
            // One per event: written directly rather than built as a `Value` first.
            let mut text = String::with_capacity(id.len() + 32);
            text.push_str(r#"{"messageId":"#);
            push_json_string(&mut text, id);
            text.push_str(r#","type":"ack"}"#);
            self.outputs.push_back(Output::Send(Frame {
                text,
                secret: false,
            }));
        }
    }

    fn send(&mut self, value: &Value) {
        self.outputs.push_back(Output::Send(Frame::json(value)));
    }

    fn warn(&mut self, warning: Warning) {
        self.outputs.push_back(Output::Warn(warning));
    }

    fn clear_socket_timers(&mut self) {
        self.ready_deadline = None;
        self.next_ping = None;
        self.pong = None;
        self.expected_sequence = None;
    }

    fn stop(&mut self, state: ConnectionState) {
        self.phase = Phase::Idle;
        self.clear_socket_timers();
        self.reconnect_at = None;
        self.ready_at = None;
        self.outputs.push_back(Output::State(state));
    }

    /// Carries out the close policy for a socket that is gone.
    fn apply(&mut self, now: Instant, action: CloseAction, code: u16, reason: &str) {
        // Only a connection that stayed ready for a while proves the server healthy; one
        // that drops right after readiness is one more failure, so a server that accepts
        // and drops at once meets a growing backoff, not a reconnect loop.
        let healthy = self.phase == Phase::Open
            && self
                .ready_at
                .is_some_and(|at| now.saturating_duration_since(at) >= self.config.healthy_after);
        self.ready_at = None;
        self.clear_socket_timers();
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
                self.refresh_device(now);
                CloseAction::Retry
            }
            other => other,
        };
        if let CloseAction::Fatal(err) = action {
            return self.stop(ConnectionState::Failed(err));
        }
        self.failures = if healthy {
            0
        } else {
            self.failures.saturating_add(1)
        };
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
        self.reconnect_at = Some(after(now, delay));
        self.outputs
            .push_back(Output::State(ConnectionState::Reconnecting {
                failures: self.failures,
            }));
    }

    /// Asks for a device refresh unless one was asked for within
    /// [`Config::device_refresh_interval`].
    fn refresh_device(&mut self, now: Instant) {
        let recent = self.device_refreshed_at.is_some_and(|at| {
            now.saturating_duration_since(at) < self.config.device_refresh_interval
        });
        if recent {
            self.warn(Warning::DeviceRefreshSkipped);
        } else {
            self.device_refreshed_at = Some(now);
            self.outputs.push_back(Output::RefreshDevice);
        }
    }

    /// Equal jitter: somewhere in `[delay / 2, delay]`.
    fn jittered(&mut self, delay: Duration) -> Duration {
        let half = delay / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(self.rng.u64(0..=nanos))
    }

    /// Checks the invariants between phase and timers (the property tests call it).
    #[cfg(test)]
    fn check_invariants(&self) -> Result<(), String> {
        let ok = match self.phase {
            Phase::Idle => self.poll_timeout().is_none() && self.ready_at.is_none(),
            Phase::Dialing => self.poll_timeout().is_none(),
            Phase::Authorizing => {
                self.ready_deadline.is_some()
                    && self.next_ping.is_none()
                    && self.pong.is_none()
                    && self.reconnect_at.is_none()
            }
            Phase::Open => {
                self.ready_deadline.is_none()
                    && self.reconnect_at.is_none()
                    && (self.next_ping.is_some() != self.pong.is_some())
                    && self.ready_at.is_some()
            }
            Phase::Backoff => {
                self.reconnect_at.is_some()
                    && self.ready_deadline.is_none()
                    && self.next_ping.is_none()
                    && self.pong.is_none()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!("inconsistent: {self:?}"))
        }
    }
}

/// Appends `text` as a JSON string.
fn push_json_string(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&Value::from(text).to_string());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod tests;
