//! TURN discovery: `TURN_DISCOVERY_REQUEST` (always `seq` 0) → `TURN_DISCOVERY_RESPONSE`
//! with three `x-cisco-turn-*` headers → `OK`, unless the response says `noOkInTransaction`.
//!
//! [`TurnDiscovery`] is sans-IO: the driver sends [`TurnDiscovery::request`] (in a join body
//! or a `/media` PUT), reports what the HTTP response carried, and any Mercury ROAP message
//! that arrives while [`TurnDiscovery::poll_timeout`] is armed. A failure never stops a call:
//! the outcome says "no TURN" and why.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use super::error::RoapParseError;
use super::message::{HEADER_NO_OK, MessageType, RoapMessage};

/// How long a response is awaited over Mercury when the HTTP response lacked it.
pub const TURN_RESPONSE_WAIT: Duration = Duration::from_secs(10);

const URL_HEADER: &str = "x-cisco-turn-url";
const USERNAME_HEADER: &str = "x-cisco-turn-username";
const PASSWORD_HEADER: &str = "x-cisco-turn-password";
/// The port of the UDP TURN server derived from a TLS one (which is on 443).
const UDP_TURN_PORT: &str = ":5004";

/// A TURN server from discovery. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnInfo {
    /// `turns:<host>:443?transport=tcp`; empty means no TURN (video-mesh nodes).
    pub url: String,
    /// The TURN username.
    pub username: String,
    /// The TURN password (a secret).
    pub password: String,
}

impl fmt::Debug for TurnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TurnInfo")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl TurnInfo {
    /// Reads the three headers of a `TURN_DISCOVERY_RESPONSE`; all three must be present,
    /// their values may be empty.
    ///
    /// # Errors
    ///
    /// [`RoapParseError::MissingTurnHeader`] naming the first one missing.
    pub fn from_message(message: &RoapMessage) -> Result<Self, RoapParseError> {
        let header = |name: &'static str| {
            message
                .header_value(name)
                .map(str::to_owned)
                .ok_or(RoapParseError::MissingTurnHeader(name))
        };
        Ok(TurnInfo {
            url: header(URL_HEADER)?,
            username: header(USERNAME_HEADER)?,
            password: header(PASSWORD_HEADER)?,
        })
    }

    /// Whether discovery named a server (an empty URL means none).
    pub fn has_server(&self) -> bool {
        !self.url.is_empty()
    }

    /// The ICE server URLs to configure, in the JS SDK's order: a UDP TURN server derived
    /// from the TLS one (`turns:` → `turn:`, port 443 → 5004), then the TLS one as given.
    /// Empty when there is no server.
    pub fn ice_server_urls(&self) -> Vec<String> {
        if !self.has_server() {
            return Vec::new();
        }
        let udp = self
            .url
            .replacen("turns:", "turn:", 1)
            .replacen(":443", UDP_TURN_PORT, 1);
        vec![udp, self.url.clone()]
    }
}

/// Why discovery ended without TURN information.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TurnDiscoveryError {
    /// No response came within [`TURN_RESPONSE_WAIT`].
    Timeout,
    /// A join response carried no response (join responses are not waited for).
    NotInJoinResponse,
    /// The response was malformed.
    Malformed(RoapParseError),
    /// The server answered with a ROAP `ERROR`.
    Remote(String),
}

impl fmt::Display for TurnDiscoveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => write!(
                f,
                "no TURN discovery response within {TURN_RESPONSE_WAIT:?}"
            ),
            Self::NotInJoinResponse => {
                f.write_str("the join response carried no TURN discovery response")
            }
            Self::Malformed(e) => write!(f, "malformed TURN discovery response: {e}"),
            Self::Remote(error) => write!(f, "TURN discovery refused with ROAP ERROR {error}"),
        }
    }
}

impl std::error::Error for TurnDiscoveryError {}

/// What discovery tells its driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnOutput {
    /// Send this message (`OK` seq 0) to Locus with a `/media` PUT.
    Send(RoapMessage),
    /// Discovery ended: the TURN server, or why there is none (the call goes on without).
    Finished(Result<TurnInfo, TurnDiscoveryError>),
}

