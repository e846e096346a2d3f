//! RTC metrics: the connection's statistics sent to the metrics service the way the JS SDK's
//! `RtcMetrics` sends them (`docs/protocol/rtc-metrics.md`). webex-media has no HTTP client:
//! it builds each request and hands it to a [`MetricsSink`] the meeting supplies.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod report;

pub(crate) use report::stats_item;

use serde_json::{Value, json};

/// The catalog service the requests go to.
pub const METRICS_SERVICE: &str = "unifiedTelemetry";
/// The resource, under the service's URL.
pub const METRICS_RESOURCE: &str = "metric/v2";
/// The `appId` header of every request (the JS SDK's RTC metrics application id).
pub const METRICS_APP_ID: &str = "FFB51ED5-4319-4C55-8303-B1F2FCCDE231";
/// The `type` header of every request.
pub const METRICS_TYPE_HEADER: &str = "webrtcMedia";
/// The `version` of the metrics body.
pub const METRICS_VERSION: &str = "1.1.0";
/// How often queued metrics are sent.
pub const METRICS_INTERVAL: Duration = Duration::from_secs(30);
/// When the first metrics are sent after the connection starts (so a short call reports).
pub const METRICS_FIRST_SEND: Duration = Duration::from_secs(5);

/// One `POST {unifiedTelemetry}/metric/v2` to make.
#[derive(Clone, Debug, PartialEq)]
pub struct RtcMetricsRequest {
    /// The request's extra headers (`type`, `appId`).
    pub headers: Vec<(&'static str, &'static str)>,
    /// The JSON body.
    pub body: Value,
}

/// Where the connection's RTC metrics requests go: the meeting POSTs them to
/// [`METRICS_SERVICE`]/[`METRICS_RESOURCE`]. `send` must not block (spawn the request).
pub trait MetricsSink: Send + Sync + 'static {
    /// Sends one request.
    fn send(&self, request: RtcMetricsRequest);
}

/// Who the metrics are about, and where they go.
#[derive(Clone)]
pub struct RtcMetricsConfig {
    /// The sink.
    pub sink: Arc<dyn MetricsSink>,
    /// The user's id (the device registration's `userId`).
    pub user_id: String,
    /// The meeting's id (the SDK's meeting id).
    pub meeting_id: String,
    /// The meeting's correlation id.
    pub correlation_id: String,
}

impl fmt::Debug for RtcMetricsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RtcMetricsConfig")
            .field("user_id", &self.user_id)
            .field("meeting_id", &self.meeting_id)
            .field("correlation_id", &self.correlation_id)
            .finish_non_exhaustive()
    }
}

impl RtcMetricsConfig {
    /// The request carrying `data` (queued `stats-report` items) for the connection
    /// numbered `connection_id` (a new one after each failure of the media connection).
    pub fn request(&self, connection_id: &str, data: Vec<Value>) -> RtcMetricsRequest {
        RtcMetricsRequest {
            headers: vec![("type", METRICS_TYPE_HEADER), ("appId", METRICS_APP_ID)],
            body: json!({
                "metrics": [{
                    "type": "webrtc",
                    "version": METRICS_VERSION,
                    "userId": self.user_id,
                    "correlationId": self.correlation_id,
                    "connectionId": connection_id,
                    "meetingId": self.meeting_id,
                    "data": data,
                }]
            }),
        }
    }
}
