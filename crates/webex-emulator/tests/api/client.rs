//! A small HTTP client on hyper-util's legacy client, so the tests do not
//! depend on any SDK crate or on reqwest.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

/// A client bound to one emulator's base URL.
pub(crate) struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

/// A fully read response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    /// The body as JSON; panics with the body text when it is not JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Asserts that this is a Webex error with `status`, and returns its
    /// message.
    pub(crate) fn assert_webex_error(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "body: {:?}", self.body);
        assert_eq!(self.header("content-type"), Some("application/json"));
        let body = self.json();
        let message = body["message"].as_str().expect("message").to_owned();
        assert!(!message.is_empty());
        assert_eq!(body["errors"][0]["description"], message.as_str());
        assert_eq!(
            body["trackingId"].as_str(),
            self.header("trackingid"),
            "trackingId in the body must match the header"
        );
        message
    }
}

impl Http {
    /// A client for `emulator`.
    pub(crate) fn new(emulator: &Emulator) -> Self {
        Self::for_base(emulator.base_url())
    }

    /// A client for any base URL.
    pub(crate) fn for_base(base: String) -> Self {
        Self {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base,
        }
    }

    /// Sends a request and reads the whole response.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Reply, hyper_util::client::legacy::Error> {
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if body.is_some() {
            all.push(("content-type", "application/json"));
        }
        let body = Bytes::from(body.unwrap_or_default().to_owned());
        self.send_bytes(method, path, &all, body).await
    }

    /// Sends raw bytes; `path` may also be an absolute URL.
    pub(crate) async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Result<Reply, hyper_util::client::legacy::Error> {
        let uri = if path.starts_with("http://") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let mut builder = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(Full::new(body)).expect("valid request");
        let response = self.client.request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("read body").to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    /// `GET` without authorization.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], None).await.expect("GET")
    }

    /// `GET` with `Authorization: Bearer <token>`.
    pub(crate) async fn get_auth(&self, path: &str, token: &str) -> Reply {
        let auth = format!("Bearer {token}");
        self.send(Method::GET, path, &[("authorization", &auth)], None)
            .await
            .expect("GET")
    }

    /// `GET` with a token, owning its arguments (for closures).
    pub(crate) async fn get_auth_owned(&self, path: String, token: &str) -> Reply {
        self.get_auth(&path, token).await
    }

    /// `POST` with a JSON body.
    pub(crate) async fn post(&self, path: &str, body: &str) -> Reply {
        self.send(Method::POST, path, &[], Some(body))
            .await
            .expect("POST")
    }

    /// A Hydra call as `token`, with an optional JSON body; `path` may be an
    /// absolute URL (a `Link` to follow).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Reply {
        let auth = format!("Bearer {token}");
        let text = body.map(|body| body.to_string());
        self.send(method, path, &[("authorization", &auth)], text.as_deref())
            .await
            .expect("request")
    }

    /// `DELETE`.
    pub(crate) async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, &[], None)
            .await
            .expect("DELETE")
    }
}

/// Creates Alice Example (alice@example.com) through the library API.
pub(crate) fn alice(emulator: &Emulator) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: "Alice Example".to_owned(),
        email: "alice@example.com".to_owned(),
        kind: PersonType::Person,
    })
}

/// Creates a person (or bot) with a name derived from the email.
pub(crate) fn person(emulator: &Emulator, email: &str, kind: PersonType) -> CreatedPerson {
    let local = email.split('@').next().unwrap_or(email);
    emulator.create_person(NewPerson {
        display_name: format!("{local} Tester"),
        email: email.to_owned(),
        kind,
    })
}

impl Reply {
    /// Asserts a 2xx status (showing the body otherwise) and returns the
    /// JSON body.
    pub(crate) fn ok(&self) -> Value {
        assert!(
            self.status.is_success(),
            "status {}: {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }

    /// The URL of `Link: <url>; rel="next"`, checking there is at most one
    /// link header.
    pub(crate) fn next_link(&self) -> Option<String> {
        let links: Vec<&str> = self
            .headers
            .get_all("link")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        assert!(links.len() <= 1, "{links:?}");
        let link = links.first()?;
        let (url, rel) = link.split_once(';')?;
        assert_eq!(rel.trim(), "rel=\"next\"");
        Some(
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
        )
    }

    /// The ids of `items`.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.ok()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| item["id"].as_str().expect("id").to_owned())
            .collect()
    }
}

/// Starts an emulator on a free port.
pub(crate) async fn start() -> (Emulator, Http) {
    let emulator = Emulator::start_default().await.expect("start emulator");
    let http = Http::new(&emulator);
    (emulator, http)
}

/// `POST /v1/rooms {"title"}` as `token`; the room.
pub(crate) async fn create_room(http: &Http, token: &str, title: &str) -> Value {
    http.call(
        Method::POST,
        "/v1/rooms",
        token,
        Some(serde_json::json!({ "title": title })),
    )
    .await
    .ok()
}

/// `POST /v1/memberships` adding `email` to `room` as `token`.
pub(crate) async fn add_member(http: &Http, token: &str, room: &Value, email: &str) -> Value {
    http.call(
        Method::POST,
        "/v1/memberships",
        token,
        Some(serde_json::json!({ "roomId": room["id"], "personEmail": email })),
    )
    .await
    .ok()
}

/// `POST /v1/messages` with `body` as `token`; the message.
pub(crate) async fn post_message(http: &Http, token: &str, body: Value) -> Value {
    http.call(Method::POST, "/v1/messages", token, Some(body))
        .await
        .ok()
}

/// Decodes a Hydra id to `ciscospark://...`.
pub(crate) fn decode_id(id: &str) -> String {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(id)
        .expect("base64 id");
    String::from_utf8(bytes).expect("utf-8 id")
}
