//! # webex-mercury
//!
//! The Mercury websocket event channel (`docs/protocol/mercury.md`): the device's
//! `webSocketUrl` with the JS SDK's query parameters, the authorization frame, readiness on
//! `mercury.buffer_state`, an ack for every frame with an id, ping/pong, the close-code
//! policy and reconnects with exponential backoff and jitter, and a typed event stream.
//!
//! The protocol lives in [`proto`], a sans-IO state machine with time passed in; a thin tokio
//! driver runs it over `tokio-tungstenite`. [`Mercury::events`] is a
//! `Stream<Item = Result<MercuryEvent, EventError>>` (conversation activities typed, other
//! event types kept as raw JSON; an error item reports a skipped frame or missed events and
//! the stream goes on); [`Mercury::state`] is a `watch` of the [`ConnectionState`].
//!
//! **Delivery.** Each stream has its own bounded queue ([`MercuryConfig::event_buffer`]). The
//! driver acks a frame only after handing its event to every live stream's queue, waiting for
//! room when one is full (backpressure); a stream whose queue stays full for
//! [`MercuryConfig::handoff_timeout`] misses the event and later gets
//! [`EventError::Lagged`] with the count. Redeliveries (an event id seen among the last
//! [`MercuryConfig::dedupe_window`] events, across reconnects) are dropped.
//!
//! **Trust.** The token goes only to a `wss://` socket URL on a host the client trusts with
//! it (the HTTP auth layer's rule), or `ws://` to loopback; otherwise `connect()` fails with
//! [`MercuryError::UntrustedUrl`].
//!
//! **Lifetime.** The connection's task belongs to the client: it holds no `Webex` handle, so
//! dropping the last one (without [`Webex::shutdown`](webex_core::Webex::shutdown)) closes the
//! socket with 1000 and ends the task, as [`Mercury::disconnect`] does.
//!
//! **Token.** The socket is authorized with the client's own token
//! ([`Webex::credentials`](webex_core::Webex::credentials)), so a 4401 refresh is shared with
//! HTTP. A plugin may be given a different one with [`MercuryPlugin::with_access_token`] or
//! [`MercuryPlugin::with_token_provider`] (which also becomes the client's provider when the
//! builder has none).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::StreamExt;
//! use webex_core::http::{Request, Target};
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//! use webex_mercury::{MercuryEvent, MercuryExt, MercuryPlugin};
//!
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(MercuryPlugin::default())
//!     .build()
//!     .await?;
//!
//! let mut events = webex.mercury().events();
//! webex.mercury().connect().await?;
//! let body = serde_json::json!({"title": "Project X"});
//! let _: serde_json::Value = webex
//!     .http()
//!     .json(Request::post(Target::service("hydra", "rooms")).json(&body)?)
//!     .await?;
//! while let Some(event) = events.next().await {
//!     if let MercuryEvent::Activity(event) = event? {
//!         assert_eq!(event.activity.verb, "create");
//!         break;
//!     }
//! }
//! webex.mercury().disconnect().await;
//! # Ok(()) }
//! ```

mod driver;
mod error;
mod event;
mod frame;
pub mod proto;
mod subscribers;
mod trust;

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use webex_core::credentials::{ProvideToken, StaticToken, TokenCache};
use webex_core::{BuildContext, Plugin, PluginId, Result, Webex};

pub use error::{EventError, MercuryError};
pub use event::{
    ACTIVITY, Activity, ActivityEvent, ActivityObject, Envelope, MercuryEvent, RawData,
};
pub use proto::{Config as MercuryConfig, ConnectionState};

struct Session {
    commands: mpsc::Sender<driver::Command>,
    task: JoinHandle<()>,
}

