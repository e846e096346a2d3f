//! Configuration precedence: one test per layer (defaults < file < environment < code).

use std::collections::HashMap;
use std::time::Duration;

use webex_core::config::{ConfigLoader, LogLevel, WebexConfig};

fn write_toml(text: &str) -> (std::path::PathBuf, impl Drop) {
    struct Cleanup(std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    let path = std::env::temp_dir().join(format!("webex-{}.toml", uuid_like()));
    std::fs::write(&path, text).unwrap();
    (path.clone(), Cleanup(path))
}

fn uuid_like() -> String {
    format!("{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], "")
}

const FILE: &str = r#"
tracking_id_prefix = "from-file"
request_timeout = 12.5
[logger]
level = "info"
history_length = 50
[services.discovery]
u2c = "http://file.example/u2c/api/v1"
[services.override]
hydra = "http://override.example/v1"
"#;

#[test]
fn defaults_layer() {
    let config = ConfigLoader::new()
        .without_file()
        .env(HashMap::new())
        .load()
        .unwrap();
    assert_eq!(config, WebexConfig::default());
    assert_eq!(
        config.services.discovery.u2c,
        "https://u2c.wbx2.com/u2c/api/v1"
    );
    assert_eq!(config.services.discovery.hydra, "https://webexapis.com/v1");
    assert_eq!(config.logger.level, LogLevel::Error);
    assert_eq!(config.logger.history_length, 1000);
    assert_eq!(config.tracking_id_prefix, "webex-rs");
    assert_eq!(config.request_timeout, Duration::from_secs(30));
    assert_eq!(config.retry.max_retries, 3);
}

#[test]
fn file_layer_beats_defaults() {
    let (path, _cleanup) = write_toml(FILE);
    let config = ConfigLoader::new()
        .file(&path)
        .env(HashMap::new())
        .load()
        .unwrap();
    assert_eq!(config.tracking_id_prefix, "from-file");
    assert_eq!(config.request_timeout, Duration::from_millis(12_500));
    assert_eq!(config.logger.level, LogLevel::Info);
    assert_eq!(config.logger.history_length, 50);
    assert_eq!(
        config.services.discovery.u2c,
        "http://file.example/u2c/api/v1"
    );
    assert_eq!(
        config.services.overrides["hydra"],
        "http://override.example/v1"
    );
    // Untouched keys keep their defaults.
    assert_eq!(config.services.discovery.hydra, "https://webexapis.com/v1");
}

#[test]
fn environment_layer_beats_file() {
    let (path, _cleanup) = write_toml(FILE);
    let env = HashMap::from([
        ("WEBEX_LOG_LEVEL".to_owned(), "trace".to_owned()),
        ("WEBEX_TRACKING_ID_PREFIX".to_owned(), "from-env".to_owned()),
        (
            "WEBEX_SERVICES__DISCOVERY__U2C".to_owned(),
            "http://env.example/u2c".to_owned(),
        ),
        ("WEBEX_RETRY__MAX_RETRIES".to_owned(), "7".to_owned()),
        (
            "WEBEX_SERVICES__ALLOWED_DOMAINS".to_owned(),
            "a.example,b.example".to_owned(),
        ),
        ("UNRELATED".to_owned(), "x".to_owned()),
    ]);
    let config = ConfigLoader::new().file(&path).env(env).load().unwrap();
    assert_eq!(config.logger.level, LogLevel::Trace);
    assert_eq!(config.tracking_id_prefix, "from-env");
    assert_eq!(config.services.discovery.u2c, "http://env.example/u2c");
    assert_eq!(config.retry.max_retries, 7);
    assert_eq!(config.services.allowed_domains, ["a.example", "b.example"]);
    // The file still supplies what the environment does not set.
    assert_eq!(config.logger.history_length, 50);
}

#[tokio::test]
async fn code_layer_beats_environment() {
    let env = HashMap::from([("WEBEX_LOG_LEVEL".to_owned(), "trace".to_owned())]);
    let loaded = ConfigLoader::new().without_file().env(env).load().unwrap();
    let webex = webex_core::Webex::builder()
        .configure(|c| c.logger.level = LogLevel::Warn)
        .config(loaded) // order does not matter: code always wins
        .without_catalog()
        .build()
        .await
        .unwrap();
    assert_eq!(webex.config().logger.level, LogLevel::Warn);
}

#[test]
fn bad_values_are_config_errors() {
    let env = HashMap::from([("WEBEX_LOG_LEVEL".to_owned(), "loud".to_owned())]);
    let err = ConfigLoader::new()
        .without_file()
        .env(env)
        .load()
        .unwrap_err();
    assert_eq!(err.kind(), webex_core::ErrorKind::Config);
    assert!(err.message().contains("loud"), "{err}");
    let err = ConfigLoader::new()
        .file("/nonexistent/webex.toml")
        .env(HashMap::new())
        .load()
        .unwrap_err();
    assert_eq!(err.kind(), webex_core::ErrorKind::Config);
}
