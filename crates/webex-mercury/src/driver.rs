//! The tokio driver: runs a [`proto::Connection`] over `tokio-tungstenite`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::{FutureExt, SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use webex_core::WeakWebex;
use webex_core::credentials::{AccessToken, TokenCache};
use webex_core::logging::Logger;
use webex_devices::DevicesExt;

use crate::proto::{self, ConnectionState, Output};
use crate::subscribers::Subscribers;
use crate::{EventError, MercuryError, trust};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type WsError = tokio_tungstenite::tungstenite::Error;

/// How long opening a socket may take.
const DIAL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long to wait for the close handshake (`forceCloseDelay`).
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// At most this many frames are written (acks, mostly) before they are flushed, even while
/// more frames are already received: a burst's acks go out in a few writes, not one each.
const FLUSH_EVERY: usize = 64;

/// Commands from the plugin.
#[derive(Debug)]
pub(crate) enum Command {
    Disconnect,
}

/// The task behind one connection. It holds no [`Webex`](webex_core::Webex): the client owns
/// the task, through the plugin that keeps the command sender. When the last client handle is
/// dropped, so is that sender; the task then closes the socket (1000) and ends.
pub(crate) struct Driver {
    /// Upgraded only while registering the device or building the URL.
    pub(crate) webex: WeakWebex,
    pub(crate) logger: Logger,
    /// The plugin's own token cache, or the client's; `Mercury::connect` checks one exists.
    pub(crate) tokens: TokenCache,
    pub(crate) config: proto::Config,
    pub(crate) state: watch::Sender<ConnectionState>,
    pub(crate) subscribers: Subscribers,
    pub(crate) commands: mpsc::Receiver<Command>,
}

fn now() -> std::time::Instant {
    Instant::now().into_std()
}

impl Driver {
    pub(crate) async fn run(mut self) {
        let mut core = proto::Connection::new(self.config.clone());
        let mut socket: Option<Socket> = None;
        let mut token: Option<Arc<AccessToken>> = None;
        // Frames written to the socket and not flushed yet.
        let mut written = 0;
        core.connect(now());
        loop {
            // Carry out everything the core asked for, in order.
            while let Some(output) = core.poll_output() {
                if self
                    .carry_out(&mut core, &mut socket, &mut token, &mut written, output)
                    .await
                {
                    self.subscribers.close_all();
                    return;
                }
            }
            // A timer that fell due while the loop was busy (a slow hand-off, a flood of
            // frames) fires now, before more input: a busy socket cannot starve the pings.
            let deadline = core.poll_timeout().map(Instant::from_std);
            if deadline.is_some_and(|at| at <= Instant::now()) {
                core.handle_timeout(now());
                continue;
            }
            if written > 0 {
                // A frame already received is handled first: its ack joins the same write.
                if written < FLUSH_EVERY
                    && let Some(message) = next(&mut socket).now_or_never()
                {
                    self.on_message(&mut core, &mut socket, message);
                    continue;
                }
                written = 0;
                self.flush(&mut core, &mut socket).await;
                // A failed flush closed the connection: its outputs come first.
                continue;
            }
            tokio::select! {
                biased;
                command = self.commands.recv() => match command {
                    Some(Command::Disconnect) | None => core.disconnect(now()),
                },
                message = next(&mut socket) => self.on_message(&mut core, &mut socket, message),
                () = sleep_until(deadline) => core.handle_timeout(now()),
            }
        }
    }

