//! The meeting data channel (the JS SDK's LLM connection), for received reactions: after a
//! join that put us in the meeting, `POST <info.datachannelUrl>` `{deviceUrl}` gives a
//! websocket URL, framed and authorized like Mercury (authorization frame first, envelopes
//! acknowledged by id, pings from the client). `relay.event` envelopes with `relayType`
//! `react` become [`MeetingEvent::Reaction`]. The socket closes when the meeting leaves or
//! closes; a failure is logged (reactions are not worth failing a meeting for).

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use http::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use url::{Host, Url};
use webex_core::Webex;

use super::Meeting;
use super::locus_http::parse_url;
use crate::error::{MeetingError, Result};
use crate::events::MeetingEvent;

/// How often the client pings (Mercury's default interval).
const PING_EVERY: Duration = Duration::from_secs(30);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Registration {
    web_socket_url: String,
}

impl Meeting {
    /// Connects the data channel once we are in the meeting (not in the lobby), if Locus
    /// names one; a second call while connected does nothing.
    pub(crate) fn connect_datachannel(&self) {
        let Some(view) = self.view() else { return };
        let Some(url) = view.datachannel_url.clone() else {
            return;
        };
        if !super::self_joined(&view)
            || self
                .data()
                .datachannel
                .as_ref()
                .is_some_and(|t| !t.is_finished())
        {
            return;
        }
        let meeting = self.downgrade();
        let logger = self.webex().map(|w| w.logger().clone()).ok();
        let task = tokio::spawn(async move {
            if let Err(err) = run(meeting, &url).await
                && let Some(logger) = logger
            {
                webex_core::log_warn!(logger, "meetings: data channel: {err}");
            }
        });
        if let Some(old) = self.data().datachannel.replace(task) {
            old.abort();
        }
    }

    pub(crate) fn disconnect_datachannel(&self) {
        if let Some(task) = self.data().datachannel.take() {
            task.abort();
        }
    }
}

/// Registers, connects and reads until the socket or the meeting ends. The task holds the
/// meeting and the client only while it registers and connects, so it keeps neither alive.
async fn run(meeting: super::WeakMeeting, registrations: &str) -> Result<()> {
    let Some(strong) = meeting.upgrade() else {
        return Ok(());
    };
    let webex = strong.webex()?;
    let answer = strong
        .locus_send(
            Method::POST,
            parse_url(registrations)?,
            Some(&json!({"deviceUrl": strong.device_url()})),
        )
        .await?;
    drop(strong);
    let registration: Registration = serde_json::from_value(answer)
        .map_err(|e| MeetingError::InvalidResponse(format!("data channel registration: {e}")))?;
    let url = parse_url(&registration.web_socket_url)?;
    check_trusted(&webex, &url)?;
    let token = webex
        .credentials()
        .ok_or_else(|| MeetingError::state("connect the data channel", "the client has no token"))?
        .token()
        .await?;
    let tracking_id = format!("{}_{}", webex.session_id(), uuid::Uuid::new_v4());
    let tls = tls_connector(&webex);
    drop(webex);
    let (mut socket, _) =
        tokio_tungstenite::connect_async_tls_with_config(url.as_str(), None, false, tls)
            .await
            .map_err(|e| MeetingError::InvalidResponse(format!("data channel socket: {e}")))?;
    let auth = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "type": "authorization",
        "data": {"token": token.authorization()},
        "trackingId": tracking_id,
    });
    let send_error = |e: tokio_tungstenite::tungstenite::Error| {
        MeetingError::InvalidResponse(format!("data channel socket: {e}"))
    };
    socket
        .send(Message::Text(auth.to_string().into()))
        .await
        .map_err(send_error)?;
    let mut pings = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        let message = tokio::select! {
            message = socket.next() => message,
            _ = pings.tick() => {
                if meeting.upgrade().is_none() {
                    return Ok(());
                }
                let ping = json!({"id": uuid::Uuid::new_v4().to_string(), "type": "ping"});
                socket.send(Message::Text(ping.to_string().into())).await.map_err(send_error)?;
                continue;
            }
        };
        let text = match message {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
            Some(Ok(Message::Text(text))) => text.to_string(),
            Some(Ok(_)) => continue,
        };
        let Ok(frame) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        if let Some(id) = frame.get("id").and_then(Value::as_str)
            && frame.get("data").is_some()
        {
            let ack = json!({"messageId": id, "type": "ack"});
            socket
                .send(Message::Text(ack.to_string().into()))
                .await
                .map_err(send_error)?;
        }
        let Some(meeting) = meeting.upgrade() else {
            return Ok(());
        };
        if let Some(event) = reaction_of(&frame) {
            meeting.runtime().publish(event);
        }
    }
}

/// The reaction a relayed envelope carries, if it is one.
pub(crate) fn reaction_of(frame: &Value) -> Option<MeetingEvent> {
    let data = frame.get("data")?;
    if data.get("eventType")?.as_str()? != "relay.event"
        || data.get("relayType")?.as_str()? != "react"
    {
        return None;
    }
    let sender = data.pointer("/sender/participantId")?.as_str()?.to_owned();
    let reaction = data.pointer("/reaction/type")?.as_str()?.to_owned();
    let tone = data
        .pointer("/reaction/tone/type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Some(MeetingEvent::Reaction {
        sender,
        reaction,
        tone,
    })
}

/// With the client's `extra_root_certificates` set, a TLS connector trusting them besides the
/// webpki roots, as its HTTP requests and Mercury do; else `None`, tungstenite's own (the
/// webpki roots).
fn tls_connector(webex: &Webex) -> Option<tokio_tungstenite::Connector> {
    webex
        .tls_client_config()
        .map(|tls| tokio_tungstenite::Connector::Rustls(Arc::clone(tls)))
}

/// The token goes only to `wss://` on a host the client trusts with it (the HTTP auth
/// layer's rule), or `ws://` to loopback — Mercury's rule.
fn check_trusted(webex: &Webex, url: &Url) -> Result<()> {
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    let scheme_ok = url.scheme() == "wss" || (url.scheme() == "ws" && loopback);
    if scheme_ok && webex.services().catalog().trusts(url) {
        Ok(())
    } else {
        Err(MeetingError::InvalidResponse(format!(
            "the data channel socket {}://{} is not a host the token may go to",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relayed_reactions_become_events_and_other_envelopes_do_not() {
        let frame = json!({"id": "1", "data": {"eventType": "relay.event", "relayType": "react",
            "sender": {"participantId": "p1"},
            "reaction": {"type": "clap", "tone": {"type": "normal_skin_tone"}}}});
        assert_eq!(
            reaction_of(&frame),
            Some(MeetingEvent::Reaction {
                sender: "p1".into(),
                reaction: "clap".into(),
                tone: Some("normal_skin_tone".into()),
            })
        );
        assert_eq!(
            reaction_of(&json!({"data": {"eventType": "mercury.buffer_state"}})),
            None
        );
        assert_eq!(reaction_of(&json!({"type": "pong"})), None);
    }
}
