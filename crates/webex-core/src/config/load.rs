use std::collections::HashMap;
use std::path::PathBuf;

use config::{Config, Environment, File, FileFormat};

use super::WebexConfig;
use crate::{Error, ErrorKind, Result};

/// Loads a [`WebexConfig`] from its layers: built-in defaults < a TOML file < `WEBEX_*`
/// environment variables. Values set in code come last: change the returned struct, or use
/// `WebexBuilder::configure`.
///
/// Environment names are the field path in upper case with `__` between levels, e.g.
/// `WEBEX_SERVICES__DISCOVERY__U2C`, `WEBEX_REQUEST_TIMEOUT`, `WEBEX_RETRY__MAX_RETRIES`,
/// `WEBEX_SERVICES__OVERRIDE__HYDRA`, `WEBEX_SERVICES__ALLOWED_DOMAINS=a.com,b.com`.
/// `WEBEX_LOG_LEVEL` is accepted as the short name of `logger.level`, `WEBEX_CA_FILE` as the
/// short name of `extra_root_certificates`.
///
/// ```
/// # fn main() -> webex_core::Result<()> {
/// use std::collections::HashMap;
/// use webex_core::config::{ConfigLoader, LogLevel};
///
/// let env = HashMap::from([("WEBEX_LOG_LEVEL".to_owned(), "debug".to_owned())]);
/// let config = ConfigLoader::new().without_file().env(env).load()?;
/// assert_eq!(config.logger.level, LogLevel::Debug);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ConfigLoader {
    file: FileChoice,
    env: Option<HashMap<String, String>>,
}

#[derive(Debug, Clone, Default)]
enum FileChoice {
    /// `$WEBEX_CONFIG`, else `./webex.toml`, each only if it exists.
    #[default]
    Default,
    /// This file, which must exist.
    Required(PathBuf),
    /// No file layer.
    None,
}

impl ConfigLoader {
    /// A loader reading `$WEBEX_CONFIG` or `./webex.toml` (when present) and the process
    /// environment.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this TOML file, which must exist.
    #[must_use]
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = FileChoice::Required(path.into());
        self
    }

    /// Skips the file layer.
    #[must_use]
    pub fn without_file(mut self) -> Self {
        self.file = FileChoice::None;
        self
    }

    /// Uses this map instead of the process environment (tests, embedding).
    #[must_use]
    pub fn env(mut self, vars: HashMap<String, String>) -> Self {
        self.env = Some(vars);
        self
    }

    fn env_var(&self, name: &str) -> Option<String> {
        match &self.env {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }

    /// Reads every layer.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] naming the file or variable that could not be read or parsed.
    pub fn load(&self) -> Result<WebexConfig> {
        let mut builder = Config::builder();
        match &self.file {
            FileChoice::Default => {
                let path = self
                    .env_var("WEBEX_CONFIG")
                    .unwrap_or_else(|| "webex.toml".to_owned());
                builder = builder.add_source(File::new(&path, FileFormat::Toml).required(false));
            }
            FileChoice::Required(path) => {
                builder = builder.add_source(File::from(path.clone()).format(FileFormat::Toml));
            }
            FileChoice::None => {}
        }
        let env = Environment::with_prefix("WEBEX")
            .prefix_separator("_")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("services.allowed_domains")
            .try_parsing(true)
            .source(self.env.clone());
        builder = builder.add_source(env);
        if let Some(level) = self.env_var("WEBEX_LOG_LEVEL") {
            builder = builder
                .set_override("logger.level", level.to_ascii_lowercase())
                .map_err(config_error)?;
        }
        if let Some(ca_file) = self.env_var("WEBEX_CA_FILE") {
            builder = builder
                .set_override("extra_root_certificates", ca_file)
                .map_err(config_error)?;
        }
        builder
            .build()
            .map_err(config_error)?
            .try_deserialize()
            .map_err(config_error)
    }
}

fn config_error(err: config::ConfigError) -> Error {
    Error::new(ErrorKind::Config, format!("invalid configuration: {err}")).with_source(err)
}