    /// Carries out one output; true when the connection reached a terminal state.
    async fn carry_out(
        &mut self,
        core: &mut proto::Connection,
        socket: &mut Option<Socket>,
        token: &mut Option<Arc<AccessToken>>,
        written: &mut usize,
        output: Output,
    ) -> bool {
        match output {
            Output::Dial => match self.dial(token).await {
                Ok((ws, authorization, tracking_id)) => {
                    *socket = Some(ws);
                    core.handle_opened(now(), &authorization, &tracking_id);
                }
                Err(DialError::Retry(reason)) => {
                    webex_core::log_warn!(self.logger, "mercury dial failed: {reason}");
                    core.handle_dial_failed(now(), &reason);
                }
                Err(DialError::Fatal(err)) => core.handle_fatal(now(), err),
                Err(DialError::ClientDropped) => core.disconnect(now()),
            },
            // Written now, flushed by the loop once no received frame waits (or after
            // `FLUSH_EVERY` frames).
            Output::Send(frame) => {
                let sent = match socket.as_mut() {
                    Some(ws) => tokio::time::timeout(
                        self.config.send_timeout,
                        ws.feed(Message::text(frame.into_text())),
                    )
                    .await
                    .map_err(|_| "send timed out".to_owned())
                    .and_then(|r| r.map_err(|e| format!("send failed: {e}"))),
                    None => Ok(()),
                };
                match sent {
                    Ok(()) => *written += 1,
                    Err(reason) => self.lost(core, socket, &reason),
                }
            }
            Output::Close { code, reason } => {
                if let Some(mut ws) = socket.take() {
                    let frame = CloseFrame {
                        code: CloseCode::from(code),
                        reason: reason.into(),
                    };
                    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
                        if ws.close(Some(frame)).await.is_ok() {
                            while let Some(Ok(_)) = ws.next().await {}
                        }
                    })
                    .await;
                }
            }
            Output::Event(event) => {
                self.subscribers
                    .deliver(Ok(event), self.config.handoff_timeout)
                    .await;
            }
            Output::State(state) => {
                webex_core::log_debug!(self.logger, "mercury state: {state:?}");
                let terminal = state.is_terminal();
                self.state.send_replace(state);
                return terminal;
            }
            Output::RefreshToken => self.refresh_token(token).await,
            Output::RefreshDevice => {
                // Without a client the command channel is closed too: the loop stops.
                if let Some(webex) = self.webex.upgrade()
                    && let Err(err) = webex.devices().refresh().await
                {
                    webex_core::log_warn!(self.logger, "device refresh failed: {err}");
                }
            }
            Output::Warn(warning) => self.report(warning).await,
        }
        false
    }

    /// Flushes what was written to the socket.
    async fn flush(&self, core: &mut proto::Connection, socket: &mut Option<Socket>) {
        let Some(ws) = socket.as_mut() else {
            return;
        };
        let flushed = tokio::time::timeout(self.config.send_timeout, ws.flush())
            .await
            .map_err(|_| "send timed out".to_owned())
            .and_then(|r| r.map_err(|e| format!("send failed: {e}")));
        if let Err(reason) = flushed {
            self.lost(core, socket, &reason);
        }
    }

    /// The socket could not be written to: it is dropped and the core told (1006).
    fn lost(&self, core: &mut proto::Connection, socket: &mut Option<Socket>, reason: &str) {
        if socket.take().is_some() {
            webex_core::log_warn!(self.logger, "mercury: {reason}");
            core.handle_close(now(), 1006, reason);
        }
    }

    /// Logs a warning; a frame that could not be read is also reported to subscribers.
    async fn report(&self, warning: proto::Warning) {
        if let proto::Warning::Duplicate(id) = &warning {
            webex_core::log_debug!(self.logger, "mercury: redelivered event {id} dropped");
            return;
        }
        webex_core::log_warn!(self.logger, "mercury: {warning:?}");
        if let Some((id, reason)) = warning.unreadable() {
            let error = EventError::Malformed {
                id: id.map(str::to_owned),
                reason,
            };
            self.subscribers
                .deliver(Err(error), self.config.handoff_timeout)
                .await;
        }
    }

    fn on_message(
        &self,
        core: &mut proto::Connection,
        socket: &mut Option<Socket>,
        message: Option<Result<Message, WsError>>,
    ) {
        match message {
            Some(Ok(Message::Text(text))) => core.handle_shared_text(now(), &text),
            Some(Ok(Message::Binary(bytes))) => core.handle_binary(now(), &bytes),
            Some(Ok(Message::Close(frame))) => {
                *socket = None;
                let (code, reason) = frame.map_or((1005, String::new()), |f| {
                    (u16::from(f.code), f.reason.to_string())
                });
                core.handle_close(now(), code, &reason);
            }
            Some(Ok(_)) => {}
            // Too large: the core closes with 1009 (the socket is still writable).
            Some(Err(WsError::Capacity(err))) => core.handle_oversized(now(), &err.to_string()),
            Some(Err(err)) => {
                *socket = None;
                core.handle_close(now(), 1006, &err.to_string());
            }
            None => {
                *socket = None;
                core.handle_close(now(), 1006, "connection lost");
            }
        }
    }

    async fn token(
        &self,
        cached: &mut Option<Arc<AccessToken>>,
    ) -> Result<Arc<AccessToken>, DialError> {
        let token = self
            .tokens
            .token()
            .await
            .map_err(|e| DialError::Fatal(MercuryError::Setup(e.to_string())))?;
        *cached = Some(token.clone());
        Ok(token)
    }

    async fn refresh_token(&self, cached: &mut Option<Arc<AccessToken>>) {
        if let Some(rejected) = cached.as_ref() {
            match self.tokens.refresh(rejected).await {
                Ok(Some(token)) => *cached = Some(token),
                Ok(None) => webex_core::log_warn!(
                    self.logger,
                    "mercury: 4401, and the token cannot be refreshed"
                ),
                Err(err) => {
                    webex_core::log_warn!(self.logger, "mercury: token refresh failed: {err}")
                }
            }
        }
    }

    /// Registers the device if needed, builds the URL (`docs/protocol/mercury.md`, *Connection
    /// URL*) and opens the socket.
    async fn dial(
        &self,
        cached: &mut Option<Arc<AccessToken>>,
    ) -> Result<(Socket, String, String), DialError> {
        let (url, authorization, tracking_id) = self.prepare(cached).await?;
        let tls = self.tls_connector()?;
        webex_core::log_info!(
            self.logger,
            "mercury connecting to {}",
            url.split('?').next().unwrap_or_default()
        );
        let limit = self.config.hard_frame_limit();
        let (ws, _) = tokio::time::timeout(DIAL_TIMEOUT, connect(&url, limit, tls))
            .await
            .map_err(|_| DialError::Retry("timed out".to_owned()))?
            .map_err(|e| DialError::Retry(e.to_string()))?;
        Ok((ws, authorization, tracking_id))
    }

    /// With the client's `extra_root_certificates` set, a TLS connector trusting them besides
    /// the webpki roots, as its HTTP requests do (the core builds it once); else `None`,
    /// tungstenite's own (webpki roots).
    fn tls_connector(&self) -> Result<Option<tokio_tungstenite::Connector>, DialError> {
        let webex = self.webex.upgrade().ok_or(DialError::ClientDropped)?;
        Ok(webex
            .tls_client_config()
            .map(|tls| tokio_tungstenite::Connector::Rustls(Arc::clone(tls))))
    }

    /// The socket URL, the authorization and the tracking id; the only step that needs the
    /// client, which it holds until it returns.
    async fn prepare(
        &self,
        cached: &mut Option<Arc<AccessToken>>,
    ) -> Result<(String, String, String), DialError> {
        let webex = self.webex.upgrade().ok_or(DialError::ClientDropped)?;
        let Some(devices) = webex.plugin::<webex_devices::DevicesPlugin>() else {
            return Err(DialError::Fatal(MercuryError::Setup(
                "the `devices` plugin is not added to this client".into(),
            )));
        };
        let ephemeral = devices.config().ttl.is_some();
        let device = webex
            .devices()
            .ensure_registered()
            .await
            .map_err(|e| DialError::Retry(format!("device registration: {e}")))?;
        let token = self.token(cached).await?;
        let mut url = device.web_socket_url.clone();
        trust::check(&webex, &url).map_err(DialError::Fatal)?;
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("outboundWireFormat", "text")
                .append_pair("bufferStates", "true")
                .append_pair("aliasHttpStatus", "true");
            if ephemeral {
                query.append_pair("multipleConnections", "true");
            }
            query.append_pair("clientTimestamp", &millis.to_string());
        }
        let tracking_id = format!("{}_{millis}", webex.session_id());
        Ok((url.into(), token.authorization(), tracking_id))
    }
}

