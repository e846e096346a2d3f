//! The client's ROAP state machine, sans-IO: the driver reports local events
//! ([`RoapMachine::initiate_offer`], [`RoapMachine::local_offer_ready`],
//! [`RoapMachine::local_answer_ready`], [`RoapMachine::remote_answer_applied`],
//! [`RoapMachine::local_failure`]) and every remote ROAP message
//! ([`RoapMachine::handle_remote`]), always with the current [`Instant`], carries out what
//! [`RoapMachine::poll_output`] returns, and calls [`RoapMachine::handle_timeout`] when
//! [`RoapMachine::poll_timeout`] is due.
//!
//! The client always wins glare (its tie breaker is the top value a server may send), so a
//! remote offer during its own is refused with `CONFLICT`/`DOUBLECONFLICT`. An offer answered
//! with a retryable error is repeated with the next `seq`, at most [`MAX_RETRIES`] times.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use super::message::{CLIENT_TIE_BREAKER, ErrorType, HEADER_NO_OK, MessageType, RoapMessage};

/// How many times an offer is repeated after retryable errors.
pub const MAX_RETRIES: u32 = 2;
/// How long a local offer may take to be answered and applied.
pub const OFFER_ANSWER_TIMEOUT: Duration = Duration::from_secs(35);
/// The largest `retryAfter` (seconds) sent when refusing a second remote offer.
pub const MAX_RETRY_AFTER: u32 = 10;

/// Where the machine is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoapState {
    /// No transaction.
    Idle,
    /// The driver is creating a local offer.
    CreatingLocalOffer,
    /// The offer was sent; its answer is awaited.
    WaitingForAnswer,
    /// The driver is applying the remote answer.
    SettingRemoteAnswer,
    /// The driver is applying a remote offer and creating the answer.
    SettingRemoteOffer,
    /// The answer was sent; the remote `OK` is awaited.
    WaitingForOk,
    /// The remote side failed the transaction (terminal).
    RemoteError,
    /// The local WebRTC side failed (terminal).
    BrowserError,
    /// The offer was not answered in time (terminal).
    TimedOut,
}

impl RoapState {
    /// Whether the machine takes no more input.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::RemoteError | Self::BrowserError | Self::TimedOut
        )
    }
}

/// Why the negotiation failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoapFailure {
    /// The remote side answered with an error that is not retried.
    Remote {
        /// The error's type.
        error_type: ErrorType,
        /// The error's cause, if given.
        cause: Option<String>,
    },
    /// The offer got retryable errors [`MAX_RETRIES`] + 1 times in a row.
    RetriesExhausted {
        /// The last error's type.
        error_type: ErrorType,
    },
    /// The local WebRTC side failed (creating an offer or answer, applying an SDP).
    Local(String),
    /// No answer was applied within [`OFFER_ANSWER_TIMEOUT`] of the offer's start.
    Timeout,
}

impl fmt::Display for RoapFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Remote { error_type, cause } => {
                write!(
                    f,
                    "the remote side failed the ROAP transaction with {error_type}"
                )?;
                cause
                    .as_ref()
                    .map_or(Ok(()), |cause| write!(f, " ({cause})"))
            }
            Self::RetriesExhausted { error_type } => write!(
                f,
                "the offer failed with {error_type} after {MAX_RETRIES} retries"
            ),
            Self::Local(reason) => write!(f, "the local media connection failed: {reason}"),
            Self::Timeout => write!(f, "no ROAP answer within {OFFER_ANSWER_TIMEOUT:?}"),
        }
    }
}

impl std::error::Error for RoapFailure {}

/// Why a remote message changed nothing (for logs; none of these needs an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ignored {
    /// An `ERROR` with a `seq` below the current one.
    StaleError,
    /// A message that does not fit the current state.
    Unexpected {
        /// The state.
        state: RoapState,
        /// The message's type.
        message_type: MessageType,
    },
    /// The machine is in a terminal state.
    Terminated,
}

/// What the machine tells its driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoapOutput {
    /// A negotiation started (gate other media changes until [`RoapOutput::Done`]).
    Started,
    /// Send this message to Locus (`PUT {selfUrl}/media`, wrapped in `localSdp`).
    Send(RoapMessage),
    /// Create a local offer and report it with [`RoapMachine::local_offer_ready`].
    CreateOffer,
    /// Apply this remote answer and report with [`RoapMachine::remote_answer_applied`].
    ApplyAnswer(String),
    /// Apply this remote offer, create the answer, and report it with
    /// [`RoapMachine::local_answer_ready`].
    ApplyOffer(String),
    /// The negotiation finished.
    Done,
    /// The negotiation failed; the machine is terminal.
    Failed(RoapFailure),
    /// A remote message changed nothing.
    Ignored(Ignored),
}

/// A call that cannot be made in the machine's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotExpected {
    /// The state the call was made in.
    pub state: RoapState,
    /// The call.
    pub call: &'static str,
}

