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
        let mut builder = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        if body.is_some() {
            builder = builder.header("content-type", "application/json");
        }
        let request = builder
            .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
            .expect("valid request");
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

    /// `POST` with a JSON body.
    pub(crate) async fn post(&self, path: &str, body: &str) -> Reply {
        self.send(Method::POST, path, &[], Some(body))
            .await
            .expect("POST")
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

/// Starts an emulator on a free port.
pub(crate) async fn start() -> (Emulator, Http) {
    let emulator = Emulator::start_default().await.expect("start emulator");
    let http = Http::new(&emulator);
    (emulator, http)
}