/// Where discovery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnState {
    /// The request was not sent yet.
    NotStarted,
    /// The request went out; its HTTP response is awaited.
    AwaitingHttpResponse,
    /// The HTTP response lacked the answer; waiting for it over Mercury.
    AwaitingMercury,
    /// A result was emitted.
    Finished,
}

/// One TURN discovery exchange.
#[derive(Debug)]
pub struct TurnDiscovery {
    state: TurnState,
    deadline: Option<Instant>,
    outputs: VecDeque<TurnOutput>,
}

impl Default for TurnDiscovery {
    fn default() -> Self {
        Self::new()
    }
}

impl TurnDiscovery {
    /// An exchange not started yet.
    pub fn new() -> Self {
        TurnDiscovery {
            state: TurnState::NotStarted,
            deadline: None,
            outputs: VecDeque::new(),
        }
    }

    /// Where the exchange is.
    pub fn state(&self) -> TurnState {
        self.state
    }

    /// The request to send (in a join body or a `/media` PUT); the exchange now awaits its
    /// HTTP response.
    pub fn request(&mut self) -> RoapMessage {
        self.state = TurnState::AwaitingHttpResponse;
        RoapMessage::turn_discovery_request()
    }

    /// The `/media` PUT's response carried `response` (the `remoteSdp` message), or nothing:
    /// then the answer is awaited over Mercury for [`TURN_RESPONSE_WAIT`].
    pub fn handle_http_response(&mut self, response: Option<RoapMessage>, now: Instant) {
        if self.state != TurnState::AwaitingHttpResponse {
            return;
        }
        match response {
            Some(message) => self.handle_response(&message),
            None => {
                self.state = TurnState::AwaitingMercury;
                self.deadline = Some(now + TURN_RESPONSE_WAIT);
            }
        }
    }

    /// The join response carried `response` or nothing; a join response is never waited for.
    pub fn handle_join_response(&mut self, response: Option<RoapMessage>) {
        if self.state != TurnState::AwaitingHttpResponse {
            return;
        }
        match response {
            Some(message) => self.handle_response(&message),
            None => self.finish(Err(TurnDiscoveryError::NotInJoinResponse)),
        }
    }

    /// A ROAP message from Mercury. Returns whether discovery took it; other messages belong
    /// to the media connection's state machine.
    pub fn handle_mercury(&mut self, message: &RoapMessage) -> bool {
        let ours = matches!(
            self.state,
            TurnState::AwaitingMercury | TurnState::AwaitingHttpResponse
        ) && message.message_type == MessageType::TurnDiscoveryResponse;
        if ours {
            self.handle_response(message);
        }
        ours
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time passed: ends the exchange without TURN once the wait is over.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|deadline| now >= deadline) {
            self.finish(Err(TurnDiscoveryError::Timeout));
        }
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<TurnOutput> {
        self.outputs.pop_front()
    }

    fn handle_response(&mut self, message: &RoapMessage) {
        match message.message_type {
            MessageType::TurnDiscoveryResponse => {
                let result = TurnInfo::from_message(message).map_err(TurnDiscoveryError::Malformed);
                if result.is_ok() && !message.has_header(HEADER_NO_OK) {
                    self.outputs.push_back(TurnOutput::Send(RoapMessage::ok(0)));
                }
                self.finish(result);
            }
            MessageType::Error => {
                let error = message
                    .error_type
                    .as_ref()
                    .map_or_else(|| "without errorType".to_owned(), ToString::to_string);
                self.finish(Err(TurnDiscoveryError::Remote(error)));
            }
            other => self.finish(Err(TurnDiscoveryError::Malformed(RoapParseError::Json(
                format!("expected TURN_DISCOVERY_RESPONSE, got {other:?}"),
            )))),
        }
    }

    fn finish(&mut self, result: Result<TurnInfo, TurnDiscoveryError>) {
        self.state = TurnState::Finished;
        self.deadline = None;
        self.outputs.push_back(TurnOutput::Finished(result));
    }
}
