//! The code grant with PKCE and the implicit grant, through the emulator's consent form.

mod common;

use common::{Setup, people_me};
use url::Url;
use webex_auth::{AuthError, OAuthProvider, Pkce, Secret};
use webex_emulator::NewOAuthClient;

/// Ada consents to `url` (an authorize URL) the way the page's form posts it.
async fn consent_to(setup: &Setup, url: &Url) -> Url {
    common::consent_at(&setup.emulator, url).await
}

/// Ada presses `decision` on the consent page of `url`.
async fn decide_on(setup: &Setup, url: &Url, decision: &str) -> Url {
    common::decide_on_url(&setup.emulator, url, decision).await
}

#[tokio::test]
async fn the_code_grant_with_pkce_gives_a_working_token() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let request = setup.client.authorize(&["spark:all"]);
    let url = request.url();
    assert!(url.as_str().starts_with(&format!(
        "{}/idb/oauth2/v1/authorize?",
        setup.emulator.base_url()
    )));
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(query("response_type").as_deref(), Some("code"));
    assert_eq!(query("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(
        query("code_challenge").as_deref(),
        Some(request.pkce().challenge())
    );
    assert_eq!(query("state").as_deref(), Some(request.state()));

    let redirect = consent_to(&setup, url).await;
    let tokens = request.finish(&setup.client, &redirect).await.unwrap();
    let provider = OAuthProvider::new(setup.client.clone());
    provider.set_tokens(tokens).await.unwrap();
    let webex = setup.webex(provider).await;
    let me: serde_json::Value = people_me(&webex).await.unwrap().json().unwrap();
    assert_eq!(me["displayName"], "Ada Lovelace");
}

#[tokio::test]
async fn a_wrong_state_is_rejected() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let ours = setup.client.authorize(&["spark:all"]);
    let theirs = setup.client.authorize(&["spark:all"]);
    let redirect = consent_to(&setup, theirs.url()).await;
    let error = ours
        .finish(&setup.client, &redirect)
        .await
        .expect_err("wrong state");
    assert!(matches!(error, AuthError::Redirect(_)), "{error}");
    assert!(error.to_string().contains("state"), "{error}");
    // Nothing reached the token endpoint.
    assert!(setup.emulator.oauth_token_requests().is_empty());

    let mut stateless = redirect.clone();
    stateless.set_query(Some("code=abc"));
    assert!(matches!(ours.code(&stateless), Err(AuthError::Redirect(_))));
}

#[tokio::test]
async fn a_pkce_verifier_mismatch_is_rejected_by_the_broker() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let request = setup.client.authorize(&["spark:all"]);
    let redirect = consent_to(&setup, request.url()).await;
    let code = request.code(&redirect).unwrap();
    let error = setup
        .client
        .exchange_code(&code, Some(Pkce::new().verifier()))
        .await
        .expect_err("another verifier");
    assert!(
        matches!(&error, AuthError::TokenEndpoint { status: 400, error, .. } if error == "invalid_grant"),
        "{error}"
    );
}

#[test]
fn the_challenge_is_rfc_7636_s256() {
    // RFC 7636, appendix B.
    let pkce = Pkce::from_verifier(Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    assert_eq!(
        pkce.challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let fresh = Pkce::new();
    assert_eq!(fresh.verifier().expose().len(), 64);
    assert_ne!(fresh.verifier(), Pkce::new().verifier());
}

#[tokio::test]
async fn the_implicit_grant_fragment_gives_a_working_token() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let request = setup.client.authorize_implicit(&["spark:all"]);
    let redirect = consent_to(&setup, request.url()).await;
    assert!(redirect.fragment().unwrap().contains("access_token="));
    let tokens = request.implicit_tokens(&redirect).unwrap();
    assert!(tokens.refresh_token.is_some());
    assert!(tokens.expires_at.is_some());
    let provider = OAuthProvider::new(setup.client.clone());
    provider.set_tokens(tokens).await.unwrap();
    let webex = setup.webex(provider).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);

    let other = setup.client.authorize_implicit(&["spark:all"]);
    assert!(matches!(
        other.implicit_tokens(&redirect),
        Err(AuthError::Redirect(_))
    ));
}

#[tokio::test]
async fn a_declined_consent_is_an_error() {
    let setup = Setup::new(NewOAuthClient::default()).await;
    let request = setup.client.authorize(&["spark:all"]);
    let redirect = decide_on(&setup, request.url(), "decline").await;
    let error = request.code(&redirect).expect_err("declined");
    assert!(error.to_string().contains("access_denied"), "{error}");
}
