//! No token, refresh token, code or client secret in `Debug` output, error messages, the
//! client's log history or `tracing` output, through a sign-in, a refresh and a refused one.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Setup, people_me};
use webex_auth::AuthError;
use webex_emulator::NewOAuthClient;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let setup = Setup::new(NewOAuthClient::default()).await;
    let code = setup.code().await;
    let signed_in = setup.client.exchange_code(&code, None).await.unwrap();
    // A second grant whose code is replayed (which also ends that grant).
    let other_code = setup.code().await;
    setup.client.exchange_code(&other_code, None).await.unwrap();
    let replay = setup
        .client
        .exchange_code(&other_code, None)
        .await
        .expect_err("a code works once");
    let provider = webex_auth::OAuthProvider::new(setup.client.clone());
    provider.set_tokens(signed_in.clone()).await.unwrap();
    let webex = setup.webex(provider.clone()).await;

    // A refresh after a 401, then a refused refresh token.
    assert!(setup.emulator.expire_token(signed_in.access_token.secret()));
    assert_eq!(people_me(&webex).await.unwrap().status(), 200);
    let refreshed = provider.tokens().await.unwrap().unwrap();
    assert!(setup.emulator.expire_token(refreshed.access_token.secret()));
    let refresh_token = signed_in.refresh_token.clone().unwrap();
    assert!(setup.emulator.expire_token(refresh_token.expose()));
    let refused = people_me(&webex).await.expect_err("refresh token expired");
    assert!(AuthError::is_reauthorization_required(&refused));

    let shown = [
        format!("{provider:?}"),
        format!("{signed_in:?}"),
        format!("{refreshed:?}"),
        format!("{:?}", setup.client),
        format!("{replay:?} {replay}"),
        format!("{refused:?} {refused}"),
        format!("{:?}", AuthError::find(&refused)),
        format!("{:?}", webex.logger().history().records()),
        String::from_utf8(capture.0.lock().unwrap().clone()).unwrap(),
    ]
    .join("\n");
    assert!(shown.contains("reauthorization required"), "{shown}");
    for secret in [
        signed_in.access_token.secret(),
        refreshed.access_token.secret(),
        refresh_token.expose(),
        code.as_str(),
        other_code.as_str(),
        setup.client_secret.as_str(),
    ] {
        assert!(!shown.contains(secret), "a secret leaked:\n{shown}");
    }
}

#[test]
fn plain_http_to_another_host_is_refused_for_the_broker() {
    let client = webex_auth::OAuthClient::new("C1", "s", "http://127.0.0.1/cb");
    let error = client
        .clone()
        .with_idbroker("http://idbroker.example.com")
        .expect_err("secrets in clear");
    assert!(matches!(error, AuthError::Config(_)), "{error}");
    assert!(
        client
            .clone()
            .with_idbroker("https://idbroker.example.com")
            .is_ok()
    );
    assert!(
        client
            .clone()
            .with_idbroker("http://localhost:8080")
            .is_ok()
    );
    assert!(client.with_idbroker("http://[::1]:8080").is_ok());
}
