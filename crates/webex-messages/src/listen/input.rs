//! What a `listen()` stream reacts to, in one stream: Mercury's events (or its errors) and
//! the connection coming back after a reconnect, watched on `webex.mercury().state()`.

use futures::StreamExt;
use futures::future::ready;
use futures::stream::{self, BoxStream, PollNext};
use tokio::sync::watch;
use webex_mercury::{ConnectionState, EventError, MercuryEvent};

use super::ListenError;

/// One thing to react to.
#[derive(Debug)]
pub(crate) enum Input {
    /// An event from the socket, or what Mercury reported instead of one.
    Event(Result<MercuryEvent, ListenError>),
    /// The socket is `Connected` again after having been down: events may have been missed.
    Reconnected,
}

/// Mercury's events and the reconnects, interleaved as they happen. The stream ends when
/// Mercury's event stream ends (disconnect, fatal close, client dropped), whatever the state.
///
/// `state` must have seen the current state already (a fresh `subscribe()` after
/// `connect()`): every later change that lands on `Connected` is a reconnect. A `watch` may
/// fold several changes into one, so two quick reconnects can be reported once; a backfill
/// covers both.
///
/// A reconnect comes out before any event that is ready with it: Mercury's driver reports
/// `Connected` before it hands on the new socket's first event, so every event processed
/// before the reconnect was received before it, and the backfill starts from the last event
/// of the old socket, not from one of the new.
pub(crate) fn inputs(
    events: BoxStream<'static, Result<MercuryEvent, EventError>>,
    state: watch::Receiver<ConnectionState>,
) -> BoxStream<'static, Input> {
    let reconnects = stream::unfold(state, |mut state| async move {
        loop {
            state.changed().await.ok()?;
            if matches!(*state.borrow_and_update(), ConnectionState::Connected) {
                return Some((Some(Input::Reconnected), state));
            }
        }
    });
    // `None` marks the end of the events, which ends the merged stream too.
    let events = events
        .map(|event| Some(Input::Event(event.map_err(from_mercury))))
        .chain(stream::once(ready(None)));
    stream::select_with_strategy(reconnects, events, |_: &mut ()| PollNext::Left)
        .take_while(|input| ready(input.is_some()))
        .filter_map(ready)
        .boxed()
}

/// Mercury's error items, as `listen()` reports them.
fn from_mercury(error: EventError) -> ListenError {
    match error {
        EventError::Lagged { missed } => ListenError::Lagged { missed },
        EventError::Malformed { id, reason } => ListenError::Malformed { id, reason },
        // A kind this version does not know yet: still reported, never dropped.
        other => ListenError::Malformed {
            id: None,
            reason: other.to_string(),
        },
    }
}
