//! `leave()` and `end_for_all()`, with the JS SDK's local guards.

use http::Method;
use serde_json::{Map, Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::view::{FsmTransition, MeetingState, MeetingView, ParticipantState};

/// Refuses leaving or ending a meeting that is over or already left.
fn guard_active(view: &MeetingView, action: &'static str) -> Result<()> {
    if view.meeting_state == Some(MeetingState::Inactive) {
        return Err(MeetingError::state(action, "the meeting is inactive"));
    }
    if action == "leave" && view.self_state == Some(ParticipantState::Left) {
        return Err(MeetingError::state(action, "already left"));
    }
    Ok(())
}

impl Meeting {
    /// Leaves the meeting (or the lobby): `PUT {locusUrl}/participant/{selfId}/leave` \[Δ\],
    /// after closing the media connection, if any.
    /// The meeting leaves the collection when Locus says it is over for us.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] when the meeting is inactive or already left (nothing
    /// is sent); HTTP errors.
    pub async fn leave(&self) -> Result<()> {
        let view = self.require_view("leave")?;
        guard_active(&view, "leave")?;
        let self_id = view
            .self_id
            .clone()
            .ok_or_else(|| MeetingError::state("leave", "not a participant"))?;
        let url = parse_url(&format!("{}/participant/{self_id}/leave", view.locus_url))?;
        let mut body = self.device_body();
        body.insert("usingResource".into(), Value::Null);
        body.insert("correlationId".into(), json!(self.correlation_id()));
        self.stop_keep_alive();
        self.disconnect_datachannel();
        #[cfg(feature = "media")]
        self.close_media().await;
        self.locus_delta(Method::PUT, url, body).await?;
        self.fsm(FsmTransition::Leave);
        Ok(())
    }

    /// Ends the meeting for everyone (hosts): `POST {locusUrl}/end` \[Δ\] with only the
    /// sequence.
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] when the meeting is inactive; HTTP errors (a 403 for
    /// someone who may not end it).
    pub async fn end_for_all(&self) -> Result<()> {
        let view = self.require_view("end the meeting")?;
        guard_active(&view, "end the meeting")?;
        let url = parse_url(&format!("{}/end", view.locus_url))?;
        self.stop_keep_alive();
        #[cfg(feature = "media")]
        self.close_media().await;
        self.locus_delta(Method::POST, url, Map::new()).await?;
        self.fsm(FsmTransition::End);
        Ok(())
    }
}