impl fmt::Display for NotExpected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not expected in ROAP state {:?}",
            self.call, self.state
        )
    }
}

impl std::error::Error for NotExpected {}

/// One media connection's ROAP negotiation.
#[derive(Debug)]
pub struct RoapMachine {
    state: RoapState,
    seq: u64,
    /// An offer was asked for while busy: redo (while creating) or replay at idle.
    pending_local_offer: bool,
    /// The offer being created answers an `OFFER_REQUEST` (sent as `OFFER_RESPONSE`).
    handling_offer_request: bool,
    retries: u32,
    ok_in_transaction: bool,
    deadline: Option<Instant>,
    outputs: VecDeque<RoapOutput>,
    rng: fastrand::Rng,
}

impl RoapMachine {
    /// A machine for a new connection (`seq` 0: its first offer is `seq` 1); `seed` draws the
    /// `retryAfter` of refused second offers.
    pub fn new(seed: u64) -> Self {
        Self::with_seq(0, seed)
    }

    /// A machine continuing at `seq` (a reconnect keeps its counter).
    pub fn with_seq(seq: u64, seed: u64) -> Self {
        RoapMachine {
            state: RoapState::Idle,
            seq,
            pending_local_offer: false,
            handling_offer_request: false,
            retries: 0,
            ok_in_transaction: true,
            deadline: None,
            outputs: VecDeque::new(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Where the machine is.
    pub fn state(&self) -> RoapState {
        self.state
    }

    /// The current sequence number.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<RoapOutput> {
        self.outputs.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due: the offer/answer deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time passed: fails the negotiation once the offer/answer deadline is over.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|deadline| now >= deadline) && !self.state.is_terminal() {
            self.fail(RoapState::TimedOut, RoapFailure::Timeout);
        }
    }

    /// Starts a local offer; queued when a negotiation is under way.
    ///
    /// # Errors
    ///
    /// [`NotExpected`] once the machine is terminal.
    pub fn initiate_offer(&mut self, now: Instant) -> Result<(), NotExpected> {
        match self.state {
            RoapState::Idle => {
                self.start_local_offer(now);
                Ok(())
            }
            state if state.is_terminal() => Err(NotExpected {
                state,
                call: "initiate_offer",
            }),
            _ => {
                self.pending_local_offer = true;
                Ok(())
            }
        }
    }

    /// The local offer the driver created.
    ///
    /// # Errors
    ///
    /// [`NotExpected`] unless an offer was asked for.
    pub fn local_offer_ready(&mut self, sdp: String) -> Result<(), NotExpected> {
        self.expect(RoapState::CreatingLocalOffer, "local_offer_ready")?;
        if std::mem::take(&mut self.pending_local_offer) {
            // Asked again while this one was made: it may be stale, make a fresh one.
            self.outputs.push_back(RoapOutput::CreateOffer);
            return Ok(());
        }
        let message = if std::mem::take(&mut self.handling_offer_request) {
            RoapMessage::offer_response(self.seq, sdp)
        } else {
            RoapMessage::offer(self.seq, sdp)
        };
        self.send(message);
        self.state = RoapState::WaitingForAnswer;
        Ok(())
    }

    /// The remote answer was applied: ends the transaction.
    ///
    /// # Errors
    ///
    /// [`NotExpected`] unless an answer was being applied.
    pub fn remote_answer_applied(&mut self, now: Instant) -> Result<(), NotExpected> {
        self.expect(RoapState::SettingRemoteAnswer, "remote_answer_applied")?;
        if self.ok_in_transaction {
            self.send(RoapMessage::ok(self.seq));
        }
        self.finish(now);
        Ok(())
    }

    /// The answer the driver created for a remote offer.
    ///
    /// # Errors
    ///
    /// [`NotExpected`] unless a remote offer was being applied.
    pub fn local_answer_ready(&mut self, sdp: String) -> Result<(), NotExpected> {
        self.expect(RoapState::SettingRemoteOffer, "local_answer_ready")?;
        self.send(RoapMessage::answer(self.seq, sdp));
        self.state = RoapState::WaitingForOk;
        Ok(())
    }

    /// The local WebRTC side failed: the remote side is told `FAILED` when it awaits our
    /// reply to its SDP, and the machine ends.
    pub fn local_failure(&mut self, reason: impl Into<String>) {
        if self.state.is_terminal() {
            return;
        }
        if matches!(
            self.state,
            RoapState::SettingRemoteOffer | RoapState::SettingRemoteAnswer
        ) {
            self.send(RoapMessage::error(self.seq, ErrorType::Failed));
        }
        self.fail(RoapState::BrowserError, RoapFailure::Local(reason.into()));
    }

    /// A ROAP message from the server (HTTP response or Mercury).
    pub fn handle_remote(&mut self, message: RoapMessage, now: Instant) {
        if self.state.is_terminal() {
            return self.ignore(Ignored::Terminated);
        }
        if message.seq < self.seq {
            return if message.message_type == MessageType::Error {
                self.ignore(Ignored::StaleError)
            } else {
                self.send(RoapMessage::error(message.seq, ErrorType::OutOfOrder))
            };
        }
        use MessageType as M;
        use RoapState as S;
        match (self.state, message.message_type) {
            (S::Idle, M::Offer | M::OfferRequest) if message.seq == self.seq => {
                self.send(RoapMessage::error(message.seq, ErrorType::OutOfOrder));
            }
            (S::Idle, M::Offer) => {
                self.seq = message.seq;
                self.outputs.push_back(RoapOutput::Started);
                self.state = S::SettingRemoteOffer;
                self.outputs
                    .push_back(RoapOutput::ApplyOffer(message.sdp.unwrap_or_default()));
            }
            (S::Idle, M::OfferRequest) => {
                self.seq = message.seq;
                self.handling_offer_request = true;
                self.outputs.push_back(RoapOutput::Started);
                self.create_offer(now);
            }
            (S::Idle, M::Answer) if message.seq == self.seq => self.send(RoapMessage::ok(self.seq)),
            (S::Idle, M::Answer | M::Ok) => {
                self.send(RoapMessage::error(message.seq, ErrorType::InvalidState));
            }
            (S::CreatingLocalOffer | S::WaitingForAnswer, M::Offer | M::OfferRequest) => {
                // Glare: the client always wins.
                let error = if message.tie_breaker == Some(CLIENT_TIE_BREAKER) {
                    ErrorType::DoubleConflict
                } else {
                    ErrorType::Conflict
                };
                self.send(RoapMessage::error(message.seq, error));
            }
            (S::WaitingForAnswer, M::Answer) => {
                self.retries = 0;
                self.seq = message.seq;
                self.ok_in_transaction = !message.has_header(HEADER_NO_OK);
                self.state = S::SettingRemoteAnswer;
                self.outputs
                    .push_back(RoapOutput::ApplyAnswer(message.sdp.unwrap_or_default()));
            }
            (S::WaitingForAnswer, M::Error) if message.seq == self.seq => {
                self.offer_error(message, now);
            }
            (S::SettingRemoteOffer, M::Offer) if message.seq > self.seq => {
                let mut refusal = RoapMessage::error(message.seq, ErrorType::Failed);
                refusal.retry_after = Some(self.rng.u32(0..=MAX_RETRY_AFTER));
                self.send(refusal);
            }
            (S::WaitingForOk, M::Ok) => {
                self.seq = message.seq;
                self.finish(now);
            }
            (S::WaitingForOk, M::Error) if message.seq == self.seq => {
                self.remote_error(message);
            }
            (state, message_type) => self.ignore(Ignored::Unexpected {
                state,
                message_type,
            }),
        }
    }

    fn offer_error(&mut self, message: RoapMessage, now: Instant) {
        let error_type = message.error_type.clone().unwrap_or(ErrorType::Failed);
        if !error_type.is_retryable() {
            return self.remote_error(message);
        }
        if self.retries >= MAX_RETRIES {
            return self.fail(
                RoapState::RemoteError,
                RoapFailure::RetriesExhausted { error_type },
            );
        }
        self.retries += 1;
        self.seq += 1;
        self.create_offer(now);
    }

    fn remote_error(&mut self, message: RoapMessage) {
        let failure = RoapFailure::Remote {
            error_type: message.error_type.unwrap_or(ErrorType::Failed),
            cause: message.error_cause,
        };
        self.fail(RoapState::RemoteError, failure);
    }

    fn start_local_offer(&mut self, now: Instant) {
        self.seq += 1;
        self.outputs.push_back(RoapOutput::Started);
        self.create_offer(now);
    }

    fn create_offer(&mut self, now: Instant) {
        self.state = RoapState::CreatingLocalOffer;
        // One deadline for the whole exchange, retries included.
        self.deadline.get_or_insert(now + OFFER_ANSWER_TIMEOUT);
        self.outputs.push_back(RoapOutput::CreateOffer);
    }

    fn finish(&mut self, now: Instant) {
        self.state = RoapState::Idle;
        self.deadline = None;
        self.outputs.push_back(RoapOutput::Done);
        if std::mem::take(&mut self.pending_local_offer) {
            self.start_local_offer(now);
        }
    }

    fn fail(&mut self, state: RoapState, failure: RoapFailure) {
        self.state = state;
        self.deadline = None;
        self.pending_local_offer = false;
        self.outputs.push_back(RoapOutput::Failed(failure));
    }

    fn send(&mut self, message: RoapMessage) {
        self.outputs.push_back(RoapOutput::Send(message));
    }

    fn ignore(&mut self, why: Ignored) {
        self.outputs.push_back(RoapOutput::Ignored(why));
    }

    fn expect(&self, state: RoapState, call: &'static str) -> Result<(), NotExpected> {
        if self.state == state {
            Ok(())
        } else {
            Err(NotExpected {
                state: self.state,
                call,
            })
        }
    }
}
