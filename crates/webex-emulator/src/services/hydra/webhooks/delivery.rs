//! Sending webhook deliveries: one background worker posts them in order,
//! so API calls never wait for a target and a failing target breaks
//! nothing (the attempt is logged and kept in the delivery log).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use tokio::sync::mpsc;

use tokio::sync::watch;

use crate::kit::clock;
use crate::kit::lock;

/// How long one delivery may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// How many attempts the log keeps.
const LOG_LIMIT: usize = 1000;

/// The header carrying the body's signature.
pub(crate) const SIGNATURE: &str = "x-spark-signature";

/// One delivery to send.
#[derive(Debug)]
pub(crate) struct Delivery {
    pub(crate) webhook_id: String,
    pub(crate) target_url: String,
    pub(crate) resource: &'static str,
    pub(crate) event: &'static str,
    pub(crate) body: Vec<u8>,
    pub(crate) signature: Option<String>,
}

/// One delivery attempt, as `GET /_emulator/webhooks/deliveries` and
/// [`crate::Emulator::webhook_deliveries`] report it.
///
/// Wire form: `{"webhookId", "targetUrl", "resource", "event", "status",
/// "error", "signature", "body", "sentAt"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// The webhook's Hydra id.
    pub webhook_id: String,
    /// Where it was sent.
    pub target_url: String,
    /// `messages`, `memberships`, `rooms` or `attachmentActions`.
    pub resource: String,
    /// `created`, `updated` or `deleted`.
    pub event: String,
    /// The target's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Why the delivery failed, when it did not get an answer.
    pub error: Option<String>,
    /// The `X-Spark-Signature` sent, when the webhook has a secret.
    pub signature: Option<String>,
    /// The JSON body sent.
    pub body: String,
    /// When it was sent, RFC 3339.
    pub sent_at: String,
}

/// The queue to the worker and the log of attempts.
pub(crate) struct Deliveries {
    sender: mpsc::UnboundedSender<Delivery>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<Delivery>>>,
    log: Mutex<VecDeque<WebhookDelivery>>,
}

impl Default for Deliveries {
    fn default() -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        Self {
            sender,
            receiver: Mutex::new(Some(receiver)),
            log: Mutex::new(VecDeque::new()),
        }
    }
}

impl Deliveries {
    /// Queues a delivery; never blocks.
    pub(crate) fn queue(&self, delivery: Delivery) {
        if self.sender.send(delivery).is_err() {
            tracing::warn!("webhook worker is gone; delivery dropped");
        }
    }

    /// The attempts so far, oldest first.
    pub(crate) fn log(&self) -> Vec<WebhookDelivery> {
        lock(&self.log).iter().cloned().collect()
    }

    /// Forgets the attempts so far.
    pub(crate) fn clear_log(&self) {
        lock(&self.log).clear();
    }

    fn record(&self, attempt: WebhookDelivery) {
        let mut log = lock(&self.log);
        if log.len() == LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(attempt);
    }
}

/// Lower-case hex HMAC-SHA1 of `body` keyed with `secret`, as Webex signs
/// deliveries.
pub(crate) fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    match <Hmac<Sha1> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Starts the worker that sends queued deliveries, until shutdown.
pub(crate) fn spawn_worker(deliveries: Arc<Deliveries>, mut stop: watch::Receiver<bool>) {
    let Some(mut receiver) = lock(&deliveries.receiver).take() else {
        return;
    };
    tokio::spawn(async move {
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        loop {
            let delivery = tokio::select! {
                delivery = receiver.recv() => delivery,
                _ = stop.wait_for(|stopped| *stopped) => None,
            };
            let Some(delivery) = delivery else { break };
            let (status, error) = send(&client, &delivery).await;
            if let Some(error) = &error {
                tracing::warn!(target = %delivery.target_url, %error, "webhook delivery failed");
            }
            deliveries.record(WebhookDelivery {
                webhook_id: delivery.webhook_id,
                target_url: delivery.target_url,
                resource: delivery.resource.to_owned(),
                event: delivery.event.to_owned(),
                status,
                error,
                signature: delivery.signature,
                body: String::from_utf8_lossy(&delivery.body).into_owned(),
                sent_at: clock::rfc3339_millis(SystemTime::now()),
            });
        }
    });
}

/// Posts one delivery; returns the status or why there is none.
async fn send(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    delivery: &Delivery,
) -> (Option<u16>, Option<String>) {
    if !delivery.target_url.starts_with("http://") {
        return (
            None,
            Some("the emulator delivers only to plain http:// targets".to_owned()),
        );
    }
    let mut builder = http::Request::post(&delivery.target_url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "webex-emulator webhook");
    if let Some(signature) = &delivery.signature {
        builder = builder.header(SIGNATURE, signature);
    }
    let request = match builder.body(Full::new(Bytes::from(delivery.body.clone()))) {
        Ok(request) => request,
        Err(error) => return (None, Some(format!("invalid target URL: {error}"))),
    };
    match tokio::time::timeout(TIMEOUT, client.request(request)).await {
        Ok(Ok(response)) => {
            let status = response.status().as_u16();
            // Drain the body so the connection can be reused.
            let _ = response.into_body().collect().await;
            (Some(status), None)
        }
        Ok(Err(error)) => (None, Some(error.to_string())),
        Err(_) => (None, Some(format!("no answer within {TIMEOUT:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_lowercase_hex_hmac_sha1() {
        // RFC 2202 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }
}
