//! webex-auth's own requests against an emulator serving TLS (`webex-emulator --tls`): the
//! OAuth code exchange, the refresh and the guest login trust the emulator's CA when the
//! client's configuration names it (`WEBEX_CA_FILE`), and are refused without it.

mod common;
mod guest_issuer;

use std::path::Path;
use std::time::Duration;

use common::{Setup, people_me, webex_with};
use guest_issuer::Issuer;
use webex_auth::{AuthError, AuthPlugin, GuestProvider, OAuthProvider, Secret};
use webex_core::Webex;
use webex_core::config::{LogLevel, WebexConfig};
use webex_core::credentials::ProvideToken as _;
use webex_emulator::{Emulator, EmulatorConfig, NewOAuthClient, TlsConfig};

async fn tls_emulator() -> Emulator {
    let emulator = Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig::default()),
        ..EmulatorConfig::default()
    })
    .await
    .expect("a TLS emulator starts");
    assert!(emulator.base_url().starts_with("https://"));
    emulator
}

/// A client configuration trusting the emulator's CA besides the webpki roots (what
/// `WEBEX_CA_FILE=<the CA>` gives through the `WEBEX_*` layer).
fn config_trusting(emulator: &Emulator) -> WebexConfig {
    let ca = emulator.ca_path().expect("a TLS emulator has a CA");
    let mut config = WebexConfig::default();
    config.extra_root_certificates = Some(ca.to_path_buf());
    config
}

/// Whether `error` is the broker's certificate being refused.
fn untrusted(error: &AuthError) -> bool {
    matches!(error, AuthError::Unreachable(why) if why.contains("certificate"))
}

#[tokio::test]
async fn the_code_exchange_and_the_refresh_go_over_https_trusting_the_ca() {
    let emulator = tls_emulator().await;
    let config = config_trusting(&emulator);
    let setup = Setup::on(emulator, NewOAuthClient::default());
    let client = setup
        .client
        .clone()
        .with_config(&config)
        .expect("the CA file is readable")
        // A new timeout keeps the trusted roots.
        .with_timeout(Duration::from_secs(15));
    assert_eq!(client.timeout(), Duration::from_secs(15));

    let code = setup.code().await;
    let tokens = client
        .exchange_code(&code, None::<&Secret>)
        .await
        .expect("the code is exchanged over https");
    let refresh_token = tokens.refresh_token.clone().expect("a refresh token");
    let refreshed = client
        .refresh(&refresh_token)
        .await
        .expect("refreshed over https");
    assert_ne!(
        refreshed.access_token.secret(),
        tokens.access_token.secret()
    );
    let grants: Vec<String> = setup
        .emulator
        .oauth_token_requests()
        .into_iter()
        .map(|r| r.grant_type)
        .collect();
    assert_eq!(grants, ["authorization_code", "refresh_token"]);

    // The provider refreshes through the same client after a 401, over https.
    let provider = OAuthProvider::new(client);
    provider.set_tokens(refreshed.clone()).await.unwrap();
    let webex = webex_with(&setup.emulator, config, provider).await;
    assert!(setup.emulator.expire_token(refreshed.access_token.secret()));
    let me: serde_json::Value = people_me(&webex).await.unwrap().json().unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");
    assert_eq!(
        setup.refreshes(),
        2,
        "one refresh by hand, one after the 401"
    );
}

#[tokio::test]
async fn without_the_ca_the_broker_is_refused() {
    let setup = Setup::on(tls_emulator().await, NewOAuthClient::default());
    let code = setup.code().await;
    let error = setup
        .client
        .exchange_code(&code, None::<&Secret>)
        .await
        .expect_err("an unknown CA");
    assert!(untrusted(&error), "{error}");
    assert!(
        setup.emulator.oauth_token_requests().is_empty(),
        "nothing reached the token endpoint"
    );
}

#[tokio::test]
async fn a_guest_logs_in_over_https_trusting_the_ca() {
    let emulator = tls_emulator().await;
    let config = config_trusting(&emulator);
    let hydra = format!("{}/v1", emulator.base_url());

    let (issuer, _) = Issuer::registered(&emulator);
    let refused = GuestProvider::new(&hydra, issuer).unwrap();
    let error = refused.token().await.expect_err("an unknown CA");
    let error = AuthError::find(&error).expect("an auth error");
    assert!(untrusted(error), "{error}");

    let (issuer, signed) = Issuer::registered(&emulator);
    let provider = GuestProvider::new(&hydra, issuer)
        .unwrap()
        .with_timeout(Duration::from_secs(15))
        .with_config(&config)
        .expect("the CA file is readable");
    let webex = webex_with(&emulator, config, provider).await;
    let me: serde_json::Value = people_me(&webex).await.unwrap().json().unwrap();
    assert_eq!(me["displayName"], "Grace Guest");
    assert_eq!(signed.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_unreadable_ca_file_is_a_config_error_naming_it() {
    let mut config = WebexConfig::default();
    config.extra_root_certificates = Some(Path::new("/nonexistent/webex-ca.pem").to_path_buf());
    let setup = Setup::new(NewOAuthClient::default()).await;
    let error = setup.client.clone().with_config(&config).unwrap_err();
    assert!(
        matches!(&error, AuthError::Config(why) if why.contains("/nonexistent/webex-ca.pem")),
        "{error}"
    );
    let hydra = format!("{}/v1", setup.emulator.base_url());
    let (issuer, _) = Issuer::registered(&setup.emulator);
    let error = GuestProvider::new(&hydra, issuer)
        .unwrap()
        .with_config(&config)
        .unwrap_err();
    assert!(
        matches!(&error, AuthError::Config(why) if why.contains("/nonexistent/webex-ca.pem")),
        "{error}"
    );
}

#[tokio::test]
async fn the_auth_plugin_warns_when_refreshes_would_not_trust_the_clients_root() {
    let emulator = tls_emulator().await;
    let mut config = config_trusting(&emulator);
    config.logger.level = LogLevel::Warn;
    let setup = Setup::on(emulator, NewOAuthClient::default());
    let trusting = setup.client.clone().with_config(&config).unwrap();
    for (client, warned) in [(setup.client.clone(), true), (trusting, false)] {
        let webex = Webex::builder()
            .config(config.clone())
            .discovery_base(setup.emulator.base_url())
            .plugin(AuthPlugin::new(OAuthProvider::new(client)))
            .without_catalog()
            .build()
            .await
            .expect("the client builds over https");
        let warning = webex.logger().history().records().into_iter().any(|r| {
            r.level == LogLevel::Warn
                && r.message.contains("extra root certificates")
                && r.message.contains("with_config")
        });
        assert_eq!(warning, warned);
    }
}
