//! The operations behind `Kms`: the request with the JS SDK's timeouts, the ECDHE
//! negotiation, wrapping, and text decryption with cached keys.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::time::Instant;
use webex_core::Webex;
use webex_devices::DevicesExt;

use crate::context::{Context, EphemeralKey};
use crate::discovery::{self, KmsDetails};
use crate::error::KmsError;
use crate::jose;
use crate::keys;
use crate::plugin::EncryptionPlugin;
use crate::transport::Shared;

/// Who is asking: the `client` object of every request.
struct ClientInfo {
    device_url: String,
    user_id: String,
}

impl ClientInfo {
    /// From the registered device (registering it if needed).
    async fn of(webex: &Webex) -> Result<Self, KmsError> {
        let device = webex.devices().ensure_registered().await?;
        Ok(Self {
            device_url: device.url.to_string(),
            user_id: device.user_id,
        })
    }

    /// `request` with `requestId` and `client` (the bearer is the current access token,
    /// without `Bearer `).
    async fn complete(
        &self,
        webex: &Webex,
        request: &Map<String, Value>,
    ) -> Result<(String, Vec<u8>), KmsError> {
        let tokens = webex
            .credentials()
            .ok_or_else(|| KmsError::Setup("the client has no access token".into()))?;
        let token = tokens.token().await?;
        let request_id = uuid::Uuid::new_v4().to_string();
        let mut body = request.clone();
        body.insert("requestId".into(), request_id.clone().into());
        body.insert(
            "client".into(),
            json!({
                "clientId": self.device_url,
                "credential": {"userId": self.user_id, "bearer": token.secret()},
            }),
        );
        let bytes =
            serde_json::to_vec(&body).map_err(|err| KmsError::InvalidRequest(err.to_string()))?;
        Ok((request_id, bytes))
    }
}

/// `request` as an object with a string `method` and `uri`.
fn checked(request: Value) -> Result<Map<String, Value>, KmsError> {
    let Value::Object(request) = request else {
        return Err(KmsError::InvalidRequest(
            "a KMS request is a JSON object".into(),
        ));
    };
    for field in ["method", "uri"] {
        if !request.get(field).is_some_and(Value::is_string) {
            return Err(KmsError::InvalidRequest(format!(
                "a KMS request has a string `{field}`"
            )));
        }
    }
    Ok(request)
}

fn field<'a>(request: &'a Map<String, Value>, name: &str) -> &'a str {
    request
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The next wait after one timed out: doubled; `None` when the request gives up; `Some(_, true)`
/// when the context is to be negotiated anew (and the wait starts over).
fn next_wait(shared: &Shared, waited: Duration) -> Option<(Duration, bool)> {
    let config = &shared.config;
    let next = waited.saturating_mul(2);
    if next >= config.ecdh_max_timeout {
        return None;
    }
    if next >= config.max_timeout && next.saturating_mul(2) < config.ecdh_max_timeout {
        return Some((config.initial_timeout, true));
    }
    Some((next, false))
}

/// An answer's body, or its error status as a `KmsError`.
fn accepted(answer: Value, request_id: &str) -> Result<Value, KmsError> {
    let status = answer.get("status").and_then(Value::as_u64).unwrap_or(0);
    if status >= 400 {
        return Err(KmsError::Kms {
            status: u16::try_from(status).unwrap_or(u16::MAX),
            reason: answer
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            request_id: request_id.to_owned(),
        });
    }
    Ok(answer)
}

/// The KMS's details, discovered once (a failure is not remembered: the next request asks
/// again).
async fn details(
    webex: &Webex,
    shared: &Shared,
    client: &ClientInfo,
) -> Result<KmsDetails, KmsError> {
    let mut details = shared.details.lock().await;
    if let Some(details) = details.as_ref() {
        return Ok(details.clone());
    }
    let found = discovery::discover(webex, &client.user_id).await?;
    shared.set_server(&found);
    *details = Some(found.clone());
    Ok(found)
}