/// Why a dial failed.
enum DialError {
    /// Worth another attempt.
    Retry(String),
    /// Not worth any.
    Fatal(MercuryError),
    /// Every client handle is gone: stop as if disconnected.
    ClientDropped,
}

/// The socket's read buffer. Tungstenite zeroes its whole free part before every read: at
/// its default of 128 KiB that is some 65,000 instructions per read, and 128 KiB of memory
/// touched per connected client. Events are a kilobyte or two, so a burst still arrives
/// several frames per read; a larger frame just takes more reads.
const READ_BUFFER: usize = 16 * 1024;

/// Opens the socket with Nagle's algorithm off, as Node's `ws` (the JS SDK's socket) does: a
/// frame (a pong, the close frame) must not wait for the peer's delayed ACK of the last one.
async fn connect(
    url: &str,
    limit: usize,
    tls: Option<tokio_tungstenite::Connector>,
) -> Result<
    (
        Socket,
        tokio_tungstenite::tungstenite::handshake::client::Response,
    ),
    tokio_tungstenite::tungstenite::Error,
> {
    let config = WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit))
        .read_buffer_size(READ_BUFFER);
    tokio_tungstenite::connect_async_tls_with_config(url, Some(config), true, tls).await
}

async fn next(socket: &mut Option<Socket>) -> Option<Result<Message, WsError>> {
    match socket {
        Some(ws) => ws.next().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
