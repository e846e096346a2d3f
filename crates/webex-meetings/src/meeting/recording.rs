//! Recording: through the record service when Locus links one
//! (`PUT <links.services.record.url>/loci/<locusId>/recording`), else through Locus controls
//! (`PATCH {locusUrl}/controls {record}`); refused locally unless the display hints offer the
//! action.

use http::Method;
use serde_json::{Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};

/// A recording action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordingAction {
    /// Start recording.
    Start,
    /// Stop recording.
    Stop,
    /// Pause recording.
    Pause,
    /// Resume a paused recording.
    Resume,
}

impl RecordingAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Pause => "pause",
            Self::Resume => "resume",
        }
    }

    /// `(recording, paused)` of the Locus controls variant.
    fn record_flags(self) -> (bool, bool) {
        match self {
            Self::Start | Self::Resume => (true, false),
            Self::Stop => (false, false),
            Self::Pause => (true, true),
        }
    }
}

/// The request of `action`: the record service's when a record URL is linked, else Locus's.
pub(crate) fn recording_request(
    locus_url: &str,
    record_service: Option<&str>,
    session_id: Option<&str>,
    action: RecordingAction,
) -> (Method, String, Value) {
    match record_service {
        Some(service) => {
            let locus_id = locus_url.rsplit('/').next().unwrap_or_default();
            (
                Method::PUT,
                format!(
                    "{}/loci/{locus_id}/recording",
                    service.trim_end_matches('/')
                ),
                json!({"meetingInfo": {"locusSessionId": session_id},
                       "recording": {"action": action.as_str()}}),
            )
        }
        None => {
            let (recording, paused) = action.record_flags();
            (
                Method::PATCH,
                format!("{locus_url}/controls"),
                json!({"record": {"recording": recording, "paused": paused}}),
            )
        }
    }
}

impl Meeting {
    /// Starts, stops, pauses or resumes the recording.
    ///
    /// # Errors
    /// [`MeetingError::NotPermitted`] unless the display hints offer `action` now; HTTP
    /// errors.
    pub async fn recording(&self, action: RecordingAction) -> Result<()> {
        let view = self.require_view("record")?;
        let actions = &view.in_meeting_actions;
        let allowed = match action {
            RecordingAction::Start => actions.can_start_recording,
            RecordingAction::Stop => actions.can_stop_recording,
            RecordingAction::Pause => actions.can_pause_recording,
            RecordingAction::Resume => actions.can_resume_recording,
        };
        if !allowed {
            return Err(MeetingError::NotPermitted {
                action: match action {
                    RecordingAction::Start => "start recording",
                    RecordingAction::Stop => "stop recording",
                    RecordingAction::Pause => "pause recording",
                    RecordingAction::Resume => "resume recording",
                },
            });
        }
        let (method, url, body) = recording_request(
            &view.locus_url,
            self.record_service_url().as_deref(),
            self.session_id().as_deref(),
            action,
        );
        let answer = self
            .locus_send(method, parse_url(&url)?, Some(&body))
            .await?;
        self.apply_answer_locus(&answer);
        Ok(())
    }

    /// Starts recording.
    ///
    /// # Errors
    /// As [`recording`](Self::recording).
    pub async fn start_recording(&self) -> Result<()> {
        self.recording(RecordingAction::Start).await
    }

    /// Stops recording.
    ///
    /// # Errors
    /// As [`recording`](Self::recording).
    pub async fn stop_recording(&self) -> Result<()> {
        self.recording(RecordingAction::Stop).await
    }

    /// Pauses recording.
    ///
    /// # Errors
    /// As [`recording`](Self::recording).
    pub async fn pause_recording(&self) -> Result<()> {
        self.recording(RecordingAction::Pause).await
    }

    /// Resumes recording.
    ///
    /// # Errors
    /// As [`recording`](Self::recording).
    pub async fn resume_recording(&self) -> Result<()> {
        self.recording(RecordingAction::Resume).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_variants() {
        let (m, url, body) =
            recording_request("https://l/loci/L1", None, None, RecordingAction::Pause);
        assert_eq!(
            (m, url.as_str()),
            (Method::PATCH, "https://l/loci/L1/controls")
        );
        assert_eq!(body, json!({"record": {"recording": true, "paused": true}}));
        let (m, url, body) = recording_request(
            "https://l/loci/L1",
            Some("https://rec/"),
            Some("s1"),
            RecordingAction::Start,
        );
        assert_eq!(
            (m, url.as_str()),
            (Method::PUT, "https://rec/loci/L1/recording")
        );
        assert_eq!(body["recording"]["action"], "start");
        assert_eq!(body["meetingInfo"]["locusSessionId"], "s1");
    }
}
