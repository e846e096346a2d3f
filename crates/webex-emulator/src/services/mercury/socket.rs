//! One Mercury websocket: authorization, the readiness envelope, pings,
//! acks and pushed activities, redelivery, and how it ends (faults included).

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Extension;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Map, Value, json};
use tokio::sync::watch;
use uuid::Uuid;

use super::Hub;
use super::connections::Ending;
use super::delivery::Delivery;
use super::fault::{Kick, NO_STATUS};
use super::hub::Registration;
use super::parking::{Pending, REDELIVERY_WINDOW};
use crate::app::AppState;
use crate::kit::auth;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::sync::stopped;
use crate::kit::websocket::{self, AUTH_TIMEOUT, Frame, SEND_TIMEOUT, code};

/// The reason real Mercury gives when that time is up (the JS SDK matches
/// it, "seconds" included).
const AUTH_TIMEOUT_REASON: &str =
    "Authentication did not happen within the timeout window of 30000 seconds.";

/// How long to wait for the client's close frame after sending ours.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// How long a stalled socket is held, silent, before the emulator drops it.
const STALL_LIMIT: Duration = REDELIVERY_WINDOW;

/// `GET /mercury/api/v1/apps/wx2/registrations/{id}/messages`: the
/// websocket upgrade. Which device and whose it is are checked once the
/// client has sent its token.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<Hub>>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let device = websocket::registration_id(&id)?;
    Ok(websocket::limited(upgrade).on_upgrade(move |socket| run(socket, state, hub, device)))
}

/// What one received frame amounts to.
enum Read {
    /// A JSON object.
    Json(Map<String, Value>),
    /// A websocket-level ping or pong (answered by the library).
    Skip,
    /// The client closed the socket, or it broke.
    Ended(Ending),
    /// A frame to close the socket for.
    Bad(u16, &'static str),
}

/// Classifies what `WebSocket::recv` returned, telling how a socket ended.
fn read(message: Option<Result<Message, axum::Error>>) -> Read {
    match websocket::read_frame(message) {
        Frame::Json(frame) => Read::Json(frame),
        Frame::Skip => Read::Skip,
        Frame::Closed(code, reason) => Read::Ended(Ending::Client(code, reason)),
        Frame::Dropped => Read::Ended(Ending::Dropped),
        Frame::Bad(code, reason) => Read::Bad(code, reason),
    }
}

/// A frame's `type`.
fn kind(frame: &Map<String, Value>) -> Option<&str> {
    frame.get("type").and_then(Value::as_str)
}

/// Sends one text frame; `false` when the socket is dead or too slow.
async fn send(socket: &mut WebSocket, text: String) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

/// Closes the socket with `code` and `reason`, then waits briefly for the
/// client's close frame. Returns how the socket ended.
async fn close(socket: &mut WebSocket, code: u16, reason: &str) -> Ending {
    // 1005 means "no status code": a close frame without a payload.
    let frame = Message::Close((code != NO_STATUS).then(|| CloseFrame {
        code,
        reason: reason.into(),
    }));
    if !matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(frame)).await,
        Ok(Ok(()))
    ) {
        return Ending::Dropped;
    }
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
        while !matches!(read(socket.recv().await), Read::Ended(_)) {}
    })
    .await;
    Ending::Server(code, reason.to_owned())
}

/// Completes the close handshake the client started: the protocol library
/// queued the answer (an echo of the client's close code) when it read the
/// client's close frame, and sends it on the next read, which then reports
/// the end. Returns `ending` unchanged.
async fn answer_close(socket: &mut WebSocket, ending: Ending) -> Ending {
    if matches!(ending, Ending::Client(..)) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.recv()).await;
    }
    ending
}

/// Serves one socket until it closes, and logs how it ended.
async fn run(mut socket: WebSocket, state: AppState, hub: Arc<Hub>, device: Uuid) {
    let log_id = hub.connections.opened(device);
    let mut stop = state.shutdown.subscribe();
    let ending = match authorize(&mut socket, &state, &hub, device, &mut stop).await {
        Ok((registration, person, tracking_id)) => {
            hub.connections.authorized(log_id, person);
            let session = Session {
                hub: &hub,
                log_id,
                tracking_id: &tracking_id,
            };
            session.serve(&mut socket, registration, &mut stop).await
        }
        Err(ending) => ending,
    };
    hub.connections.closed(log_id, ending);
}

