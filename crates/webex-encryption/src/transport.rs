//! The transport: requests go out as `POST {encryption}/kms/messages`, answers come back
//! over Mercury (`encryption.kms_message`) and are matched to their request by `requestId`.
//! Also what every `Kms` handle of one client shares (the plugin holds it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use webex_core::Webex;
use webex_core::http::{Request, Target};
use webex_core::logging::Logger;
use webex_mercury::{MercuryEvent, MercuryExt};

use crate::config::EncryptionConfig;
use crate::context::Context;
use crate::discovery::KmsDetails;
use crate::error::KmsError;
use crate::jose;

/// The Mercury event type of KMS answers.
pub(crate) const KMS_MESSAGE: &str = "encryption.kms_message";

/// How many contexts answers are still decrypted with (the current one and the ones it
/// replaced, for answers already on their way).
const KEPT_CONTEXTS: usize = 3;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The plugin's shared state.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) config: EncryptionConfig,
    /// Discovery's answer, once it succeeded.
    pub(crate) details: tokio::sync::Mutex<Option<KmsDetails>>,
    /// The current context; its lock is held while one is negotiated (single flight).
    pub(crate) context: tokio::sync::Mutex<Option<Arc<Context>>>,
    /// Contexts answers may be encrypted under, newest last.
    contexts: Mutex<Vec<Arc<Context>>>,
    /// The KMS identity that signs ECDHE answers (copied from `details` for the listener).
    server: Mutex<Option<KmsDetails>>,
    /// Requests waiting for their answer, by `requestId`.
    pending: Mutex<HashMap<String, oneshot::Sender<Value>>>,
    /// The task reading Mercury.
    listener: tokio::sync::Mutex<Option<JoinHandle<()>>>,
    /// Keys fetched so far, by URI.
    pub(crate) keys: Mutex<HashMap<String, Arc<[u8; 32]>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .field("pending", &lock(&self.pending).len())
            .field("keys", &lock(&self.keys).len())
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(config: EncryptionConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// Remembers the KMS identity for verifying ECDHE answers.
    pub(crate) fn set_server(&self, details: &KmsDetails) {
        *lock(&self.server) = Some(details.clone());
    }

    /// Makes `context` the one answers are decrypted with first.
    pub(crate) fn add_context(&self, context: &Arc<Context>) {
        let mut contexts = lock(&self.contexts);
        contexts.push(Arc::clone(context));
        let excess = contexts.len().saturating_sub(KEPT_CONTEXTS);
        contexts.drain(..excess);
    }

    /// Starts reading Mercury (once; again after the stream ended) and connects it.
    pub(crate) async fn listen(self: &Arc<Self>, webex: &Webex) -> Result<(), KmsError> {
        {
            let mut listener = self.listener.lock().await;
            if listener.as_ref().is_none_or(JoinHandle::is_finished) {
                // Subscribe before connecting, so no answer can come before the stream.
                let events = webex.mercury().events();
                let shared = Arc::clone(self);
                let logger = webex.logger().clone();
                *listener = Some(tokio::spawn(async move {
                    let mut events = events;
                    while let Some(event) = events.next().await {
                        if let Ok(MercuryEvent::Other(envelope)) = event
                            && envelope.event_type == KMS_MESSAGE
                        {
                            shared.receive(&logger, envelope.data.get());
                        }
                    }
                }));
            }
        }
        webex.mercury().connect().await?;
        Ok(())
    }

    /// Opens every message of one `encryption.kms_message` event's `data` and hands each
    /// answer to its request. What cannot be read is logged and dropped: its request, if
    /// any, times out.
    fn receive(&self, logger: &Logger, data: &str) {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Encryption {
            #[serde(default)]
            kms_messages: Vec<Value>,
        }
        #[derive(Deserialize)]
        struct Data {
            encryption: Encryption,
        }
        let messages = match serde_json::from_str::<Data>(data) {
            Ok(data) => data.encryption.kms_messages,
            Err(err) => {
                webex_core::log_warn!(logger, "kms: unreadable {KMS_MESSAGE} event: {err}");
                return;
            }
        };
        for message in messages {
            let Some(message) = message.as_str() else {
                webex_core::log_warn!(logger, "kms: a kmsMessages item is not a string");
                continue;
            };
            match self.open(message) {
                Ok(answer) => self.deliver(logger, answer),
                Err(err) => webex_core::log_warn!(logger, "kms: dropped an answer: {err}"),
            }
        }
    }

    /// The body of an answer: a JWS signed by the KMS (the ECDHE answer), or a JWE under one
    /// of the contexts.
    fn open(&self, message: &str) -> Result<Value, KmsError> {
        let header = jose::peek_header(message)?;
        let plaintext = if jose::parts(message) == 3 {
            let server = lock(&self.server)
                .clone()
                .ok_or_else(|| KmsError::Malformed("a signed answer before discovery".into()))?;
            if header.kid.as_deref() != Some(server.kid.as_str()) {
                return Err(KmsError::Malformed(
                    "a signed answer under an unknown kid".into(),
                ));
            }
            jose::verify_rs256(&server.key, message)?
        } else {
            let context = lock(&self.contexts)
                .iter()
                .rev()
                .find(|context| header.kid.as_deref() == Some(context.uri.as_str()))
                .cloned()
                .ok_or_else(|| {
                    KmsError::Malformed(format!(
                        "an answer under an unknown context {}",
                        header.kid.as_deref().unwrap_or("(no kid)")
                    ))
                })?;
            jose::decrypt_dir(&context.key, message)?
        };
        serde_json::from_slice(&plaintext)
            .map_err(|_| KmsError::Malformed("an answer is not JSON".into()))
    }

    fn deliver(&self, logger: &Logger, answer: Value) {
        let id = answer
            .get("requestId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match lock(&self.pending).remove(id) {
            Some(waiting) => {
                let _ = waiting.send(answer);
            }
            None => webex_core::log_debug!(logger, "kms: an answer to no waiting request {id}"),
        }
    }

    /// Sends one wrapped request and waits up to `timeout` for its answer; `None` when it
    /// did not come in time.
    pub(crate) async fn exchange(
        &self,
        webex: &Webex,
        cluster: &str,
        request_id: &str,
        wrapped: String,
        timeout: Duration,
    ) -> Result<Option<Value>, KmsError> {
        let (sender, answer) = oneshot::channel();
        lock(&self.pending).insert(request_id.to_owned(), sender);
        let forget = || lock(&self.pending).remove(request_id);
        let body = json!({"destination": cluster, "kmsMessages": [wrapped]});
        let posted = match Request::post(Target::service("encryption", "kms/messages")).json(&body)
        {
            Ok(request) => webex.http().send(request).await,
            Err(err) => Err(err),
        };
        if let Err(err) = posted {
            forget();
            return Err(err.into());
        }
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(answer)) => Ok(Some(answer)),
            Ok(Err(_)) | Err(_) => {
                forget();
                Ok(None)
            }
        }
    }
}
