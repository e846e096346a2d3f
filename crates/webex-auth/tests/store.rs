//! Token stores: the file store round-trips, is 0600 and replaces atomically; a restarted
//! provider reuses the stored token without a new sign-in or refresh.

mod common;

use common::{Setup, people_me};
use webex_auth::{FileTokenStore, MemoryTokenStore, OAuthProvider, TokenStore};
use webex_emulator::NewOAuthClient;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "webex-auth-{name}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_file_store_round_trips_and_is_private() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let tokens = setup.sign_in().await;
    let dir = temp_dir("roundtrip");
    let store = FileTokenStore::new(dir.join("tokens.json"));
    assert_eq!(store.load().await.unwrap(), None);

    store.save(&tokens).await.unwrap();
    let loaded = store.load().await.unwrap().expect("saved tokens");
    assert_eq!(loaded.access_token, tokens.access_token);
    assert_eq!(loaded.refresh_token, tokens.refresh_token);
    let lag = |a: Option<tokio::time::Instant>, b: Option<tokio::time::Instant>| {
        let (a, b) = (a.unwrap(), b.unwrap());
        a.max(b) - a.min(b)
    };
    assert!(lag(loaded.expires_at, tokens.expires_at).as_secs() <= 1);
    assert!(
        lag(
            loaded.refresh_token_expires_at,
            tokens.refresh_token_expires_at
        )
        .as_secs()
            <= 1
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second save replaces the file and leaves no temporary file behind.
    store.save(&tokens).await.unwrap();
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["tokens.json"]);

    store.clear().await.unwrap();
    assert_eq!(store.load().await.unwrap(), None);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn an_unreadable_file_is_a_store_error() {
    let dir = temp_dir("garbage");
    let store = FileTokenStore::new(dir.join("tokens.json"));
    std::fs::write(store.path(), b"{not json").unwrap();
    let error = store.load().await.expect_err("garbage refused");
    assert!(matches!(error, webex_auth::AuthError::Store(_)), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_restarted_provider_reuses_the_stored_token() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let dir = temp_dir("restart");
    let path = dir.join("tokens.json");
    let first = OAuthProvider::with_store(setup.client.clone(), FileTokenStore::new(&path));
    first.set_tokens(setup.sign_in().await).await.unwrap();
    let exchanges = setup.emulator.oauth_token_requests().len();
    drop(first);

    let again = OAuthProvider::with_store(setup.client.clone(), FileTokenStore::new(&path));
    let webex = setup.webex(again).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    assert_eq!(
        setup.emulator.oauth_token_requests().len(),
        exchanges,
        "no sign-in, no refresh"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_refreshed_token_is_saved() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let store = MemoryTokenStore::new();
    let provider = OAuthProvider::with_store(setup.client.clone(), store.clone());
    let signed_in = setup.sign_in().await;
    provider.set_tokens(signed_in.clone()).await.unwrap();
    let webex = setup.webex(provider).await;
    assert!(setup.emulator.expire_token(signed_in.access_token.secret()));

    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    let saved = store.load().await.unwrap().unwrap();
    assert_ne!(saved.access_token, signed_in.access_token);
    assert_eq!(
        saved.refresh_token, signed_in.refresh_token,
        "Webex keeps it"
    );
    assert_eq!(setup.refreshes(), 1);
}

#[tokio::test]
async fn without_tokens_requests_fail_with_not_signed_in() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let webex = setup.webex(OAuthProvider::new(setup.client.clone())).await;
    let error = people_me(&webex).await.expect_err("no token");
    assert_eq!(
        webex_auth::AuthError::find(&error),
        Some(&webex_auth::AuthError::NotSignedIn)
    );
}

#[tokio::test]
async fn logout_revokes_the_grant_and_clears_the_store() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let store = MemoryTokenStore::new();
    let provider = OAuthProvider::with_store(setup.client.clone(), store.clone());
    let tokens = setup.sign_in().await;
    provider.set_tokens(tokens.clone()).await.unwrap();
    let webex = setup.webex(provider.clone()).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);

    provider.logout().await.unwrap();
    assert_eq!(store.load().await.unwrap(), None);
    assert_eq!(provider.tokens().await.unwrap(), None);
    let error = people_me(&webex).await.expect_err("signed out");
    assert_eq!(
        webex_auth::AuthError::find(&error),
        Some(&webex_auth::AuthError::NotSignedIn),
        "the old token was refused, and there is nothing to refresh with"
    );
    // The refresh token died with the grant.
    let refused = setup
        .client
        .refresh(tokens.refresh_token.as_ref().unwrap())
        .await
        .expect_err("revoked");
    assert!(matches!(
        refused,
        webex_auth::AuthError::ReauthorizationRequired { .. }
    ));
}
