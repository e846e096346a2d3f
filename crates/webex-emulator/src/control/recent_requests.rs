//! The request panel's two reads of the request log
//! ([`super::requests`]): the recent requests as a list, and every request
//! answered from now on as a server-sent event stream.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::{Json, Router};
use futures::Stream;
use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};

use super::Control;
use super::requests::{Answered, RecentRequest};
use crate::kit::lock;

/// The admin operations of this module.
pub(crate) const OPERATIONS: &[&str] = &[
    "GET /_emulator/requests/recent",
    "GET /_emulator/requests/stream",
];

/// How often an idle stream sends a comment, so proxies and browsers keep
/// it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The routes of this module.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/requests/recent", get(recent))
        .route("/_emulator/requests/stream", get(stream))
        .with_state(control)
}

impl Control {
    /// The last requests (at most [`super::requests::RECENT_CAPACITY`]),
    /// oldest first.
    pub(crate) fn recent_requests(&self) -> Vec<RecentRequest> {
        lock(&self.requests).recent()
    }
}

/// `GET /_emulator/requests/recent`: `{"items": [...]}`, newest last.
async fn recent(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.recent_requests()}))
}

/// `GET /_emulator/requests/stream`: a `text/event-stream` of `request`
/// events (data: one item of the recent list) for every request answered
/// from now on. When the reader falls too far behind, a `lagged` event
/// (data: how many it missed) says to read the recent list again. The
/// stream ends when the emulator stops.
async fn stream(
    State(control): State<Arc<Control>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = lock(&control.requests).subscribe();
    let stop = control.state.shutdown.subscribe();
    Sse::new(events(receiver, stop)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}

/// The events of one reader, until `stop` turns true (or its sender is gone).
fn events(
    receiver: broadcast::Receiver<Answered>,
    stop: watch::Receiver<bool>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold((receiver, stop), |(mut receiver, mut stop)| async move {
        let event = tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => return None,
            received = receiver.recv() => match received {
                Ok(request) => request_event(&request.to_recent()),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    Event::default().event("lagged").data(missed.to_string())
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        };
        Some((Ok(event), (receiver, stop)))
    })
}

/// A `request` event carrying `request` as JSON.
fn request_event(request: &RecentRequest) -> Event {
    let data = serde_json::to_string(request).unwrap_or_else(|_| "{}".to_owned());
    Event::default()
        .event("request")
        .id(request.seq.to_string())
        .data(data)
}
