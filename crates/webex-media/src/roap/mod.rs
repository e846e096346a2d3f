//! ROAP, the offer/answer protocol Locus speaks (`docs/protocol/roap.md`): the messages, the
//! JSON strings and Mercury events they ride in, the client's state machine, and TURN discovery.

mod error;
mod event;
mod machine;
mod message;
mod turn;
mod wrapper;

pub use error::RoapParseError;
pub use event::{ROAP_EVENT_TYPE, RoapEvent};
pub use machine::{
    Ignored, MAX_RETRIES, MAX_RETRY_AFTER, NotExpected, OFFER_ANSWER_TIMEOUT, RoapFailure,
    RoapMachine, RoapOutput, RoapState,
};
pub use message::{
    CLIENT_TIE_BREAKER, ErrorType, HEADER_INCLUDE_ANSWER, HEADER_NO_OK, MessageType, ROAP_VERSION,
    RoapMessage,
};
pub use turn::{
    TURN_RESPONSE_WAIT, TurnDiscovery, TurnDiscoveryError, TurnInfo, TurnOutput, TurnState,
};
pub use wrapper::{LocalSdp, RemoteSdp};

#[cfg(test)]
mod tests;
