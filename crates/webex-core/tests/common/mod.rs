//! Shared set-up: an in-process emulator, a person on it, and a client pointed at it.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different subset"
)]

use webex_core::{Webex, WebexBuilder};
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

pub struct Setup {
    pub emulator: Emulator,
    pub person: CreatedPerson,
}

impl Setup {
    pub async fn new() -> Self {
        let emulator = Emulator::start_default().await.expect("emulator starts");
        let person = emulator.create_person(NewPerson {
            display_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            kind: PersonType::Person,
        });
        Self { emulator, person }
    }

    /// A builder aimed at the emulator, without a token.
    pub fn builder(&self) -> WebexBuilder {
        let base = self.emulator.base_url();
        Webex::builder().configure(move |c| {
            c.services.discovery.u2c = format!("{base}/u2c/api/v1");
            c.services.discovery.hydra = format!("{base}/v1");
        })
    }

    /// A client with the person's token and the catalog loaded.
    pub async fn client(&self) -> Webex {
        self.builder()
            .access_token(&self.person.access_token)
            .build()
            .await
            .expect("client builds")
    }
}

/// Accepts one connection, records the whole request (head and the body announced by
/// `content-length`), answers `{}`.
pub async fn capture_one_request() -> (url::Url, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!(
        "http://{}/v1/people/me",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
                let len = text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if head.len() >= end + 4 + len {
                    break;
                }
            }
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
            )
            .await
            .unwrap();
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, task)
}

/// Answers one request with `200` and `cisco-location: <location>` (Webex's application-level
/// redirect), recording the request head.
pub async fn redirect_once(location: String) -> (url::Url, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!(
        "http://{}/v1/people/me",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncisco-location: {location}\r\ncontent-length: 2\r\n\r\n{{}}"
        );
        socket.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&head).to_ascii_lowercase()
    });
    (url, task)
}