/// The `mercury` plugin: one Mercury connection per client, shared by every listener.
pub struct MercuryPlugin {
    config: MercuryConfig,
    /// A provider given to the plugin itself (`with_token_provider`).
    provider: Option<Arc<dyn ProvideToken>>,
    /// The cache over `provider`, set in `build` only when the client kept a provider of its
    /// own; when the client adopted ours, its cache (`Webex::credentials`) is the one used,
    /// so HTTP and the socket refresh single-flight.
    own_tokens: Option<TokenCache>,
    state: watch::Sender<ConnectionState>,
    subscribers: subscribers::Subscribers,
    session: tokio::sync::Mutex<Option<Session>>,
}

impl std::fmt::Debug for MercuryPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MercuryPlugin")
            .field("config", &self.config)
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

impl Default for MercuryPlugin {
    fn default() -> Self {
        Self::new(MercuryConfig::default())
    }
}

/// A clone starts disconnected, with the same settings and token provider.
impl Clone for MercuryPlugin {
    fn clone(&self) -> Self {
        let mut plugin = Self::new(self.config.clone());
        plugin.provider.clone_from(&self.provider);
        plugin
    }
}

impl MercuryPlugin {
    /// The plugin's name (logs, errors, `webex.plugin_names()`).
    pub const NAME: &'static str = "mercury";

    /// A plugin with `config` and no token (see the crate docs).
    #[must_use]
    pub fn new(config: MercuryConfig) -> Self {
        Self {
            config,
            provider: None,
            own_tokens: None,
            state: watch::Sender::new(ConnectionState::Disconnected),
            subscribers: subscribers::Subscribers::default(),
            session: tokio::sync::Mutex::default(),
        }
    }

    /// Authorizes the socket with `provider`'s token (refreshed once on 4401).
    #[must_use]
    pub fn with_token_provider(mut self, provider: Arc<dyn ProvideToken>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Authorizes the socket with a fixed token.
    #[must_use]
    pub fn with_access_token(self, token: impl AsRef<str>) -> Self {
        self.with_token_provider(Arc::new(StaticToken::new(token)))
    }

    /// Replaces the settings.
    #[must_use]
    pub fn with_config(mut self, config: MercuryConfig) -> Self {
        self.config = config;
        self
    }
}

#[webex_core::async_trait]
impl Plugin for MercuryPlugin {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// The socket URL comes from the device registration.
    fn dependencies(&self) -> Vec<PluginId> {
        vec![PluginId::of::<webex_devices::DevicesPlugin>()]
    }

    fn build(&mut self, ctx: &mut BuildContext<'_>) -> Result<()> {
        self.own_tokens = match &self.provider {
            Some(provider) if !ctx.has_token_provider() => {
                ctx.set_token_provider(provider.clone());
                None
            }
            Some(provider) => Some(TokenCache::new(provider.clone())),
            None => None,
        };
        Ok(())
    }

    async fn stop(&self, webex: &Webex) -> Result<()> {
        webex.mercury().disconnect().await;
        Ok(())
    }
}

/// `webex.mercury()`.
pub trait MercuryExt {
    /// The Mercury connection of this client.
    fn mercury(&self) -> Mercury;
}

impl MercuryExt for Webex {
    fn mercury(&self) -> Mercury {
        Mercury {
            webex: self.clone(),
        }
    }
}

/// The Mercury API; cheap to clone.
#[derive(Debug, Clone)]
pub struct Mercury {
    webex: Webex,
}

impl Mercury {
    fn plugin(&self) -> std::result::Result<&MercuryPlugin, MercuryError> {
        self.webex.plugin::<MercuryPlugin>().ok_or_else(|| {
            MercuryError::Setup(
                "the `mercury` plugin is not added to this client (add webex_mercury::MercuryPlugin)"
                    .into(),
            )
        })
    }

