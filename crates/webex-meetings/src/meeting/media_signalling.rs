//! The Locus side of a media connection: each ROAP message goes out in a `PUT
//! {selfUrl}/media` (one `/media` request at a time, with the latest mute flags), and the
//! server's message comes back in the answer's `mediaConnections[0].remoteSdp`; TURN
//! discovery runs over the same request before a connection is made.

use std::time::Instant;

use http::Method;
use serde_json::Value;
use tokio::sync::oneshot;
use webex_media::IceServer;
use webex_media::roap::{
    LocalSdp, MessageType, RemoteSdp, RoapMessage, TurnDiscovery, TurnOutput, TurnState,
};

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::media::{RoapBody, roap_body};

/// Which media id a `/media` request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaIdUse {
    /// The join's.
    Current,
    /// Empty: a TURN discovery that drops the transport Locus knows (a new connection).
    NewTransport,
}

impl Meeting {
    /// Sends `message` in `PUT {selfUrl}/media` and answers the server's message from the
    /// response (`None` when it carried none: it will come over Mercury, if at all).
    pub(crate) async fn send_roap(
        &self,
        message: RoapMessage,
        media_id_use: MediaIdUse,
    ) -> Result<Option<RoapMessage>> {
        let _one_at_a_time = self.inner.media_lock.lock().await;
        let view = self.require_view("send media")?;
        let self_url = view
            .self_url
            .clone()
            .ok_or_else(|| MeetingError::state("send media", "not a participant"))?;
        let (media_id, audio_muted, video_muted) = {
            let data = self.data();
            (
                data.media_id.clone(),
                data.audio_muted.unwrap_or(true),
                data.video_muted.unwrap_or(true),
            )
        };
        let media_id = match media_id_use {
            MediaIdUse::Current => media_id
                .ok_or_else(|| MeetingError::state("send media", "the join gave no media id"))?,
            MediaIdUse::NewTransport => String::new(),
        };
        let mut local_sdp = LocalSdp::roap(message, audio_muted, video_muted);
        if let Some(shared) = self.shared() {
            let reachability = shared.reachability.results();
            if !reachability.clusters.is_empty() {
                local_sdp.reachability = Some(reachability.to_backend_json());
            }
        }
        let join_cookie = self
            .shared()
            .map(|s| s.reachability.join_cookie())
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        let body = roap_body(&RoapBody {
            device_url: self.device_url(),
            correlation_id: &self.correlation_id(),
            media_id: &media_id,
            join_cookie,
            local_sdp: &local_sdp,
        });
        let url = parse_url(&format!("{self_url}/media"))?;
        let answer = self
            .locus_send(Method::PUT, url, Some(&Value::Object(body)))
            .await?;
        self.apply_answer_locus(&answer);
        remote_message(&answer)
    }

    /// TURN discovery as the JS SDK does it before a connection is made: skipped when
    /// reachability found a public cluster (unless it resets a transport); a failure only
    /// means no TURN server.
    pub(crate) async fn discover_turn(&self) -> Vec<IceServer> {
        // A connection made before on this join forces discovery, as a transport reset
        // (the JS SDK's retry and reconnect), so Locus drops the old transport.
        let media_id_use = if self.data().media_confluence {
            MediaIdUse::NewTransport
        } else {
            MediaIdUse::Current
        };
        let reachable = self
            .shared()
            .is_some_and(|s| s.reachability.results().is_any_public_cluster_reachable());
        if reachable && media_id_use == MediaIdUse::Current {
            return Vec::new();
        }
        let mut turn = TurnDiscovery::new();
        let (waiter, mut mercury) = oneshot::channel();
        self.data().turn_waiter = Some(waiter);
        match self.send_roap(turn.request(), media_id_use).await {
            Ok(response) => turn.handle_http_response(response, Instant::now()),
            Err(err) => {
                self.log_media_warning(&format!("TURN discovery request failed: {err}"));
                self.data().turn_waiter = None;
                return Vec::new();
            }
        }
        if media_id_use == MediaIdUse::NewTransport {
            self.data().media_confluence = false;
        }
        if turn.state() == TurnState::AwaitingMercury
            && let Some(deadline) = turn.poll_timeout()
        {
            let wait = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, &mut mercury).await {
                Ok(Ok(message)) => {
                    turn.handle_mercury(&message);
                }
                _ => turn.handle_timeout(deadline),
            }
        }
        self.data().turn_waiter = None;
        let mut servers = Vec::new();
        while let Some(output) = turn.poll_output() {
            match output {
                TurnOutput::Send(ok) => {
                    if let Err(err) = self.send_roap(ok, MediaIdUse::Current).await {
                        self.log_media_warning(&format!("TURN discovery OK failed: {err}"));
                    }
                }
                TurnOutput::Finished(Ok(info)) => {
                    let urls = info.ice_server_urls();
                    if !urls.is_empty() {
                        servers.push(IceServer {
                            urls,
                            username: Some(info.username.clone()),
                            credential: Some(info.password.clone()),
                        });
                    }
                }
                TurnOutput::Finished(Err(err)) => {
                    self.log_media_warning(&format!("no TURN server: {err}"));
                }
            }
        }
        servers
    }

    /// A `locus.message.roap` event for this meeting: a TURN discovery response awaited
    /// over Mercury, or a message for the media connection.
    pub(crate) fn roap_from_mercury(&self, message: RoapMessage) {
        if message.message_type == MessageType::TurnDiscoveryResponse {
            if let Some(waiter) = self.data().turn_waiter.take() {
                let _ = waiter.send(message);
            }
            return;
        }
        let Some(connection) = self.media() else {
            return;
        };
        let meeting = self.downgrade();
        tokio::spawn(async move {
            if let Err(err) = connection.roap_message_received(message).await
                && let Some(meeting) = meeting.upgrade()
            {
                meeting.log_media_warning(&format!("ROAP message from Mercury: {err}"));
            }
        });
    }

    pub(crate) fn log_media_warning(&self, message: &str) {
        if let Ok(webex) = self.webex() {
            webex_core::log_warn!(webex.logger(), "meetings: media: {message}");
        }
    }
}

/// The server's ROAP message in a `/media` answer (`mediaConnections[0].remoteSdp`).
fn remote_message(answer: &Value) -> Result<Option<RoapMessage>> {
    let Some(remote) = answer
        .pointer("/mediaConnections/0/remoteSdp")
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    RemoteSdp::parse(remote)
        .map(|r| Some(r.roap_message))
        .map_err(|e| MeetingError::InvalidResponse(format!("/media answer's remoteSdp: {e}")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_answer_message_is_read_from_the_remote_sdp_string() {
        let remote = json!({"roapMessage": {"messageType": "ANSWER", "version": "2", "seq": "1",
            "sdps": ["v=0\r\n"], "headers": ["noOkInTransaction"]}})
        .to_string();
        let answer =
            json!({"locus": {}, "mediaConnections": [{"mediaId": "m", "remoteSdp": remote}]});
        let message = remote_message(&answer).unwrap().unwrap();
        assert_eq!(message.message_type, MessageType::Answer);
        assert_eq!(message.seq, 1);
        assert!(
            remote_message(&json!({"mediaConnections": [{"mediaId": "m"}]}))
                .unwrap()
                .is_none()
        );
        let broken = json!({"mediaConnections": [{"remoteSdp": "{\"nope\": 1}"}]});
        assert!(matches!(
            remote_message(&broken),
            Err(MeetingError::InvalidResponse(_))
        ));
    }
}
