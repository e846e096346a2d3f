//! One data-channel websocket, framed and authorized as Mercury is
//! (`docs/protocol/datachannel.md`): the client's first frame is
//! `{"type": "authorization", "data": {"token": "Bearer ..."}}`, the server
//! answers with the `mercury.buffer_state` envelope, pings get pongs, and
//! relayed events arrive as numbered envelopes the client acknowledges.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Extension;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::hub::{AttachError, DataChannels};
use crate::app::AppState;
use crate::kit::auth::{Authenticate, bearer_token};
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::sync::stopped;
use crate::kit::websocket::{self, AUTH_TIMEOUT, Frame, SEND_TIMEOUT, code, read_frame};

/// `GET .../registrations/{id}/messages`: the websocket upgrade.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<DataChannels>>,
    Path(id): Path<String>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let id = websocket::registration_id(&id)?;
    Ok(websocket::limited(upgrade).on_upgrade(move |socket| run(socket, state, hub, id)))
}

async fn send(socket: &mut WebSocket, frame: &Value) -> bool {
    let text = Message::Text(frame.to_string().into());
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(text)).await,
        Ok(Ok(()))
    )
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }));
    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(frame)).await;
}

/// Serves one socket until it ends.
async fn run(mut socket: WebSocket, state: AppState, hub: Arc<DataChannels>, id: Uuid) {
    let mut stop = state.shutdown.subscribe();
    let deadline = tokio::time::sleep(AUTH_TIMEOUT);
    tokio::pin!(deadline);
    let frame = loop {
        let message = tokio::select! {
            message = socket.recv() => message,
            () = &mut deadline => {
                return close(&mut socket, code::POLICY, "Authentication did not happen in time.").await;
            }
            () = stopped(&mut stop) => {
                return close(&mut socket, code::GOING_AWAY, "The server is shutting down.").await;
            }
        };
        match read_frame(message) {
            Frame::Json(frame) => break frame,
            Frame::Skip => {}
            Frame::Closed(..) | Frame::Dropped => return,
            Frame::Bad(code, reason) => return close(&mut socket, code, reason).await,
        }
    };
    if frame.get("type").and_then(Value::as_str) != Some("authorization") {
        return close(
            &mut socket,
            code::BAD_REQUEST,
            "The first message must be an authorization.",
        )
        .await;
    }
    let person = frame
        .get("data")
        .and_then(|data| data.get("token"))
        .and_then(Value::as_str)
        .and_then(bearer_token)
        .and_then(|token| state.person_of_token(token));
    let Some(person) = person else {
        return close(
            &mut socket,
            code::UNAUTHORIZED,
            "Unauthorized: the token is not valid.",
        )
        .await;
    };
    let relayed = match hub.attach(id, person) {
        Ok(relayed) => relayed,
        Err(AttachError::Unknown | AttachError::NotOwner) => {
            return close(
                &mut socket,
                code::NOT_FOUND,
                "Could not find a registration with the provided ID.",
            )
            .await;
        }
    };
    let tracking_id = frame
        .get("trackingId")
        .and_then(Value::as_str)
        .map_or_else(|| format!("EMULATOR_{}", Uuid::new_v4()), str::to_owned);
    serve(&mut socket, relayed, &tracking_id, &mut stop).await;
}

/// The readiness envelope, then pings, acks and relayed events.
async fn serve(
    socket: &mut WebSocket,
    mut relayed: mpsc::Receiver<Value>,
    tracking_id: &str,
    stop: &mut watch::Receiver<bool>,
) {
    let mut sequence: u64 = 1;
    let envelope = |data: Value, sequence: u64| {
        json!({
            "id": Uuid::new_v4().to_string(),
            "data": data,
            "timestamp": clock::unix_millis(SystemTime::now()),
            "trackingId": tracking_id,
            "sequenceNumber": sequence,
        })
    };
    if !send(
        socket,
        &envelope(json!({"eventType": "mercury.buffer_state"}), sequence),
    )
    .await
    {
        return;
    }
    loop {
        tokio::select! {
            message = socket.recv() => match read_frame(message) {
                Frame::Json(frame) if frame.get("type").and_then(Value::as_str) == Some("ping") => {
                    let pong = json!({"id": frame.get("id").cloned().unwrap_or(Value::Null), "type": "pong"});
                    if !send(socket, &pong).await {
                        return;
                    }
                }
                // Acks, publish requests and unknown types need no answer.
                Frame::Json(_) | Frame::Skip => {}
                Frame::Closed(..) | Frame::Dropped => return,
                Frame::Bad(code, reason) => return close(socket, code, reason).await,
            },
            data = relayed.recv() => {
                let Some(data) = data else {
                    return close(socket, code::OVERLOADED, "The registration was replaced or removed, or the socket fell behind.").await;
                };
                sequence += 1;
                if !send(socket, &envelope(data, sequence)).await {
                    return;
                }
            }
            () = stopped(stop) => {
                return close(socket, code::GOING_AWAY, "The server is shutting down.").await;
            }
        }
    }
}
