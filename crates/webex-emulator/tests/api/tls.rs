//! TLS on request (`EmulatorConfig::tls`): https and wss on one port, with a
//! certificate chain that a client trusting only the emulator's CA accepts,
//! and every URL the emulator hands out following the scheme.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::Message;
use webex_emulator::{Emulator, EmulatorConfig, PersonType, TlsConfig};

use crate::client::person;
use crate::mercury::WAIT;

/// An emulator serving TLS, its CA made in `dir` (a temporary directory of
/// its own when `None`).
pub(crate) async fn start_tls(dir: Option<&Path>) -> Emulator {
    Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig {
            dir: dir.map(Path::to_path_buf),
        }),
        ..EmulatorConfig::default()
    })
    .await
    .expect("start a TLS emulator")
}

/// A rustls client configuration trusting only the certificates in the
/// PEM file `ca`.
pub(crate) fn trusting(ca: &Path) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).expect("read the CA file") {
        roots.add(cert.expect("a PEM certificate")).expect("a root");
    }
    client_config(roots)
}

/// A client configuration with `roots` (aws-lc-rs, chosen explicitly as the
/// emulator does).
fn client_config(roots: RootCertStore) -> Arc<ClientConfig> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A TLS connection to `addr`, checking the certificate for `name`.
pub(crate) async fn connect(
    config: &Arc<ClientConfig>,
    addr: SocketAddr,
    name: &str,
) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::try_from(name.to_owned()).expect("a server name");
    TlsConnector::from(Arc::clone(config))
        .connect(name, tcp)
        .await
}

/// One HTTP/1.1 request over a fresh TLS connection to `emulator`, the
/// certificate checked for `name`; the status and the JSON body.
pub(crate) async fn call(
    config: &Arc<ClientConfig>,
    emulator: &Emulator,
    name: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let tls = connect(config, emulator.local_addr(), name)
        .await
        .expect("TLS handshake");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .expect("HTTP handshake");
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", name);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map(|body| body.to_string()).unwrap_or_default();
    let response = sender
        .send_request(request.body(Full::new(Bytes::from(body))).expect("request"))
        .await
        .expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("a JSON body")
    };
    (status, json)
}

#[tokio::test]
async fn https_is_served_with_a_chain_only_the_ca_needs_to_vouch_for() {
    let emulator = start_tls(None).await;
    let base = emulator.base_url();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = emulator.ca_path().expect("a CA path with TLS on");
    assert!(ca.is_absolute(), "{}", ca.display());
    let pem = std::fs::read_to_string(ca).expect("read the CA");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 1);

    let config = trusting(ca);
    for name in ["127.0.0.1", "localhost", "::1"] {
        let (status, body) = call(
            &config,
            &emulator,
            name,
            Method::GET,
            "/_emulator/health",
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(body["status"], "ok");
    }
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused() {
    let emulator = start_tls(None).await;
    let other = start_tls(None).await;
    let stranger = trusting(other.ca_path().unwrap());
    let error = connect(&stranger, emulator.local_addr(), "localhost")
        .await
        .expect_err("no connection with another CA");
    // Both CAs have the same name, so the client finds an issuer whose
    // signature does not match.
    assert!(
        error.to_string().contains("invalid peer certificate"),
        "{error}"
    );
    // The right CA for a name the certificate does not hold fails too.
    let ours = trusting(emulator.ca_path().unwrap());
    assert!(
        connect(&ours, emulator.local_addr(), "example.com")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn every_url_handed_out_is_https_or_wss_and_wss_works() {
    let emulator = start_tls(None).await;
    let base = emulator.base_url();
    let config = trusting(emulator.ca_path().unwrap());
    let alice = person(&emulator, "alice@example.com", PersonType::Person);
    let token = alice.access_token.as_str();

    let (status, catalog) = call(
        &config,
        &emulator,
        "127.0.0.1",
        Method::GET,
        "/u2c/api/v1/catalog?format=hostmap",
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{catalog}");
    let links = catalog["serviceLinks"].as_object().expect("serviceLinks");
    assert!(!links.is_empty());
    for (name, link) in links {
        let link = link.as_str().unwrap();
        assert!(link.starts_with("https://"), "{name}: {link}");
    }

    let (status, device) = call(
        &config,
        &emulator,
        "127.0.0.1",
        Method::POST,
        "/wdm/api/v1/devices",
        Some(token),
        Some(json!({"name": "tls", "deviceType": "WEB", "model": "test", "ttl": 1800})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{device}");
    assert!(
        device["url"].as_str().unwrap().starts_with(&base),
        "{device}"
    );
    let socket_url = device["webSocketUrl"].as_str().unwrap();
    let expected = format!("wss://{}", base.strip_prefix("https://").unwrap());
    assert!(socket_url.starts_with(&expected), "{socket_url}");

    // The websocket upgrade over TLS, on the same port, then Mercury's
    // answer to the authorization frame.
    let tls = connect(&config, emulator.local_addr(), "127.0.0.1")
        .await
        .expect("TLS handshake");
    let (mut socket, response) =
        tokio_tungstenite::client_async(format!("{socket_url}?outboundWireFormat=text"), tls)
            .await
            .expect("websocket upgrade over TLS");
    assert_eq!(response.status().as_u16(), 101);
    let authorization = json!({
        "id": "auth-1",
        "type": "authorization",
        "data": {"token": format!("Bearer {token}")},
    });
    socket
        .send(Message::text(authorization.to_string()))
        .await
        .expect("send");
    let frame = loop {
        let message = tokio::time::timeout(WAIT, socket.next())
            .await
            .expect("a frame in time")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(text) = message {
            break serde_json::from_str::<Value>(&text).expect("JSON");
        }
    };
    assert!(frame["data"]["eventType"].is_string(), "{frame}");
}

#[tokio::test]
async fn a_ca_in_a_tls_dir_is_made_once_then_reused() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_tls(Some(dir.path())).await;
    let ca = first.ca_path().unwrap().to_path_buf();
    assert_eq!(ca, std::path::absolute(dir.path().join("ca.pem")).unwrap());
    let pem = std::fs::read(&ca).unwrap();
    let config = trusting(&ca);
    first.shutdown().await;

    let second = start_tls(Some(dir.path())).await;
    assert_eq!(second.ca_path(), Some(ca.as_path()));
    assert_eq!(std::fs::read(&ca).unwrap(), pem, "the same CA");
    // A client configured before the restart trusts the new server
    // certificate.
    let (status, _) = call(
        &config,
        &second,
        "localhost",
        Method::GET,
        "/_emulator/health",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_corrupt_ca_fails_the_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    start_tls(Some(dir.path())).await.shutdown().await;
    std::fs::write(
        dir.path().join("ca.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n",
    )
    .unwrap();
    let error = Emulator::start(EmulatorConfig {
        tls: Some(TlsConfig {
            dir: Some(dir.path().to_path_buf()),
        }),
        ..EmulatorConfig::default()
    })
    .await
    .expect_err("a corrupt ca.pem is refused");
    let tls = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<webex_emulator::TlsError>())
        .expect("a TlsError inside");
    let message = tls.to_string();
    assert!(
        message.contains("ca.pem is not a PEM certificate"),
        "{message}"
    );
}

#[tokio::test]
async fn without_tls_there_is_no_ca() {
    let emulator = Emulator::start_default().await.unwrap();
    assert!(emulator.base_url().starts_with("http://"));
    assert_eq!(emulator.ca_path(), None);
}
