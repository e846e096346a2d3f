//! An emulator with one person and one registered integration, and a sign-in through the
//! broker's consent form (what a browser would post).

#![allow(dead_code, unreachable_pub)]

use bytes::Bytes;
use http::header::{CONTENT_TYPE, LOCATION};
use tower::ServiceExt as _;
use url::Url;
use webex_auth::{OAuthClient, OAuthProvider, Secret, TokenSet};
use webex_core::Webex;
use webex_core::config::WebexConfig;
use webex_core::credentials::ProvideToken;
use webex_core::http::{Body, HyperTransport, Request, Response, Target, tls_client_config};
use webex_emulator::{Emulator, NewOAuthClient, NewPerson, PersonType};

pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

pub struct Setup {
    pub emulator: Emulator,
    pub client: OAuthClient,
    pub client_secret: String,
}

impl Setup {
    /// Registers an integration with `options` (its redirect URI and scopes filled in).
    pub async fn new(options: NewOAuthClient) -> Self {
        Self::on(
            Emulator::start_default().await.expect("emulator starts"),
            options,
        )
    }

    /// The same on `emulator` (e.g. one serving TLS).
    pub fn on(emulator: Emulator, options: NewOAuthClient) -> Self {
        emulator.create_person(NewPerson {
            display_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            kind: PersonType::Person,
        });
        let registered = emulator
            .create_oauth_client(NewOAuthClient {
                redirect_uris: vec![REDIRECT.into()],
                scopes: vec!["spark:all".into()],
                ..options
            })
            .expect("client registered");
        let client = OAuthClient::new(
            registered.client_id.clone(),
            registered.client_secret.clone(),
            REDIRECT,
        )
        .with_idbroker(&emulator.base_url())
        .expect("loopback idbroker");
        Self {
            emulator,
            client,
            client_secret: registered.client_secret,
        }
    }

    /// Ada accepts the consent form for `query` (the authorize request's parameters);
    /// the `Location` the broker redirects to.
    pub async fn consent(&self, query: &[(&str, &str)]) -> Url {
        self.decide(query, "accept").await
    }

    /// Ada presses `decision` (`accept` or `decline`) on the consent form for `query`.
    pub async fn decide(&self, query: &[(&str, &str)], decision: &str) -> Url {
        decide_at(&self.emulator, query, decision).await
    }

    /// A code for Ada through the consent form (no PKCE).
    pub async fn code(&self) -> String {
        let location = self
            .consent(&[
                ("response_type", "code"),
                ("client_id", self.client.client_id()),
                ("redirect_uri", REDIRECT),
                ("scope", "spark:all"),
                ("state", "s"),
            ])
            .await;
        location
            .query_pairs()
            .find(|(k, _)| k == "code")
            .expect("a code")
            .1
            .into_owned()
    }

    /// Ada's tokens after a sign-in.
    pub async fn sign_in(&self) -> TokenSet {
        let code = self.code().await;
        self.client
            .exchange_code(&code, None::<&Secret>)
            .await
            .expect("code exchanged")
    }

    /// A provider holding Ada's tokens.
    pub async fn provider(&self) -> OAuthProvider {
        let provider = OAuthProvider::new(self.client.clone());
        provider.set_tokens(self.sign_in().await).await.unwrap();
        provider
    }

    /// A client on `provider`.
    pub async fn webex(&self, provider: OAuthProvider) -> Webex {
        webex_on(&self.emulator, provider).await
    }

    /// How many refresh requests reached the token endpoint.
    pub fn refreshes(&self) -> usize {
        self.emulator
            .oauth_token_requests()
            .iter()
            .filter(|r| r.grant_type == "refresh_token")
            .count()
    }
}

/// Ada presses `decision` on the consent form of `emulator` for `query`; the `Location`.
pub async fn decide_at(emulator: &Emulator, query: &[(&str, &str)], decision: &str) -> Url {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .append_pair("email", "ada@example.com")
        .append_pair("consent", decision)
        .finish();
    let request = http::Request::post(format!("{}/idb/oauth2/v1/authorize", emulator.base_url()))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::Full(Bytes::from(body)))
        .unwrap();
    // The browser trusts the emulator's CA when it serves TLS.
    let tls = tls_client_config(emulator.ca_path()).expect("the emulator's CA is readable");
    let response = HyperTransport::with_tls_config(std::time::Duration::from_secs(30), tls)
        .oneshot(request)
        .await
        .expect("consent posted");
    assert_eq!(response.status(), 302, "{:?}", response.body());
    let location = response.headers()[LOCATION].to_str().unwrap();
    Url::parse(location).unwrap()
}

/// Ada accepts the consent form for the authorize URL `url`; the `Location`.
pub async fn consent_at(emulator: &Emulator, url: &Url) -> Url {
    decide_on_url(emulator, url, "accept").await
}

/// Ada presses `decision` on the consent page of the authorize URL `url`; the `Location`.
pub async fn decide_on_url(emulator: &Emulator, url: &Url, decision: &str) -> Url {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    decide_at(emulator, &borrowed, decision).await
}

/// A client of `emulator` on `provider`.
pub async fn webex_on(emulator: &Emulator, provider: impl ProvideToken) -> Webex {
    webex_with(emulator, WebexConfig::default(), provider).await
}

/// A client of `emulator` on `provider` with `config` (e.g. its extra root certificates).
pub async fn webex_with(
    emulator: &Emulator,
    config: WebexConfig,
    provider: impl ProvideToken,
) -> Webex {
    Webex::builder()
        .config(config)
        .discovery_base(emulator.base_url())
        .token_provider(provider)
        .without_catalog()
        .build()
        .await
        .expect("client builds")
}

/// `GET people/me` through the client.
pub async fn people_me(webex: &Webex) -> webex_core::Result<Response> {
    webex
        .http()
        .send(Request::get(Target::service("hydra", "people/me")))
        .await
}
