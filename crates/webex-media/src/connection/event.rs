//! What a connection tells its owner: [`MediaEvent`]s, delivered to every [`MediaEvents`]
//! stream through the [`EventHub`].

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use futures::Stream;
use tokio::sync::mpsc;

use crate::roap::{RoapFailure, RoapMessage};

/// How many events a [`MediaEvents`] stream holds before the slowest are counted as missed
/// (ROAP messages are never missed: the connection waits for room).
const EVENTS_CAPACITY: usize = 64;

/// The state of the ICE/DTLS connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionState {
    /// No answer applied yet.
    New,
    /// An answer was applied; ICE and DTLS are connecting.
    Connecting,
    /// Media can flow.
    Connected,
    /// The connection was lost (it may come back).
    Disconnected,
    /// The connection failed for good (ICE never connected, or broke).
    Failed,
    /// The connection was closed.
    Closed,
}

/// Something that happened on a media connection.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MediaEvent {
    /// Send this ROAP message to Locus (`PUT {selfUrl}/media`, in `LocalSdp::roap`).
    Roap(RoapMessage),
    /// A negotiation started.
    RoapStarted,
    /// A negotiation finished (the answer is applied).
    RoapDone,
    /// A negotiation failed for good.
    RoapFailed(RoapFailure),
    /// The connection's state changed.
    ConnectionState(ConnectionState),
    /// The first remote audio packet arrived.
    FirstAudioReceived,
    /// The first remote video frame arrived.
    FirstVideoReceived {
        /// On the share m-line.
        share: bool,
    },
    /// This stream was too slow: this many events before this one were dropped (never ROAP
    /// messages).
    Lagged {
        /// Events dropped.
        missed: u64,
    },
}

/// A stream of a connection's [`MediaEvent`]s (one per [`events`](super::MediaConnection::events)
/// call). It ends when the connection is closed.
#[derive(Debug)]
pub struct MediaEvents {
    receiver: mpsc::Receiver<MediaEvent>,
}

impl Stream for MediaEvents {
    type Item = MediaEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<MediaEvent>> {
        self.receiver.poll_recv(cx)
    }
}

/// One subscriber and how many events it missed.
#[derive(Debug)]
struct Subscriber {
    sender: mpsc::Sender<MediaEvent>,
    missed: u64,
}

#[derive(Debug, Default)]
struct HubState {
    subscribers: Vec<Subscriber>,
    /// Events emitted before anyone subscribed; the first subscriber gets them.
    backlog: VecDeque<MediaEvent>,
    subscribed: bool,
    closed: bool,
}

/// Fans events out to the subscribers.
#[derive(Debug, Default)]
pub(crate) struct EventHub {
    state: Mutex<HubState>,
}

impl EventHub {
    /// A new stream of the events emitted from now on (the first one also gets the events
    /// emitted before it).
    pub(crate) fn subscribe(&self) -> MediaEvents {
        let mut state = crate::lock(&self.state);
        let backlog = if state.subscribed {
            VecDeque::new()
        } else {
            state.subscribed = true;
            std::mem::take(&mut state.backlog)
        };
        let (sender, receiver) = mpsc::channel(EVENTS_CAPACITY.max(backlog.len()));
        for event in backlog {
            // The channel has room for the whole backlog.
            let _ = sender.try_send(event);
        }
        if !state.closed {
            state.subscribers.push(Subscriber { sender, missed: 0 });
        }
        MediaEvents { receiver }
    }

    /// Delivers `event` to every subscriber; ROAP messages wait for room, other events are
    /// counted as missed on a full stream (and reported as [`MediaEvent::Lagged`] next).
    pub(crate) async fn emit(&self, event: MediaEvent) {
        let must_deliver = matches!(event, MediaEvent::Roap(_));
        let mut waiting = Vec::new();
        {
            let mut state = crate::lock(&self.state);
            if !state.subscribed {
                state.backlog.push_back(event);
                return;
            }
            state.subscribers.retain_mut(|subscriber| {
                if subscriber.missed > 0 {
                    let lagged = MediaEvent::Lagged {
                        missed: subscriber.missed,
                    };
                    if subscriber.sender.try_send(lagged).is_ok() {
                        subscriber.missed = 0;
                    }
                }
                match subscriber.sender.try_send(event.clone()) {
                    Ok(()) => true,
                    Err(mpsc::error::TrySendError::Closed(_)) => false,
                    Err(mpsc::error::TrySendError::Full(event)) => {
                        if must_deliver {
                            waiting.push((subscriber.sender.clone(), event));
                        } else {
                            subscriber.missed += 1;
                        }
                        true
                    }
                }
            });
        }
        for (sender, event) in waiting {
            // A dropped stream no longer needs it.
            let _ = sender.send(event).await;
        }
    }

    /// Ends every stream (after the events already in them).
    pub(crate) fn close(&self) {
        let mut state = crate::lock(&self.state);
        state.closed = true;
        state.subscribers.clear();
    }
}
