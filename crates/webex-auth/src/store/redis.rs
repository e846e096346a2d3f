//! Tokens in Redis, shared by several instances of an integration, with the refresh lock
//! they take turns with.

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::time::Instant;

use super::stored::StoredTokens;
use super::{RefreshLock, TokenStore};
use crate::{AuthError, TokenSet};

/// Deletes the lock only if it still holds this holder's value: after it expired, another
/// process may have taken it, and that one's lock must stay.
const RELEASE: &str = r#"if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0"#;

/// How often a process waiting for the refresh lock tries again, at first and at most.
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(250);

/// How long connecting and each command may take, so a Redis server that hangs fails a
/// token request instead of holding it (and every request waiting behind it).
const REDIS_TIMEOUT: Duration = Duration::from_secs(5);
/// Reconnection attempts per failure (each waits a little longer).
const RECONNECTS: usize = 2;

/// Tokens in Redis under one key, for integrations that run several instances (behind a
/// load balancer, say) on one grant. The instances refresh one at a time: the refresh lock
/// is a second key, `{key}:refresh-lock`, set with `SET NX PX` (so it expires when its
/// holder dies) and deleted only by its holder; the others wait and then use the token the
/// holder saved.
///
/// The tokens are stored as JSON in clear: protect the Redis server as you would the
/// tokens (its own network, a password or ACL user in the URL). `Debug` shows the key, not
/// the URL.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use webex_auth::{OAuthClient, OAuthProvider, RedisTokenStore};
///
/// // In every instance: the same Redis and key.
/// let store = RedisTokenStore::connect("redis://10.0.0.5:6379/", "webex:tokens:C0123").await?;
/// let client = OAuthClient::new("C0123", "client secret", "https://example.com/callback");
/// let provider = OAuthProvider::with_store(client, store);
/// // `Webex::builder().token_provider(provider)`: whichever instance finds the token due
/// // refreshes it; the others wait for the lock and use the token it saved.
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisTokenStore {
    connection: ConnectionManager,
    key: String,
    lock_key: String,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    /// Connects to the Redis server at `url` (`redis://[user:password@]host[:port][/db]`,
    /// `rediss://...` for TLS checked against the system's root certificates, or
    /// `redis+unix:///path`) and keeps the tokens under `key` (e.g.
    /// `webex:tokens:<client id>`). The connection is re-established when it drops;
    /// connecting and each command time out after 5 s.
    ///
    /// # Errors
    /// [`AuthError::Store`] for a URL that does not parse or a server that cannot be reached.
    pub async fn connect(url: &str, key: impl Into<String>) -> Result<Self, AuthError> {
        use_ring_for_tls();
        let client = redis::Client::open(url).map_err(|e| store_error("Redis URL", &e))?;
        Self::on(client, key.into()).await
    }

    /// Like [`connect`](Self::connect) to a `rediss://` URL, trusting the certificate
    /// authorities in `root_pem` (PEM) instead of the system's (a private CA).
    ///
    /// # Errors
    /// As [`connect`](Self::connect); also for a certificate that does not parse.
    pub async fn connect_with_root_certificates(
        url: &str,
        key: impl Into<String>,
        root_pem: &[u8],
    ) -> Result<Self, AuthError> {
        use_ring_for_tls();
        let certificates = redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(root_pem.to_vec()),
        };
        let client = redis::Client::build_with_tls(url, certificates)
            .map_err(|e| store_error("Redis URL or certificates", &e))?;
        Self::on(client, key.into()).await
    }

    async fn on(client: redis::Client, key: String) -> Result<Self, AuthError> {
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(RECONNECTS)
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| store_error("cannot connect to Redis", &e))?;
        Ok(Self {
            connection,
            lock_key: format!("{key}:refresh-lock"),
            key,
        })
    }

    /// The key the tokens are stored under.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Tries once to take the refresh lock with `value`.
    async fn try_lock(&self, value: &str, ttl: Duration) -> Result<bool, AuthError> {
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let set: Option<String> = redis::cmd("SET")
            .arg(&self.lock_key)
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(millis)
            .query_async(&mut self.connection.clone())
            .await
            .map_err(|e| store_error("cannot take the Redis refresh lock", &e))?;
        Ok(set.is_some())
    }
}

/// TLS to Redis uses the same crypto provider as the core's HTTP client (`ring`), whichever
/// of the two connects first.
fn use_ring_for_tls() {
    // An error means a provider is installed already: the application chose one.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A Redis error as a store error. Redis errors name the command and the server's answer,
/// never a value sent, so no token reaches the message.
fn store_error(what: &str, error: &redis::RedisError) -> AuthError {
    AuthError::Store(format!("{what}: {error}"))
}

#[webex_core::async_trait]
impl TokenStore for RedisTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, AuthError> {
        let json: Option<String> = redis::cmd("GET")
            .arg(&self.key)
            .query_async(&mut self.connection.clone())
            .await
            .map_err(|e| store_error("cannot read from Redis", &e))?;
        let Some(json) = json else {
            return Ok(None);
        };
        let stored: StoredTokens = serde_json::from_str(&json).map_err(|e| {
            AuthError::Store(format!("unreadable tokens in Redis key {}: {e}", self.key))
        })?;
        Ok(Some(stored.into_set()))
    }

    async fn save(&self, tokens: &TokenSet) -> Result<(), AuthError> {
        let json = serde_json::to_string(&StoredTokens::from_set(tokens))
            .map_err(|e| AuthError::Store(format!("cannot encode tokens: {e}")))?;
        redis::cmd("SET")
            .arg(&self.key)
            .arg(json)
            .query_async::<()>(&mut self.connection.clone())
            .await
            .map_err(|e| store_error("cannot write to Redis", &e))
    }

    async fn clear(&self) -> Result<(), AuthError> {
        redis::cmd("DEL")
            .arg(&self.key)
            .query_async::<()>(&mut self.connection.clone())
            .await
            .map_err(|e| store_error("cannot delete from Redis", &e))
    }

    async fn lock_refresh(&self, ttl: Duration) -> Result<Option<Box<dyn RefreshLock>>, AuthError> {
        let value = uuid::Uuid::new_v4().simple().to_string();
        // The holder's lock expires within `ttl`; one more try after that.
        let deadline = Instant::now() + ttl;
        let mut pause = FIRST_POLL;
        loop {
            if self.try_lock(&value, ttl).await? {
                return Ok(Some(Box::new(RedisRefreshLock {
                    store: self.clone(),
                    value,
                })));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(AuthError::Store(format!(
                    "the Redis refresh lock {} stayed taken for {ttl:?}",
                    self.lock_key
                )));
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(MAX_POLL);
        }
    }
}

/// The refresh lock held in Redis under a random value only its holder knows.
struct RedisRefreshLock {
    store: RedisTokenStore,
    value: String,
}

impl fmt::Debug for RedisRefreshLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRefreshLock")
            .field("key", &self.store.lock_key)
            .finish_non_exhaustive()
    }
}

#[webex_core::async_trait]
impl RefreshLock for RedisRefreshLock {
    async fn release(self: Box<Self>) -> Result<(), AuthError> {
        redis::Script::new(RELEASE)
            .key(&self.store.lock_key)
            .arg(&self.value)
            .invoke_async::<i64>(&mut self.store.connection.clone())
            .await
            .map(drop)
            .map_err(|e| store_error("cannot release the Redis refresh lock", &e))
    }
}
