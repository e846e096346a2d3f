//! What the emulator's Mercury-framed websockets share (Mercury itself and
//! the meeting data channel): limits, timeouts, close codes, and how a
//! received message is read.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kit::error::ApiError;

/// How long a client has to send its authorization.
pub(crate) const AUTH_TIMEOUT: Duration = Duration::from_secs(30);

/// How long one frame may take to send before the socket counts as dead.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest frame or message a client may send; a bigger one closes the
/// socket with 1009.
pub(crate) const MAX_MESSAGE: usize = 1024 * 1024;

/// Close codes, as Mercury uses them (`aliasHttpStatus=true`: HTTP
/// statuses as 44xx).
pub(crate) mod code {
    /// A deleted device.
    pub(crate) const DEVICE_GONE: u16 = 1000;
    /// The server is stopping.
    pub(crate) const GOING_AWAY: u16 = 1001;
    /// A frame that is not a JSON object.
    pub(crate) const INVALID_PAYLOAD: u16 = 1007;
    /// No authorization in time.
    pub(crate) const POLICY: u16 = 1008;
    /// A frame or message above the size limit.
    pub(crate) const TOO_BIG: u16 = 1009;
    /// The server cannot keep up with the socket.
    pub(crate) const OVERLOADED: u16 = 1011;
    /// The first message was not an authorization.
    pub(crate) const BAD_REQUEST: u16 = 4400;
    /// The token is missing or unknown.
    pub(crate) const UNAUTHORIZED: u16 = 4401;
    /// The registration is unknown, expired or someone else's.
    pub(crate) const NOT_FOUND: u16 = 4404;
}

/// The registration id of a socket URL, or the 404 Mercury answers.
pub(crate) fn registration_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::try_parse(id)
        .map_err(|_| ApiError::not_found("Could not find a registration with the provided ID."))
}

/// The read buffer of a socket. Clients send small frames (acks, pings,
/// short requests); tungstenite zeroes the whole free buffer before each
/// read, which at its default of 128 KiB made every read (one per ack)
/// cost some 65,000 instructions. A larger message just takes more reads.
const READ_BUFFER: usize = 8 * 1024;

/// The upgrade with the frame and message size limit, and the read buffer.
pub(crate) fn limited(upgrade: WebSocketUpgrade) -> WebSocketUpgrade {
    upgrade
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .read_buffer_size(READ_BUFFER)
}

/// What one received websocket message amounts to.
pub(crate) enum Frame {
    /// A JSON object.
    Json(Map<String, Value>),
    /// A websocket-level ping or pong (answered by the library).
    Skip,
    /// The client's close frame: its code (if any) and reason.
    Closed(Option<u16>, String),
    /// The socket ended or broke without a close frame.
    Dropped,
    /// A message to close the socket for: the close code and reason.
    Bad(u16, &'static str),
}

/// Classifies what `WebSocket::recv` returned.
pub(crate) fn read_frame(message: Option<Result<Message, axum::Error>>) -> Frame {
    match message {
        None => Frame::Dropped,
        Some(Err(error)) if too_big(&error) => Frame::Bad(code::TOO_BIG, "The message is too big."),
        Some(Err(_)) => Frame::Dropped,
        Some(Ok(Message::Close(frame))) => match frame {
            Some(frame) => Frame::Closed(Some(frame.code), frame.reason.to_string()),
            None => Frame::Closed(None, String::new()),
        },
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Frame::Skip,
        Some(Ok(Message::Text(text))) => parse(text.as_bytes()),
        Some(Ok(Message::Binary(bytes))) => parse(&bytes),
    }
}

/// Whether a read failed because the client sent more than [`MAX_MESSAGE`].
fn too_big(error: &axum::Error) -> bool {
    std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<tungstenite::Error>())
        .is_some_and(|error| matches!(error, tungstenite::Error::Capacity(_)))
}

/// Parses a frame's JSON object.
fn parse(bytes: &[u8]) -> Frame {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(frame)) => Frame::Json(frame),
        Ok(_) => Frame::Bad(code::INVALID_PAYLOAD, "Messages must be JSON objects."),
        Err(_) => Frame::Bad(code::INVALID_PAYLOAD, "Messages must be JSON."),
    }
}
