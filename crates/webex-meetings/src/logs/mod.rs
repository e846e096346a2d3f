//! `upload_logs()`: the client's log history to the client-logs service, in the JS SDK's
//! three steps (`POST logs/urls` → `PUT <tempURL>` without the token → `POST logs/meta`);
//! the feedback id it returns names the upload for support.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use http::HeaderValue;
use serde::Deserialize;
use serde_json::{Value, json};
use webex_core::http::{Request, Target};

use crate::error::{MeetingError, Result};
use crate::ext::Meetings;
use crate::meeting::Meeting;

/// The catalog service of log uploads.
const CLIENT_LOGS: &str = "clientLogs";

/// What `logs/urls` answers.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UploadSession {
    #[serde(rename = "tempURL")]
    temp_url: String,
    log_filename: String,
    #[serde(default)]
    user_id: Option<String>,
    /// In MB, when the service limits the size.
    #[serde(default)]
    file_upload_size_limit: Option<u64>,
}

/// What the upload is about (the JS SDK's `uploadLogs` options); every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogUploadOptions {
    /// The feedback id to use (a new uuid when absent).
    pub feedback_id: Option<String>,
    /// The meeting the logs are about: its locus id, correlation id, meeting number and
    /// session id go into the metadata.
    pub meeting_id: Option<String>,
    /// `autoupload` in the metadata.
    pub autoupload: bool,
}

impl Meetings {
    /// Uploads the client's log history; returns the feedback id.
    ///
    /// # Errors
    /// [`MeetingError::InvalidResponse`] when the log is larger than the service allows;
    /// HTTP errors of any step.
    pub async fn upload_logs(&self, options: LogUploadOptions) -> Result<String> {
        let meeting = options.meeting_id.as_deref().and_then(|id| self.get(id));
        let feedback_id = options
            .feedback_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let text = log_text(&self.webex);
        let call_start = rfc3339_now();
        let locus_id = meeting
            .as_ref()
            .and_then(|m| m.locus_url())
            .and_then(|u| u.rsplit('/').next().map(str::to_owned));
        let file = match &locus_id {
            Some(locus_id) => format!("{locus_id}_{call_start}.txt"),
            None => format!("{}.txt", self.webex.session_id()),
        };
        let urls = Request::post(Target::service(CLIENT_LOGS, "logs/urls"))
            .json(&json!({"file": file, "uploadProtocol": "content-length"}))?;
        let session: UploadSession = self.webex.http().json(urls).await?;
        if let Some(limit_mb) = session.file_upload_size_limit
            && (text.len() as u64) > limit_mb.saturating_mul(1024 * 1024)
        {
            let url = crate::meeting::parse_url(&session.temp_url)?;
            let _ = self
                .webex
                .http()
                .send(Request::delete(Target::Url(url)).without_auth())
                .await;
            return Err(MeetingError::InvalidResponse(format!(
                "the log ({} bytes) is larger than the {limit_mb} MB the service accepts",
                text.len()
            )));
        }
        let trans_id = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .map_err(|e| MeetingError::InvalidResponse(e.to_string()))?;
        let put = Request::put(Target::Url(crate::meeting::parse_url(&session.temp_url)?))
            .without_auth()
            .header(http::HeaderName::from_static("x-trans-id"), trans_id)
            .body(text.into_bytes(), HeaderValue::from_static("text/plain"));
        self.webex.http().send(put).await?;
        let data = metadata(
            &self.webex,
            meeting.as_ref(),
            locus_id,
            &call_start,
            &feedback_id,
            &options,
        );
        let meta = Request::post(Target::service(CLIENT_LOGS, "logs/meta")).json(&json!({
            "filename": session.log_filename,
            "data": data,
            "userId": session.user_id,
        }))?;
        self.webex.http().send(meta).await?;
        Ok(feedback_id)
    }
}

/// The metadata pairs (the JS SDK's keys, for what this client knows).
fn metadata(
    webex: &webex_core::Webex,
    meeting: Option<&Meeting>,
    locus_id: Option<String>,
    call_start: &str,
    feedback_id: &str,
    options: &LogUploadOptions,
) -> Vec<Value> {
    let mut pairs: Vec<(&str, Value)> = Vec::new();
    if let Some(locus_id) = locus_id {
        pairs.push(("locusId", json!(locus_id)));
    }
    pairs.push(("callStart", json!(call_start)));
    pairs.push(("feedbackId", json!(feedback_id)));
    if let Some(meeting) = meeting {
        pairs.push(("correlationId", json!(meeting.correlation_id())));
        if let Some(number) = meeting.meeting_number() {
            pairs.push(("meetingId", json!(number)));
        }
        if let Some(session) = meeting.session_id() {
            pairs.push(("locussessionid", json!(session)));
        }
    }
    pairs.push(("autoupload", json!(options.autoupload)));
    pairs.push(("trackingId", json!(webex.session_id())));
    pairs
        .into_iter()
        .map(|(key, value)| json!({"key": key, "value": value}))
        .collect()
}

/// The log history as text, one record per line (`,<time>,<target>,<level>: <message>`,
/// close to the JS SDK's upload).
fn log_text(webex: &webex_core::Webex) -> String {
    let mut text = String::new();
    for record in webex.logger().history().records() {
        let at = record
            .at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let _ = writeln!(
            text,
            ",{at},{},{:?}: {}",
            record.target, record.level, record.message
        );
    }
    text
}

/// Now as `2026-11-29T18:58:06.249Z`.
fn rfc3339_now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}
