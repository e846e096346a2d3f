//! Typed configuration with documented defaults.
//!
//! Layers, lowest to highest: [`WebexConfig::default`] < `webex.toml` < `WEBEX_*` environment
//! < values set in code (see [`ConfigLoader`], behind the `config-file` feature). Every field
//! below documents its default; field names in files use the same snake_case names, nested
//! tables follow the struct nesting (`[services.discovery]`, `[logger]`, `[retry]`).

#[cfg(feature = "config-file")]
mod load;
mod log_level;
mod seconds;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[cfg(feature = "config-file")]
pub use load::ConfigLoader;
pub use log_level::LogLevel;

/// The whole SDK configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct WebexConfig {
    /// Service discovery and overrides.
    pub services: ServicesConfig,
    /// Logging level and history.
    pub logger: LoggerConfig,
    /// Retry policy for rate limits, server errors and connect errors.
    pub retry: RetryConfig,
    /// First part of every `TrackingID` header. Default `webex-rs`.
    pub tracking_id_prefix: String,
    /// Application name added to the user agents. Default none.
    pub app_name: Option<String>,
    /// Application version added to the user agents. Default none (`0.0` when a name is set).
    pub app_version: Option<String>,
    /// Time allowed for one HTTP attempt, in seconds. Default 30.
    #[serde(with = "seconds")]
    pub request_timeout: Duration,
    /// Most `cisco-location` redirects followed for one request. Default 10.
    pub max_redirects: u32,
    /// Time allowed for a whole call (every attempt, retry wait, token refresh and redirect),
    /// in seconds; a request may set its own (`Request::deadline`). Default 300.
    #[serde(with = "seconds")]
    pub call_deadline: Duration,
    /// Largest response body read, in bytes; a larger one fails the request with
    /// `ErrorKind::ResponseTooLarge` (a request may set its own:
    /// `Request::max_response_body`). Default 64 MiB.
    pub max_response_body: usize,
    /// A PEM file of certificate authorities trusted over TLS besides the built-in webpki
    /// roots: the CA of a local `webex-emulator --tls` (its `ca:` line), or of a company
    /// proxy. Default none; env `WEBEX_EXTRA_ROOT_CERTIFICATES`, or the short `WEBEX_CA_FILE`.
    pub extra_root_certificates: Option<PathBuf>,
}

impl Default for WebexConfig {
    fn default() -> Self {
        Self {
            services: ServicesConfig::default(),
            logger: LoggerConfig::default(),
            retry: RetryConfig::default(),
            tracking_id_prefix: "webex-rs".to_owned(),
            app_name: None,
            app_version: None,
            request_timeout: Duration::from_secs(30),
            max_redirects: 10,
            call_deadline: Duration::from_secs(300),
            max_response_body: 64 << 20,
            extra_root_certificates: None,
        }
    }
}

/// Where services are found before and besides the catalog.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ServicesConfig {
    /// Discovery URLs used before a catalog names the services.
    pub discovery: DiscoveryConfig,
    /// Service name → URL; beats every catalog entry. Default empty.
    #[serde(rename = "override")]
    pub overrides: BTreeMap<String, String>,
    /// Domains the SDK sends the token to besides catalog hosts, added to Webex's own
    /// (`wbx2.com`, `ciscospark.com`, `webex.com`, `webexapis.com`, ...). Default empty.
    pub allowed_domains: Vec<String>,
}

impl ServicesConfig {
    /// Webex's own domains, always allowed to receive the token.
    pub const WEBEX_DOMAINS: &'static [&'static str] = &[
        "wbx2.com",
        "ciscospark.com",
        "webex.com",
        "webexapis.com",
        "broadcloudpbx.com",
        "broadcloud.eu",
        "broadcloud.com.au",
        "broadcloudpbx.net",
    ];
}

/// Discovery URLs (the `discovery` catalog group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DiscoveryConfig {
    /// The U2C service catalog. Default `https://u2c.wbx2.com/u2c/api/v1`.
    pub u2c: String,
    /// The public REST API, used until a catalog names `hydra`.
    /// Default `https://webexapis.com/v1`.
    pub hydra: String,
}

impl DiscoveryConfig {
    /// Both URLs under one base, as a local Webex (such as `webex-emulator`) serves them:
    /// U2C at `{base}/u2c/api/v1`, the public API at `{base}/v1`. A trailing `/` is ignored.
    ///
    /// ```
    /// let mut discovery = webex_core::config::DiscoveryConfig::default();
    /// discovery.set_base("http://127.0.0.1:8642/");
    /// assert_eq!(discovery.u2c, "http://127.0.0.1:8642/u2c/api/v1");
    /// assert_eq!(discovery.hydra, "http://127.0.0.1:8642/v1");
    /// ```
    pub fn set_base(&mut self, base: &str) {
        let base = base.trim_end_matches('/');
        self.u2c = format!("{base}/u2c/api/v1");
        self.hydra = format!("{base}/v1");
    }
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        Self {
            u2c: "https://u2c.wbx2.com/u2c/api/v1".to_owned(),
            hydra: "https://webexapis.com/v1".to_owned(),
        }
    }
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct LoggerConfig {
    /// Lowest level recorded. Default `error`; env `WEBEX_LOG_LEVEL`.
    pub level: LogLevel,
    /// Records kept in memory for a later log upload. Default 1000.
    pub history_length: usize,
    /// Longest message a history record keeps, in bytes (longer ones are cut, marked `…`).
    /// Default 4096.
    pub max_record_len: usize,
}

impl Default for LoggerConfig {
    fn default() -> Self {
        Self {
            level: LogLevel::Error,
            history_length: 1000,
            max_record_len: 4096,
        }
    }
}

/// When and how often a failed request is tried again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Retries after the first attempt. Default 3; 0 turns retrying off.
    pub max_retries: u32,
    /// Wait used when a 429/503 has no usable `Retry-After`, in seconds. Default 5.
    #[serde(with = "seconds")]
    pub default_retry_after: Duration,
    /// Longest wait honoured from a `Retry-After`, in seconds. Default 60.
    #[serde(with = "seconds")]
    pub max_retry_after: Duration,
    /// First backoff for 5xx, connect and network errors and timeouts, in seconds; doubles
    /// per retry, with equal jitter (half fixed, half random). Default 0.5.
    #[serde(with = "seconds")]
    pub base_backoff: Duration,
    /// Longest backoff, in seconds. Default 8.
    #[serde(with = "seconds")]
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: 3,
            default_retry_after: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}
