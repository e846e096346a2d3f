//! `AuthPlugin::new(provider)`: the provider becomes the client's, its events reach the log
//! history (without a secret) and `webex.auth().events()`, and `webex.auth().logout()` signs
//! out.

mod common;

use common::{Setup, people_me};
use webex_auth::{AuthError, AuthEvent, AuthExt, AuthPlugin};
use webex_core::config::LogLevel;
use webex_core::{ErrorKind, Webex};
use webex_emulator::NewOAuthClient;

async fn client(setup: &Setup, plugin: AuthPlugin) -> Webex {
    Webex::builder()
        .discovery_base(setup.emulator.base_url())
        .plugin(plugin)
        .configure(|c| c.logger.level = LogLevel::Info)
        .without_catalog()
        .build()
        .await
        .expect("client builds")
}

fn history(webex: &Webex) -> String {
    let records: Vec<String> = webex
        .logger()
        .history()
        .records()
        .into_iter()
        .map(|r| format!("{:?} {} {}", r.level, r.target, r.message))
        .collect();
    records.join("\n")
}

#[tokio::test]
async fn events_reach_the_log_history_and_the_application() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let provider = setup.provider().await;
    let tokens = provider.tokens().await.unwrap().unwrap();
    let webex = client(&setup, AuthPlugin::new(provider)).await;
    let mut events = webex.auth().events();

    // The plugin's provider signs the requests: no `token_provider` on the builder.
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert!(setup.emulator.expire_token(tokens.access_token.secret()));
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(events.recv().await.unwrap(), AuthEvent::Refreshed);

    let refreshed = webex
        .auth()
        .provider()
        .unwrap()
        .tokens()
        .await
        .unwrap()
        .unwrap();
    let refresh_token = refreshed.refresh_token.clone().unwrap();
    assert!(setup.emulator.expire_token(refreshed.access_token.secret()));
    assert!(setup.emulator.expire_token(refresh_token.expose()));
    let error = people_me(&webex).await.expect_err("refresh token refused");
    assert!(AuthError::is_reauthorization_required(&error), "{error}");
    assert_eq!(
        events.recv().await.unwrap(),
        AuthEvent::ReauthorizationRequired
    );

    let history = history(&webex);
    assert!(
        history.contains("Info webex_auth::plugin auth: the access token was refreshed"),
        "{history}"
    );
    assert!(
        history.contains("Warn webex_auth::plugin auth: the refresh token was refused"),
        "{history}"
    );
    for secret in [
        tokens.access_token.secret(),
        tokens.refresh_token.as_ref().unwrap().expose(),
        refreshed.access_token.secret(),
        refresh_token.expose(),
    ] {
        assert!(
            !history.contains(secret),
            "a secret in the history:\n{history}"
        );
    }
}

#[tokio::test]
async fn logout_revokes_and_clears_the_store() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let provider = setup.provider().await;
    let webex = client(&setup, AuthPlugin::new(provider.clone())).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);

    webex.auth().logout().await.unwrap();
    assert!(provider.tokens().await.unwrap().is_none(), "store cleared");
    let sent = setup.emulator.request_count("/v1/people/me");
    let error = people_me(&webex).await.expect_err("signed out");
    assert_eq!(error.kind(), ErrorKind::Credentials, "{error}");
    assert_eq!(
        setup.emulator.request_count("/v1/people/me"),
        sent,
        "the revoked token is not sent: the client's cache forgot it"
    );
    webex.shutdown().await.unwrap();
}

#[tokio::test]
async fn without_a_provider_logout_is_a_typed_error() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let webex = client(&setup, AuthPlugin::default()).await;
    let error = webex
        .auth()
        .logout()
        .await
        .expect_err("nothing to log out of");
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert!(
        matches!(AuthError::find(&error), Some(AuthError::Config(_))),
        "{error:?}"
    );
    assert!(webex.auth().provider().is_none());
}
