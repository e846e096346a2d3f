//! One Mercury websocket: authorization, the readiness envelope, pings,
//! acks and pushed activities.

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
use super::hub::{OVERFLOW, Outbound, Registration};
use crate::app::AppState;
use crate::kit::auth;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::lock;

/// How long a client has to send its authorization.
const AUTH_TIMEOUT: Duration = Duration::from_secs(30);

/// The reason real Mercury gives when that time is up (the JS SDK matches
/// it, "seconds" included).
const AUTH_TIMEOUT_REASON: &str =
    "Authentication did not happen within the timeout window of 30000 seconds.";

/// How long one frame may take to send before the socket counts as dead.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to wait for the client's close frame after sending ours.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// The largest frame or message a client may send.
const MAX_MESSAGE: usize = 1024 * 1024;

/// Close codes, as Mercury uses them (`aliasHttpStatus=true`: HTTP statuses
/// as 44xx).
mod code {
    /// The server is stopping.
    pub(super) const GOING_AWAY: u16 = 1001;
    /// A frame that is not a JSON object.
    pub(super) const INVALID_PAYLOAD: u16 = 1007;
    /// No authorization in time.
    pub(super) const POLICY: u16 = 1008;
    /// The first message was not an authorization.
    pub(super) const BAD_REQUEST: u16 = 4400;
    /// The token is missing or unknown.
    pub(super) const UNAUTHORIZED: u16 = 4401;
    /// The device is unknown, expired or someone else's.
    pub(super) const NOT_FOUND: u16 = 4404;
}

/// `GET /mercury/api/v1/apps/wx2/registrations/{id}/messages`: the
/// websocket upgrade. Which device and whose it is are checked once the
/// client has sent its token.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<Hub>>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let device = Uuid::try_parse(&id)
        .map_err(|_| ApiError::not_found("Could not find a registration with the provided ID."))?;
    Ok(upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(socket, state, hub, device)))
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

/// Classifies what `WebSocket::recv` returned.
fn read(message: Option<Result<Message, axum::Error>>) -> Read {
    match message {
        None | Some(Err(_)) => Read::Ended(Ending::Dropped),
        Some(Ok(Message::Close(frame))) => Read::Ended(match frame {
            Some(frame) => Ending::Client(Some(frame.code), frame.reason.to_string()),
            None => Ending::Client(None, String::new()),
        }),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Read::Skip,
        Some(Ok(Message::Text(text))) => parse(text.as_bytes()),
        Some(Ok(Message::Binary(bytes))) => parse(&bytes),
    }
}

/// Parses a frame's JSON object.
fn parse(bytes: &[u8]) -> Read {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(frame)) => Read::Json(frame),
        Ok(_) => Read::Bad(code::INVALID_PAYLOAD, "Messages must be JSON objects."),
        Err(_) => Read::Bad(code::INVALID_PAYLOAD, "Messages must be JSON."),
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
    let frame = Message::Close(Some(CloseFrame {
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

/// Resolves once the emulator is stopping.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // An error means the sender is gone, which also means stop.
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Serves one socket until it closes, and logs how it ended.
async fn run(mut socket: WebSocket, state: AppState, hub: Arc<Hub>, device: Uuid) {
    let log_id = hub.connections.opened(device);
    let mut stop = state.shutdown.subscribe();
    let ending = match authorize(&mut socket, &state, &hub, device, &mut stop).await {
        Ok((mut registration, person, tracking_id)) => {
            hub.connections.authorized(log_id, person);
            let ending = serve(&mut socket, &mut registration, &tracking_id, &mut stop).await;
            hub.unregister(registration.id);
            ending
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
            Read::Ended(ending) => return Err(ending),
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

/// After authorization: the readiness envelope, then pings, acks and
/// pushed activities until the socket closes. Returns how it ended.
async fn serve(
    socket: &mut WebSocket,
    registration: &mut Registration,
    tracking_id: &str,
    stop: &mut watch::Receiver<bool>,
) -> Ending {
    let mut sequence: u64 = 1;
    let ready = json!({
        "id": Uuid::new_v4().to_string(),
        "data": {
            "eventType": "mercury.buffer_state",
            "bufferState": {"conversation": "UNKNOWN", "locus": "UNKNOWN"},
        },
        "timestamp": clock::unix_millis(SystemTime::now()),
        "trackingId": tracking_id,
        "sequenceNumber": sequence,
    });
    if !send(socket, ready.to_string()).await {
        return Ending::Dropped;
    }
    loop {
        tokio::select! {
            message = socket.recv() => match read(message) {
                Read::Json(frame) => {
                    if kind(&frame) == Some("ping") {
                        let mut pong = Map::new();
                        if let Some(id) = frame.get("id") {
                            pong.insert("id".to_owned(), id.clone());
                        }
                        pong.insert("type".to_owned(), "pong".into());
                        if !send(socket, Value::Object(pong).to_string()).await {
                            return Ending::Dropped;
                        }
                    }
                    // Acks, a repeated authorization and unknown types
                    // need no answer.
                }
                Read::Skip => {}
                Read::Ended(ending) => return ending,
                Read::Bad(code, reason) => return close(socket, code, reason).await,
            },
            outbound = registration.frames.recv() => {
                let Some(outbound) = outbound else {
                    // The hub let go of this socket; the reason follows.
                    let (code, reason) = (&mut registration.kick)
                        .await
                        .unwrap_or(OVERFLOW);
                    return close(socket, code, reason).await;
                };
                sequence += 1;
                if !send(socket, envelope(&outbound, sequence)).await {
                    return Ending::Dropped;
                }
            }
            kicked = &mut registration.kick => {
                let (code, reason) = kicked.unwrap_or(OVERFLOW);
                return close(socket, code, reason).await;
            }
            () = stopped(stop) => {
                return close(socket, code::GOING_AWAY, "The server is shutting down.").await;
            }
        }
    }
}

/// The envelope of a pushed activity.
fn envelope(outbound: &Outbound, sequence: u64) -> String {
    let now = clock::unix_millis(SystemTime::now());
    json!({
        "id": Uuid::new_v4().to_string(),
        "data": outbound.data,
        "timestamp": now,
        "trackingId": outbound.tracking_id,
        "alertType": "full",
        "headers": {},
        "sequenceNumber": sequence,
        "filterMessage": false,
        "wsWriteTimestamp": now,
    })
    .to_string()
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

    #[test]
    fn envelopes_carry_what_clients_read() {
        let outbound = Outbound {
            data: json!({"eventType": "conversation.activity", "activity": {}}),
            tracking_id: "T_1".to_owned(),
        };
        let frame: Value = serde_json::from_str(&envelope(&outbound, 7)).unwrap();
        assert!(frame.get("type").is_none());
        assert_eq!(frame["sequenceNumber"], 7);
        assert_eq!(frame["trackingId"], "T_1");
        assert_eq!(frame["data"]["eventType"], "conversation.activity");
        assert!(frame["id"].as_str().is_some_and(|id| !id.is_empty()));
    }
}
