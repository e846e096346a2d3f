//! The sink of a connection's RTC metrics: each request goes to the metrics service
//! (`POST {unifiedTelemetry}/metric/v2`) in its own task, as the JS SDK's `RtcMetrics`
//! sends them. A failure is logged: metrics never disturb the call.

use http::{HeaderName, HeaderValue, Method};
use webex_core::WeakWebex;
use webex_core::http::{Request, Target};
use webex_media::metrics::{METRICS_RESOURCE, METRICS_SERVICE};
use webex_media::{MetricsSink, RtcMetricsRequest};

/// Posts RTC metrics with the client's HTTP stack.
pub(crate) struct HttpMetricsSink {
    pub(crate) webex: WeakWebex,
}

impl MetricsSink for HttpMetricsSink {
    fn send(&self, request: RtcMetricsRequest) {
        let Some(webex) = self.webex.upgrade() else {
            return;
        };
        tokio::spawn(async move {
            let mut req = Request::new(
                Method::POST,
                Target::service(METRICS_SERVICE, METRICS_RESOURCE),
            );
            for (name, value) in request.headers {
                // `appId` has capitals: `from_static` takes only lowercase names, while
                // `from_bytes` lowercases (header names are case-insensitive).
                match (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(value),
                ) {
                    (Ok(name), Ok(value)) => req = req.header(name, value),
                    _ => webex_core::log_warn!(
                        webex.logger(),
                        "meetings: RTC metrics header {name:?} is not a valid header"
                    ),
                }
            }
            let sent = match req.json(&request.body) {
                Ok(req) => webex.http().send(req).await.map(|_| ()),
                Err(err) => Err(err),
            };
            if let Err(err) = sent {
                webex_core::log_warn!(webex.logger(), "meetings: RTC metrics not sent: {err}");
            }
        });
    }
}
