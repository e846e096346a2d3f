//! How the meeting talks to Locus: plain requests, and "[Δ]" requests that carry the current
//! sequence and feed the answer's `locus` back to the runtime (the JS SDK's
//! `locusDeltaRequest`). Locus's `errorCode` is read from failed answers.

use std::time::Duration;

use http::Method;
use serde_json::{Map, Value};
use url::Url;
use webex_core::http::{Request, Response, Target, webex_error_message};

use super::Meeting;
use crate::error::{MeetingError, Result};
use crate::locus::Locus;

/// The JS SDK's wait before retrying a 503 that came without `Retry-After` (once). A 429,
/// and a 503 with `Retry-After`, are already retried by the core's retry layer.
const UNAVAILABLE_RETRY_DELAY: Duration = Duration::from_secs(2);

/// A failed Locus answer: status, Locus's `errorCode` and message.
#[derive(Debug)]
pub(crate) struct LocusFailure {
    pub(crate) error_code: Option<u64>,
    pub(crate) error: webex_core::Error,
}

impl From<LocusFailure> for MeetingError {
    fn from(failure: LocusFailure) -> Self {
        if failure.error.status().map(|s| s.as_u16()) == Some(404) {
            return MeetingError::MeetingNotFound {
                message: failure.error.message().to_owned(),
            };
        }
        MeetingError::Http(failure.error)
    }
}

pub(crate) fn parse_url(url: &str) -> Result<Url> {
    Url::parse(url).map_err(|e| MeetingError::InvalidResponse(format!("Locus URL {url:?}: {e}")))
}

impl Meeting {
    /// Sends `method url` with `body`; answers the JSON body (`{}` when empty).
    pub(crate) async fn locus_send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> std::result::Result<Value, LocusFailure> {
        let webex = self.webex().map_err(|e| LocusFailure {
            error_code: None,
            error: webex_core::Error::new(webex_core::ErrorKind::Plugin, e.to_string()),
        })?;
        let build = || -> webex_core::Result<Request> {
            let req = Request::new(method.clone(), Target::Url(url.clone()));
            match body {
                Some(body) => req.json(body),
                None => Ok(req),
            }
        };
        let to_failure = |error: webex_core::Error| LocusFailure {
            error_code: None,
            error,
        };
        let mut res = webex
            .http()
            .send_raw(build().map_err(to_failure)?)
            .await
            .map_err(to_failure)?;
        if res.status().as_u16() == 503 && !res.headers().contains_key(http::header::RETRY_AFTER) {
            tokio::time::sleep(UNAVAILABLE_RETRY_DELAY).await;
            res = webex
                .http()
                .send_raw(build().map_err(to_failure)?)
                .await
                .map_err(to_failure)?;
        }
        answer(res)
    }

    /// A \[Δ\] request: `body` gets the current `sequence`, and the answer's `locus` is applied.
    pub(crate) async fn locus_delta(
        &self,
        method: Method,
        url: Url,
        mut body: Map<String, Value>,
    ) -> Result<Value> {
        if let Some(sequence) = self.runtime().sequence() {
            let sequence = serde_json::to_value(sequence)
                .map_err(|e| MeetingError::InvalidResponse(format!("sequence: {e}")))?;
            body.insert("sequence".into(), sequence);
        }
        let answer = self
            .locus_send(method, url, Some(&Value::Object(body)))
            .await?;
        self.apply_answer_locus(&answer);
        Ok(answer)
    }

    /// Applies the `locus` of a \[Δ\] answer; a malformed one is logged (Mercury brings the
    /// change too), never a failure of the call that succeeded.
    pub(crate) fn apply_answer_locus(&self, answer: &Value) {
        let Some(locus) = answer.get("locus").filter(|l| l.is_object()) else {
            return;
        };
        match Locus::from_value(locus.clone()) {
            Ok(locus) => self.apply_delta(locus),
            Err(err) => {
                if let Ok(webex) = self.webex() {
                    webex_core::log_warn!(webex.logger(), "meetings: Locus answered {err}");
                }
            }
        }
    }
}

/// The JSON of a success; a failure with Locus's `errorCode` and message.
fn answer(res: Response) -> std::result::Result<Value, LocusFailure> {
    if res.status().is_success() {
        if res.body().is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        return res.json::<Value>().map_err(|error| LocusFailure {
            error_code: None,
            error,
        });
    }
    let body: Value = serde_json::from_slice(res.body()).unwrap_or(Value::Null);
    let error_code = body.get("errorCode").and_then(|c| match c {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let message = webex_error_message(res.body())
        .unwrap_or_else(|| format!("Locus answered {}", res.status()));
    let mut error = webex_core::Error::from_status(res.status(), message);
    if let Some(id) = res.tracking_id() {
        error = error.with_tracking_id(id);
    }
    Err(LocusFailure { error_code, error })
}