/// The current context, negotiated first when there is none or it is about to expire.
async fn context(
    webex: &Webex,
    shared: &Arc<Shared>,
    client: &ClientInfo,
) -> Result<Arc<Context>, KmsError> {
    let mut current = shared.context.lock().await;
    if let Some(context) = current.as_ref().filter(|c| c.usable(Instant::now())) {
        return Ok(Arc::clone(context));
    }
    *current = None;
    let details = details(webex, shared, client).await?;
    shared.listen(webex).await?;
    let ephemeral = EphemeralKey::generate()?;
    let mut request = Map::new();
    request.insert("method".into(), "create".into());
    request.insert("uri".into(), format!("{}/ecdhe", details.cluster).into());
    request.insert("jwk".into(), ephemeral.public_jwk());
    let mut wait = shared.config.initial_timeout;
    let answer = loop {
        let (request_id, body) = client.complete(webex, &request).await?;
        let wrapped = jose::encrypt_rsa_oaep(&details.key, &details.kid, &body)?;
        match shared
            .exchange(webex, &details.cluster, &request_id, wrapped, wait)
            .await?
        {
            Some(answer) => break accepted(answer, &request_id)?,
            None => {
                wait = next_wait(shared, wait)
                    .map(|(next, _)| next)
                    .ok_or_else(|| timeout(wait, &request, &request_id))?;
            }
        }
    };
    let key = answer
        .get("key")
        .ok_or_else(|| KmsError::Malformed("the ECDHE answer has no key".into()))?;
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct EcdheKey {
        uri: String,
        jwk: Value,
        expiration_date: Option<String>,
    }
    let ecdhe: EcdheKey = serde_json::from_value(key.clone())
        .map_err(|err| KmsError::Malformed(format!("the ECDHE key: {err}")))?;
    let shared_key = ephemeral.derive(&ecdhe.jwk)?;
    let renew_at = ecdhe
        .expiration_date
        .as_deref()
        .and_then(keys::until)
        .map(|left| Instant::now() + left.saturating_sub(shared.config.context_expiry_margin));
    let context = Arc::new(Context {
        uri: ecdhe.uri,
        key: shared_key,
        renew_at,
    });
    shared.add_context(&context);
    *current = Some(Arc::clone(&context));
    Ok(context)
}

fn timeout(waited: Duration, request: &Map<String, Value>, request_id: &str) -> KmsError {
    KmsError::Timeout {
        waited,
        method: field(request, "method").to_owned(),
        uri: field(request, "uri").to_owned(),
        request_id: request_id.to_owned(),
    }
}

pub(crate) async fn wrap(
    webex: &Webex,
    plugin: &EncryptionPlugin,
    request: Value,
) -> Result<String, KmsError> {
    let request = checked(request)?;
    let client = ClientInfo::of(webex).await?;
    let context = context(webex, &plugin.shared, &client).await?;
    let (_, body) = client.complete(webex, &request).await?;
    jose::encrypt_dir(&context.key, Some(&context.uri), &body)
}

pub(crate) async fn request(
    webex: &Webex,
    plugin: &EncryptionPlugin,
    request: Value,
) -> Result<Value, KmsError> {
    let request = checked(request)?;
    let shared = &plugin.shared;
    let client = ClientInfo::of(webex).await?;
    let mut wait = shared.config.initial_timeout;
    loop {
        let context = context(webex, shared, &client).await?;
        let cluster = details(webex, shared, &client).await?.cluster;
        let (request_id, body) = client.complete(webex, &request).await?;
        let wrapped = jose::encrypt_dir(&context.key, Some(&context.uri), &body)?;
        if let Some(answer) = shared
            .exchange(webex, &cluster, &request_id, wrapped, wait)
            .await?
        {
            return accepted(answer, &request_id);
        }
        let (next, renegotiate) =
            next_wait(shared, wait).ok_or_else(|| timeout(wait, &request, &request_id))?;
        if renegotiate {
            let mut current = shared.context.lock().await;
            if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, &context)) {
                *current = None;
            }
        }
        wait = next;
    }
}

pub(crate) async fn decrypt_text(
    webex: &Webex,
    plugin: &EncryptionPlugin,
    key_uri: &str,
    jwe: &str,
) -> Result<String, KmsError> {
    // Read the JWE before asking KMS for anything: garbage fails fast.
    if jose::parts(jwe) != 5 {
        return Err(KmsError::Malformed(format!(
            "a compact JWE has 5 parts, not {}",
            jose::parts(jwe)
        )));
    }
    jose::peek_header(jwe)?;
    let key = keys::get(webex, plugin, key_uri).await?;
    let plaintext = jose::decrypt_dir(key.as_slice(), jwe)?;
    String::from_utf8(plaintext).map_err(|_| KmsError::Malformed("the text is not UTF-8".into()))
}
