//! The request log: how many requests arrived per path, so tests can assert
//! on retries and refreshes, and the most recent ones in full, for the chat
//! page's request panel (`GET /_emulator/requests/recent` and its live
//! stream, [`super::request_stream`]).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use tokio::sync::broadcast;

use super::Control;
use super::routes::is_admin_path;
use crate::kit::clock;
use crate::kit::lock;
use crate::kit::tracking::TrackingId;

/// How many recent requests the log keeps; older ones are dropped first.
pub(crate) const RECENT_CAPACITY: usize = 500;

/// How many requests a slow live subscriber may fall behind before it is
/// told to read the recent list again.
const LIVE_BACKLOG: usize = 256;

/// One request as the request panel shows it; an item of
/// `GET /_emulator/requests/recent`.
///
/// Wire form: `{"seq", "time", "method", "path", "status", "trackingId",
/// "durationMs"}`. The path carries no query string, so no token or code
/// sent in a query reaches the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentRequest {
    /// Its number in arrival order, from 1: a reader that polls or streams
    /// skips what it already has.
    pub seq: u64,
    /// When it arrived (RFC 3339, milliseconds, UTC).
    pub time: String,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The status it was answered with, a fault's included.
    pub status: u16,
    /// The tracking id it was answered with (the client's own, or the one
    /// the emulator made up).
    pub tracking_id: String,
    /// How long the emulator took to answer, in milliseconds.
    pub duration_ms: f64,
}

/// One answered request as the middleware records it: what it costs per
/// request is a few reference counts, the text is made when someone reads it.
#[derive(Clone, Debug)]
pub(crate) struct Answered {
    /// Its number, set by [`RequestLog::answered`].
    seq: u64,
    time: SystemTime,
    method: Method,
    uri: Uri,
    status: u16,
    tracking_id: Option<HeaderValue>,
    duration: Duration,
}

impl Answered {
    /// A request that arrived at `time` and was answered with `status`
    /// after `duration`.
    pub(crate) fn new(
        request: (SystemTime, Method, Uri, Option<HeaderValue>),
        status: u16,
        duration: Duration,
    ) -> Self {
        let (time, method, uri, tracking_id) = request;
        Self {
            seq: 0,
            time,
            method,
            uri,
            status,
            tracking_id,
            duration,
        }
    }

    /// As the request panel shows it.
    pub(crate) fn to_recent(&self) -> RecentRequest {
        RecentRequest {
            seq: self.seq,
            time: clock::rfc3339_millis(self.time),
            method: self.method.to_string(),
            path: self.uri.path().to_owned(),
            status: self.status,
            tracking_id: self
                .tracking_id
                .as_ref()
                .map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
                .unwrap_or_default(),
            duration_ms: self.duration.as_secs_f64() * 1000.0,
        }
    }
}

/// The non-admin requests that arrived: a count per exact path, and the
/// last [`RECENT_CAPACITY`] in full.
///
/// Counts per distinct path rather than a list of every request, so a
/// long-running emulator does not grow with traffic, only with the number of
/// resources.
pub(crate) struct RequestLog {
    per_path: HashMap<String, usize>,
    recent: VecDeque<Answered>,
    capacity: usize,
    last_seq: u64,
    live: broadcast::Sender<Answered>,
}

impl Default for RequestLog {
    fn default() -> Self {
        Self::with_capacity(RECENT_CAPACITY)
    }
}

impl RequestLog {
    /// A log keeping the last `capacity` requests in full.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            per_path: HashMap::new(),
            recent: VecDeque::with_capacity(capacity),
            capacity,
            last_seq: 0,
            live: broadcast::Sender::new(LIVE_BACKLOG),
        }
    }

    /// Counts one request for `path`.
    pub(crate) fn record(&mut self, path: &str) {
        *self.per_path.entry(path.to_owned()).or_default() += 1;
    }

    /// How many recorded requests had a path starting with `prefix`.
    pub(crate) fn count(&self, prefix: &str) -> usize {
        self.per_path
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, count)| count)
            .sum()
    }

    /// Keeps an answered request (dropping the oldest past the capacity)
    /// and hands it to the live subscribers.
    pub(crate) fn answered(&mut self, mut request: Answered) {
        self.last_seq += 1;
        request.seq = self.last_seq;
        if self.recent.len() == self.capacity {
            self.recent.pop_front();
        }
        // Nobody listening is the usual case, not an error.
        let _ = self.live.send(request.clone());
        if self.capacity > 0 {
            self.recent.push_back(request);
        }
    }

    /// The kept requests, oldest first.
    pub(crate) fn recent(&self) -> Vec<RecentRequest> {
        self.recent.iter().map(Answered::to_recent).collect()
    }

    /// A receiver of every request answered from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Answered> {
        self.live.subscribe()
    }
}

/// Middleware: counts every non-admin request before faults can answer it,
/// so a request that a fault rejected still counts as received, and logs it
/// with its answer.
pub(crate) async fn middleware(
    State(control): State<Arc<Control>>,
    request: Request,
    next: Next,
) -> Response {
    if is_admin_path(request.uri().path()) {
        return next.run(request).await;
    }
    lock(&control.requests).record(request.uri().path());
    let started = Instant::now();
    let arrived = (
        SystemTime::now(),
        request.method().clone(),
        request.uri().clone(),
        request
            .extensions()
            .get::<TrackingId>()
            .map(|tracking| tracking.0.clone()),
    );
    let response = next.run(request).await;
    let answered = Answered::new(arrived, response.status().as_u16(), started.elapsed());
    lock(&control.requests).answered(answered);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> Answered {
        let uri = format!("{path}?secret=1").parse().unwrap();
        let tracking = Some(HeaderValue::from_static("T_1"));
        let arrived = (SystemTime::UNIX_EPOCH, Method::GET, uri, tracking);
        Answered::new(arrived, 200, Duration::from_micros(1500))
    }

    #[test]
    fn counts_by_prefix() {
        let mut log = RequestLog::default();
        log.record("/v1/people/me");
        log.record("/v1/people/me");
        log.record("/v1/people/abc");
        log.record("/u2c/api/v1/catalog");
        assert_eq!(log.count("/v1/people/me"), 2);
        assert_eq!(log.count("/v1/"), 3);
        assert_eq!(log.count(""), 4);
        assert_eq!(log.count("/wdm"), 0);
    }

    #[test]
    fn the_recent_list_is_a_ring_numbered_in_arrival_order() {
        let mut log = RequestLog::with_capacity(3);
        for n in 1..=5 {
            log.answered(request(&format!("/v1/{n}")));
        }
        let recent = log.recent();
        let seen: Vec<(u64, &str)> = recent.iter().map(|r| (r.seq, r.path.as_str())).collect();
        assert_eq!(seen, [(3, "/v1/3"), (4, "/v1/4"), (5, "/v1/5")]);
        // The counts are kept apart from the ring.
        assert_eq!(log.count(""), 0);
    }

    #[test]
    fn live_subscribers_get_what_is_answered_after_they_subscribe() {
        let mut log = RequestLog::with_capacity(2);
        log.answered(request("/before"));
        let mut live = log.subscribe();
        log.answered(request("/after"));
        let got = live.try_recv().unwrap().to_recent();
        assert_eq!(
            got,
            RecentRequest {
                seq: 2,
                time: "1970-01-01T00:00:00.000Z".to_owned(),
                method: "GET".to_owned(),
                path: "/after".to_owned(),
                status: 200,
                tracking_id: "T_1".to_owned(),
                duration_ms: 1.5,
            }
        );
        assert!(live.try_recv().is_err());
    }
}
