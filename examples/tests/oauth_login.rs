//! The `oauth-login` example's own code (`webex_examples::oauth_login`) on the emulator, with
//! a plain HTTP client as the browser (the real Chromium runs it in `cargo xtask interop`'s
//! browser suite): the first run signs in through the loopback listener and saves the tokens
//! (0600); the second needs no sign-in; after the grant is revoked a run signs in again.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http::header::{CONTENT_TYPE, LOCATION};
use tower::ServiceExt as _;
use url::Url;
use webex::auth::{FileTokenStore, OAuthClient, RedirectListener, TokenStore};
use webex::http::{Body, HyperTransport};
use webex::prelude::*;
use webex_emulator::{Emulator, NewOAuthClient, NewPerson, PersonType};
use webex_examples::oauth_login::{Login, Redirect, SignedIn};

const EMAIL: &str = "olive@example.com";

/// One request as a browser makes it; the status and `Location`.
async fn browse(request: http::Request<Body>) -> (u16, Option<String>) {
    let response = HyperTransport::new(Duration::from_secs(30))
        .oneshot(request)
        .await
        .expect("the browser's request");
    let location = response
        .headers()
        .get(LOCATION)
        .map(|value| value.to_str().unwrap().to_owned());
    (response.status().as_u16(), location)
}

/// The user: opens the authorize `url`, types the email, accepts, follows the redirect to
/// the example's listener.
async fn user_signs_in(emulator_base: String, url: Url) {
    let (status, _) = browse(http::Request::get(url.as_str()).body(Body::Empty).unwrap()).await;
    assert_eq!(status, 200, "the authorize page");
    let form = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url.query_pairs())
        .append_pair("email", EMAIL)
        .append_pair("consent", "accept")
        .finish();
    let (status, location) = browse(
        http::Request::post(format!("{emulator_base}/idb/oauth2/v1/authorize"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.into_bytes()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, 302, "the consent form's answer");
    let back = location.expect("a redirect back");
    let (status, _) = browse(http::Request::get(back).body(Body::Empty).unwrap()).await;
    assert_eq!(status, 200, "the listener's page");
}

struct Setup {
    emulator: Emulator,
    client: OAuthClient,
    redirect_uri: Url,
    token_file: PathBuf,
}

impl Setup {
    async fn new() -> Self {
        let emulator = Emulator::start_default().await.unwrap();
        emulator.create_person(NewPerson {
            display_name: "Olive Oauth".into(),
            email: EMAIL.into(),
            kind: PersonType::Person,
        });
        // A fixed port, as a registered redirect URI needs: take a free one.
        let probe = RedirectListener::bind(0, "/callback").await.unwrap();
        let redirect_uri = probe.redirect_uri().clone();
        drop(probe);
        let registered = emulator
            .create_oauth_client(NewOAuthClient {
                redirect_uris: vec![redirect_uri.to_string()],
                scopes: vec!["spark:all".into()],
                ..NewOAuthClient::default()
            })
            .unwrap();
        let client = OAuthClient::new(
            registered.client_id,
            registered.client_secret,
            redirect_uri.as_str(),
        )
        .with_idbroker(&emulator.base_url())
        .unwrap();
        let dir = std::env::temp_dir().join(format!(
            "webex-oauth-login-test-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        Self {
            emulator,
            client,
            redirect_uri,
            token_file: dir.join("nested").join("tokens.json"),
        }
    }

    /// One run of the example's logic; what it ended with and how often it showed a URL.
    async fn run(&self) -> (SignedIn, usize) {
        let base = self.emulator.base_url();
        let login = Login {
            client: self.client.clone(),
            redirect: Redirect::At(self.redirect_uri.clone()),
            scopes: vec!["spark:all".into()],
            store: FileTokenStore::new(&self.token_file),
            builder: move || Ok(Webex::builder().discovery_base(&base)),
        };
        let opened = Arc::new(AtomicUsize::new(0));
        let base = self.emulator.base_url();
        let counter = opened.clone();
        let me = login
            .run(move |url| {
                counter.fetch_add(1, Ordering::SeqCst);
                // The user acts while the example waits on its listener.
                tokio::spawn(user_signs_in(base.clone(), url));
                async {}
            })
            .await
            .unwrap();
        (me, opened.load(Ordering::SeqCst))
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        if let Some(dir) = self.token_file.parent().and_then(|p| p.parent()) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[tokio::test]
async fn signs_in_once_then_reuses_the_token_file_and_signs_in_again_after_a_revoke() {
    let setup = Setup::new().await;

    let (me, opened) = setup.run().await;
    assert_eq!(opened, 1);
    assert!(me.new_sign_in);
    assert_eq!(
        (me.display_name.as_str(), me.email.as_str()),
        ("Olive Oauth", EMAIL)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&setup.token_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // A second run: the stored token serves, no URL is shown.
    let (me, opened) = setup.run().await;
    assert_eq!(opened, 0);
    assert!(!me.new_sign_in);
    assert_eq!(me.email, EMAIL);

    // The grant ends at the broker: the next run notices and signs in again, once.
    let stored = FileTokenStore::new(&setup.token_file)
        .load()
        .await
        .unwrap()
        .expect("stored tokens");
    let refresh = stored.refresh_token.expect("a refresh token");
    assert!(setup.emulator.expire_token(refresh.expose()));
    assert!(setup.emulator.expire_token(stored.access_token.secret()));
    let (me, opened) = setup.run().await;
    assert_eq!(opened, 1);
    assert!(me.new_sign_in);
    assert_eq!(me.email, EMAIL);
}