/// Waits for the authorization frame and checks it; on success the socket
/// has joined the hub. Returns the registration, the owner and the
/// client's tracking id, or how the socket ended.
async fn authorize(
    socket: &mut WebSocket,
    state: &AppState,
    hub: &Hub,
    device: Uuid,
    stop: &mut watch::Receiver<bool>,
) -> Result<(Registration, Uuid, String), Ending> {
    let deadline = tokio::time::sleep(AUTH_TIMEOUT);
    tokio::pin!(deadline);
    let frame = loop {
        let message = tokio::select! {
            message = socket.recv() => message,
            () = &mut deadline => {
                return Err(close(socket, code::POLICY, AUTH_TIMEOUT_REASON).await);
            }
            () = stopped(stop) => {
                return Err(close(socket, code::GOING_AWAY, "The server is shutting down.").await);
            }
        };
        match read(message) {
            Read::Json(frame) => break frame,
            Read::Skip => {}
            Read::Ended(ending) => return Err(answer_close(socket, ending).await),
            Read::Bad(code, reason) => return Err(close(socket, code, reason).await),
        }
    };
    if kind(&frame) != Some("authorization") {
        return Err(close(
            socket,
            code::BAD_REQUEST,
            "The first message must be an authorization.",
        )
        .await);
    }
    let token = frame
        .get("data")
        .and_then(|data| data.get("token"))
        .and_then(Value::as_str)
        .and_then(auth::bearer_token);
    let tracking_id = frame
        .get("trackingId")
        .and_then(Value::as_str)
        .map_or_else(|| format!("EMULATOR_{}", Uuid::new_v4()), str::to_owned);
    // Checked and joined under the data lock, so that a device deleted
    // meanwhile cannot keep a socket (the hub's lock nests inside it).
    let joined = {
        let data = lock(&state.data);
        match token.and_then(|token| data.tokens.get(token)) {
            None => Err((code::UNAUTHORIZED, "Unauthorized: the token is not valid.")),
            Some(info) if data.devices.owned(device, info.person).is_none() => Err((
                code::NOT_FOUND,
                "Could not find a registration with the provided ID.",
            )),
            Some(info) => Ok((hub.register(info.person, device), info.person)),
        }
    };
    match joined {
        Ok((registration, person)) => Ok((registration, person, tracking_id)),
        Err((code, reason)) => Err(close(socket, code, reason).await),
    }
}

/// Why a session stopped serving.
enum Exit {
    /// The client closed the socket, or it broke.
    Ended(Ending),
    /// The hub (a fault, a stuck queue, a deleted device) or a bad frame
    /// says how to end.
    Kicked(Kick),
    /// The emulator is stopping.
    Stopped,
}

/// An authorized socket's life in the hub.
struct Session<'a> {
    hub: &'a Hub,
    log_id: u64,
    tracking_id: &'a str,
}

