//! Answering an incoming 1:1 call: `acknowledge()` (the device is ringing) and `decline()`.
//! Answering is `join()`.

use http::Method;
use serde_json::{Map, Value, json};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::view::{FsmTransition, ParticipantState};

impl Meeting {
    /// Tells Locus this device is ringing for the incoming call (the JS SDK's
    /// `acknowledge('INCOMING')`): `PUT {locusUrl}/participant/alert` \[Δ\]; the meeting's
    /// state machine goes to [`FsmState::Ringing`](crate::view::FsmState::Ringing).
    ///
    /// # Errors
    /// [`MeetingError::InvalidState`] unless this user is being called (`self.state`
    /// `NOTIFIED`; nothing is sent); HTTP errors.
    pub async fn acknowledge(&self) -> Result<()> {
        let url = self.callee_url("acknowledge the call", "alert")?;
        let mut body = self.device_body();
        body.insert("correlationId".into(), json!(self.correlation_id()));
        self.locus_delta(Method::PUT, url, body).await?;
        self.fsm(FsmTransition::Ring);
        Ok(())
    }

    /// Declines the incoming call: `PUT {locusUrl}/participant/decline` \[Δ\] with the
    /// optional `reason`. Locus ends a 1:1 call its callee declines, and the meeting leaves
    /// the collection when Locus says so.
    ///
    /// # Errors
    /// As [`Meeting::acknowledge`].
    pub async fn decline(&self, reason: Option<&str>) -> Result<()> {
        let url = self.callee_url("decline the call", "decline")?;
        let mut body = self.device_body();
        if let Some(reason) = reason {
            body.insert("reason".into(), json!(reason));
        }
        self.locus_delta(Method::PUT, url, body).await?;
        self.fsm(FsmTransition::Decline);
        Ok(())
    }

    /// `{locusUrl}/participant/{verb}`, when this user is being called.
    fn callee_url(&self, action: &'static str, verb: &str) -> Result<url::Url> {
        let view = self.require_view(action)?;
        if view.self_state != Some(ParticipantState::Notified) {
            return Err(MeetingError::state(
                action,
                "this user is not being called (self.state is not NOTIFIED)",
            ));
        }
        parse_url(&format!("{}/participant/{verb}", view.locus_url))
    }

    /// `{"device": {"deviceType": "WEB", "url": <this device>}}`.
    pub(super) fn device_body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert(
            "device".into(),
            json!({"deviceType": "WEB", "url": self.device_url()}),
        );
        body
    }
}
