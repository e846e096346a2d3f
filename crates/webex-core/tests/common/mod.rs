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
        Webex::builder().discovery_base(self.emulator.base_url())
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

/// Accepts one connection on 127.0.0.1, reads the whole request (head and the body announced
/// by `content-length`), writes `answer` verbatim, and yields the request as text.
pub async fn serve_once(answer: String) -> (url::Url, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = url::Url::parse(&format!(
        "http://{}/v1/people/me",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if request.len() >= end + 4 + len {
                    break;
                }
            }
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        socket.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, task)
}

/// [`serve_once`] answering `200 {}`.
pub async fn capture_one_request() -> (url::Url, tokio::task::JoinHandle<String>) {
    serve_once(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
            .to_owned(),
    )
    .await
}

/// [`serve_once`] answering with Webex's application-level redirect to `location`.
pub async fn redirect_once(location: String) -> (url::Url, tokio::task::JoinHandle<String>) {
    serve_once(format!(
        "HTTP/1.1 200 OK\r\ncisco-location: {location}\r\ncontent-length: 2\r\n\r\n{{}}"
    ))
    .await
}