impl Session<'_> {
    /// Serves the socket until it ends, leaves the hub (parking what was not
    /// delivered, unless the device is gone or the emulator stops) and ends
    /// the connection as the exit asks. Returns how it ended.
    async fn serve(
        &self,
        socket: &mut WebSocket,
        mut registration: Registration,
        stop: &mut watch::Receiver<bool>,
    ) -> Ending {
        let mut delivery = Delivery::default();
        let exit = self
            .exchange(socket, &mut registration, &mut delivery, stop)
            .await;
        let park = !matches!(exit, Exit::Stopped | Exit::Kicked(Kick::Gone(_)));
        self.hub.leave(registration, delivery.into_unacked(), park);
        match exit {
            Exit::Ended(ending) => answer_close(socket, ending).await,
            Exit::Kicked(Kick::Close(code, reason)) => close(socket, code, &reason).await,
            Exit::Kicked(Kick::Gone(reason)) => close(socket, code::DEVICE_GONE, &reason).await,
            // Returning drops the connection without a close frame.
            Exit::Kicked(Kick::Drop) => Ending::DroppedByServer,
            Exit::Kicked(Kick::Stall) => {
                self.hub.connections.closed(self.log_id, Ending::Stalled);
                // Neither read nor write: pings go unanswered and no close
                // frame is echoed, as on a dead network path.
                tokio::select! {
                    () = tokio::time::sleep(STALL_LIMIT) => {}
                    () = stopped(stop) => {}
                }
                Ending::Stalled
            }
            Exit::Stopped => close(socket, code::GOING_AWAY, "The server is shutting down.").await,
        }
    }

    /// The readiness envelope, what the device's previous socket missed,
    /// then pings, acks and pushed activities until something ends it.
    async fn exchange(
        &self,
        socket: &mut WebSocket,
        registration: &mut Registration,
        delivery: &mut Delivery,
        stop: &mut watch::Receiver<bool>,
    ) -> Exit {
        let ready = json!({
            "id": Uuid::new_v4().to_string(),
            "data": {
                "eventType": "mercury.buffer_state",
                "bufferState": {"conversation": "UNKNOWN", "locus": "UNKNOWN"},
            },
            "timestamp": clock::unix_millis(SystemTime::now()),
            "trackingId": self.tracking_id,
            "sequenceNumber": Delivery::READY_SEQUENCE,
        });
        if !send(socket, ready.to_string()).await {
            return Exit::Ended(Ending::Dropped);
        }
        for pending in std::mem::take(&mut registration.redeliver) {
            if !send(socket, delivery.next(pending)).await {
                return Exit::Ended(Ending::Dropped);
            }
        }
        loop {
            tokio::select! {
                message = socket.recv() => match read(message) {
                    Read::Json(frame) => match kind(&frame) {
                        Some("ping") if !send(socket, pong(&frame)).await => {
                            return Exit::Ended(Ending::Dropped);
                        }
                        Some("ack") => delivery.acked(&frame),
                        // Answered pings, a repeated authorization and
                        // unknown types need nothing more.
                        _ => {}
                    },
                    Read::Skip => {}
                    Read::Ended(ending) => return Exit::Ended(ending),
                    Read::Bad(code, reason) => {
                        return Exit::Kicked(Kick::Close(code, Cow::Borrowed(reason)));
                    }
                },
                outbound = registration.frames.recv() => {
                    // The hub holds the sender until this socket leaves it,
                    // so `None` only means the emulator is going away.
                    let Some(outbound) = outbound else { return Exit::Stopped };
                    if !send(socket, delivery.next(Pending { id: None, outbound })).await {
                        return Exit::Ended(Ending::Dropped);
                    }
                }
                kicked = &mut registration.kick => {
                    return kicked.map_or(Exit::Stopped, Exit::Kicked);
                }
                () = stopped(stop) => return Exit::Stopped,
            }
        }
    }
}

/// The answer to a ping: its id, type `pong`, no sequence number.
fn pong(ping: &Map<String, Value>) -> String {
    let mut pong = Map::new();
    if let Some(id) = ping.get("id") {
        pong.insert("id".to_owned(), id.clone());
    }
    pong.insert("type".to_owned(), "pong".into());
    Value::Object(pong).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_classified() {
        let text = |s: &str| Some(Ok(Message::Text(s.into())));
        assert!(matches!(read(text(r#"{"type":"ping"}"#)), Read::Json(_)));
        assert!(matches!(
            read(Some(Ok(Message::Binary(r#"{"type":"ack"}"#.into())))),
            Read::Json(_)
        ));
        assert!(matches!(read(text("[1]")), Read::Bad(1007, _)));
        assert!(matches!(read(text("{nope")), Read::Bad(1007, _)));
        assert!(matches!(read(None), Read::Ended(Ending::Dropped)));
        let close = Some(Ok(Message::Close(Some(CloseFrame {
            code: 1000,
            reason: "bye".into(),
        }))));
        assert!(matches!(
            read(close),
            Read::Ended(Ending::Client(Some(1000), reason)) if reason == "bye"
        ));
        assert!(matches!(
            read(Some(Ok(Message::Ping(Vec::new().into())))),
            Read::Skip
        ));
    }
}