    /// Connects (registering the device first if needed) and resolves once the socket is
    /// authorized and ready; resolves at once when already connected. With the default
    /// `max_retries` (none), keeps retrying while the server is unreachable, as the JS SDK does.
    ///
    /// # Errors
    /// A fatal close ([`MercuryError::BadRequest`], `Forbidden`, `NotAuthorized`, ...),
    /// `RetriesExhausted`, `UntrustedUrl`, or `Setup` (no plugin, no token, no devices
    /// plugin).
    pub async fn connect(&self) -> std::result::Result<(), MercuryError> {
        let plugin = self.plugin()?;
        // Without any token nothing below can succeed (device registration would be refused
        // and retried forever): say so at once.
        let tokens = plugin
            .own_tokens
            .clone()
            .or_else(|| self.webex.credentials().cloned())
            .ok_or_else(|| {
                MercuryError::Setup(
                    "no access token: build the client with a token (or give the mercury plugin \
                     one with MercuryPlugin::with_access_token or with_token_provider)"
                        .into(),
                )
            })?;
        let mut state = plugin.state.subscribe();
        {
            let mut session = plugin.session.lock().await;
            let running = session.as_ref().is_some_and(|s| !s.task.is_finished())
                && !plugin.state.borrow().is_terminal();
            if !running {
                let (commands, rx) = mpsc::channel(4);
                plugin.state.send_replace(ConnectionState::Connecting);
                let driver = driver::Driver {
                    webex: self.webex.downgrade(),
                    logger: self.webex.logger().clone(),
                    tokens,
                    config: plugin.config.clone(),
                    state: plugin.state.clone(),
                    subscribers: plugin.subscribers.clone(),
                    commands: rx,
                };
                let task = tokio::spawn(driver.run());
                *session = Some(Session { commands, task });
                state.mark_changed();
            }
        }
        let result = state
            .wait_for(|s| matches!(s, ConnectionState::Connected) || s.is_terminal())
            .await
            .map(|s| s.clone());
        match result {
            Ok(ConnectionState::Connected) => Ok(()),
            Ok(ConnectionState::Failed(err)) => Err(err),
            _ => Err(MercuryError::Setup("disconnected while connecting".into())),
        }
    }

    /// Closes the socket with 1000 `Done` and stops reconnecting; event streams end. Does
    /// nothing when not connected.
    pub async fn disconnect(&self) {
        let Ok(plugin) = self.plugin() else { return };
        let session = plugin.session.lock().await.take();
        if let Some(session) = session {
            let _ = session.commands.send(driver::Command::Disconnect).await;
            if let Err(err) = session.task.await {
                webex_core::log_error!(self.webex.logger(), "mercury driver failed: {err}");
            }
        }
    }

    /// Every event from now on, until the connection stops (`disconnect`, a fatal close, or
    /// the last client handle dropped; the stream does not keep the client alive).
    /// Subscribe before [`connect`](Self::connect) to miss nothing. Without the plugin, the
    /// stream is empty.
    ///
    /// An `Err` item reports a frame that was skipped ([`EventError::Malformed`]) or events
    /// this stream missed because it fell behind ([`EventError::Lagged`], only after the
    /// driver waited [`MercuryConfig::handoff_timeout`] for room in its queue); the stream
    /// goes on after it. A reconnect shows on [`state`](Self::state), not here.
    pub fn events(&self) -> BoxStream<'static, std::result::Result<MercuryEvent, EventError>> {
        let Ok(plugin) = self.plugin() else {
            return futures::stream::empty().boxed();
        };
        // Only the queue: a stream must not keep the client (and so its connection) alive.
        let receiver = plugin.subscribers.subscribe(plugin.config.event_buffer);
        futures::stream::unfold(receiver, |mut receiver| async move {
            receiver.recv().await.map(|item| (item, receiver))
        })
        .boxed()
    }

    /// The connection state, as a `watch` receiver.
    ///
    /// # Errors
    /// [`MercuryError::Setup`] without the plugin.
    pub fn state(&self) -> std::result::Result<watch::Receiver<ConnectionState>, MercuryError> {
        Ok(self.plugin()?.state.subscribe())
    }
}
