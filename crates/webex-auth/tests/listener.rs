//! The loopback redirect listener: the broker's redirect ends the sign-in; a wrong `state`
//! is turned away and does not.

mod common;

use std::time::Duration;

use common::people_me;
use http::header::LOCATION;
use tower::ServiceExt as _;
use url::Url;
use webex_auth::{OAuthClient, OAuthProvider, RedirectListener};
use webex_core::http::{Body, HyperTransport};
use webex_emulator::{Emulator, NewOAuthClient, NewPerson, PersonType};

/// What the browser does with a URL: one GET; the status and `Location`.
async fn browse(url: &Url) -> (u16, Option<Url>) {
    let response = HyperTransport::new(Duration::from_secs(30))
        .oneshot(http::Request::get(url.as_str()).body(Body::Empty).unwrap())
        .await
        .unwrap();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|l| Url::parse(l.to_str().unwrap()).unwrap());
    (response.status().as_u16(), location)
}

#[tokio::test]
async fn the_listener_receives_the_code_and_turns_a_wrong_state_away() {
    let emulator = Emulator::start_default().await.unwrap();
    emulator.create_person(NewPerson {
        display_name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        kind: PersonType::Person,
    });
    let listener = RedirectListener::bind(0, "/callback").await.unwrap();
    let redirect_uri = listener.redirect_uri().to_string();
    let registered = emulator
        .create_oauth_client(NewOAuthClient {
            redirect_uris: vec![redirect_uri.clone()],
            scopes: vec!["spark:all".into()],
            ..NewOAuthClient::default()
        })
        .unwrap();
    let client = OAuthClient::new(registered.client_id, registered.client_secret, redirect_uri)
        .with_idbroker(&emulator.base_url())
        .unwrap();
    let request = client.authorize(&["spark:all"]);
    let waiting = {
        let request = request.clone();
        tokio::spawn(async move { listener.wait(&request).await })
    };

    // Someone else's answer first: refused, and the listener keeps waiting.
    let mut forged = Url::parse(client.redirect_uri()).unwrap();
    forged.set_query(Some("code=forged&state=other"));
    assert_eq!(browse(&forged).await.0, 400);
    assert!(!waiting.is_finished());

    // The browser posts the consent form and follows the broker's redirect.
    let back = common::consent_at(&emulator, request.url()).await;
    assert_eq!(browse(&back).await.0, 200);
    let redirect = waiting.await.unwrap().unwrap();
    let tokens = request.finish(&client, &redirect).await.unwrap();

    let provider = OAuthProvider::new(client);
    provider.set_tokens(tokens).await.unwrap();
    let webex = common::webex_on(&emulator, provider).await;
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
}
