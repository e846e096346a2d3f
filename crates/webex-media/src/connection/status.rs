//! Where the negotiation and the connection are, for the calls that wait on them
//! ([`negotiated`](super::MediaConnection::negotiated),
//! [`connected`](super::MediaConnection::connected)).

use tokio::sync::watch;

use super::event::ConnectionState;
use crate::error::MediaError;
use crate::roap::RoapFailure;

/// The ROAP negotiation's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Negotiation {
    /// None started yet.
    Idle,
    /// One is under way.
    Running,
    /// The last one finished.
    Done,
    /// It failed for good.
    Failed(RoapFailure),
}

/// The connection's status: its state and, when failed, why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Connection {
    pub(super) state: ConnectionState,
    pub(super) failure: Option<String>,
}

/// Both statuses, published by the driver.
#[derive(Debug)]
pub(super) struct Status {
    pub(super) negotiation: watch::Sender<Negotiation>,
    pub(super) connection: watch::Sender<Connection>,
}

impl Status {
    pub(super) fn new() -> Self {
        Status {
            negotiation: watch::Sender::new(Negotiation::Idle),
            connection: watch::Sender::new(Connection {
                state: ConnectionState::New,
                failure: None,
            }),
        }
    }

    /// Waits until no negotiation is under way.
    pub(super) async fn negotiated(&self) -> Result<(), MediaError> {
        let mut receiver = self.negotiation.subscribe();
        let negotiation = receiver
            .wait_for(|n| *n != Negotiation::Running)
            .await
            .map_err(|_| MediaError::Closed)?;
        match &*negotiation {
            Negotiation::Failed(failure) => Err(MediaError::Roap(failure.clone())),
            _ => Ok(()),
        }
    }

    /// Waits until connected, failed or closed.
    pub(super) async fn connected(&self) -> Result<(), MediaError> {
        let mut receiver = self.connection.subscribe();
        let connection = receiver
            .wait_for(|c| {
                matches!(
                    c.state,
                    ConnectionState::Connected | ConnectionState::Failed | ConnectionState::Closed
                )
            })
            .await
            .map_err(|_| MediaError::Closed)?;
        match connection.state {
            ConnectionState::Connected => Ok(()),
            ConnectionState::Failed => Err(MediaError::IceFailed(
                connection.failure.clone().unwrap_or_default(),
            )),
            _ => Err(MediaError::Closed),
        }
    }
}
