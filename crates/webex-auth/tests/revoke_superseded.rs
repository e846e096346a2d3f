//! Like the JS SDK, a refresh keeps the access token it replaced working (a request may be
//! using it) and revokes the one replaced by the refresh before.

mod common;

use common::{Setup, people_me, webex_on};
use webex_auth::StaticToken;
use webex_core::credentials::{AccessToken, ProvideToken};
use webex_emulator::NewOAuthClient;

async fn works(setup: &Setup, token: &AccessToken) -> bool {
    let webex = webex_on(&setup.emulator, StaticToken::new(token.authorization())).await;
    people_me(&webex).await.is_ok()
}

#[tokio::test]
async fn a_refresh_revokes_the_access_token_the_refresh_before_replaced() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let provider = setup.provider().await;
    let first = provider.tokens().await.unwrap().unwrap().access_token;

    let second = provider.refresh().await.unwrap().expect("refreshed");
    assert!(
        works(&setup, &first).await,
        "the replaced token stays valid"
    );
    assert_eq!(setup.emulator.request_count("/idb/oauth2/v1/revoke"), 0);

    let third = provider.refresh().await.unwrap().expect("refreshed");
    assert!(!works(&setup, &first).await, "revoked at the next refresh");
    assert!(works(&setup, &second).await);
    assert!(works(&setup, &third).await);
    assert_eq!(setup.emulator.request_count("/idb/oauth2/v1/revoke"), 1);
    assert_eq!(setup.refreshes(), 2);
}
