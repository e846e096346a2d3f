//! The shared plumbing of every resource: the client handle the builders own, input checks,
//! and the macros that give each builder `IntoFuture`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use webex_core::http::{HttpClient, Request, Target};
use webex_core::{Error, ErrorKind, Page, Result, Webex};

/// The catalog service of the public REST API.
pub(crate) const HYDRA: &str = "hydra";

/// Characters left as they are in a path segment (RFC 3986 unreserved); everything else is
/// escaped so that an id can never add a segment or a query.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What every builder holds: the client (an `Arc` inside, cheap to clone), so builders own
/// everything they need and their futures are `Send + 'static`.
#[derive(Debug, Clone)]
pub(crate) struct Hydra {
    webex: Webex,
}

impl Hydra {
    pub(crate) fn new(webex: &Webex) -> Self {
        Self {
            webex: webex.clone(),
        }
    }

    pub(crate) fn webex(&self) -> &Webex {
        &self.webex
    }

    pub(crate) fn http(&self) -> &HttpClient {
        self.webex.http()
    }

    /// Sends `req` and parses the JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        self.http().json(req).await
    }

    /// Sends `req` and reads one page of a list.
    pub(crate) async fn page<T: DeserializeOwned + Send + 'static>(
        &self,
        req: Request,
    ) -> Result<Page<T>> {
        Page::fetch(self.http(), req).await
    }

    /// Sends `req` and ignores the (usually empty, 204) body.
    pub(crate) async fn send_empty(&self, req: Request) -> Result<()> {
        self.http().send(req).await.map(drop)
    }
}

/// A Hydra target: `resource` or `resource/<id>`, the id escaped as one path segment.
pub(crate) fn hydra(resource: &str, id: Option<&str>) -> Target {
    match id {
        Some(id) => Target::service(
            HYDRA,
            format!("{resource}/{}", utf8_percent_encode(id, SEGMENT)),
        ),
        None => Target::service(HYDRA, resource.to_owned()),
    }
}

/// An [`ErrorKind::InvalidInput`] error: the call was refused before anything was sent.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// Checks that a required value (an id, a title) is not empty or blank.
pub(crate) fn require(what: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(invalid(format!("{what} must not be empty")));
    }
    Ok(())
}

/// Checks an optional value the same way when it is set.
pub(crate) fn require_opt(what: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |v| require(what, v))
}

/// Gives a builder with `async fn send(self) -> Result<$output>` an `IntoFuture`, so
/// `builder.await` sends it.
macro_rules! request_future {
    ($builder:ty => $output:ty) => {
        impl std::future::IntoFuture for $builder {
            type Output = webex_core::Result<$output>;
            type IntoFuture = futures::future::BoxFuture<'static, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

/// A `GET <resource>/<id>` builder returning one object.
macro_rules! get_request {
    ($(#[$doc:meta])* $name:ident, $id:ty, $output:ty, $resource:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct $name {
            hydra: $crate::client::Hydra,
            id: $id,
        }

        impl $name {
            pub(crate) fn new(hydra: $crate::client::Hydra, id: $id) -> Self {
                Self { hydra, id }
            }

            /// Sends the request.
            ///
            /// # Errors
            /// [`ErrorKind::InvalidInput`](webex_core::ErrorKind::InvalidInput) for an empty
            /// id; HTTP errors such as `NotFound`, with the tracking id.
            pub async fn send(self) -> webex_core::Result<$output> {
                $crate::client::require("the id", self.id.as_str())?;
                let target = $crate::client::hydra($resource, Some(self.id.as_str()));
                self.hydra.json(webex_core::http::Request::get(target)).await
            }
        }

        $crate::client::request_future!($name => $output);
    };
}

/// A `DELETE <resource>/<id>` builder.
macro_rules! remove_request {
    ($(#[$doc:meta])* $name:ident, $id:ty, $resource:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct $name {
            hydra: $crate::client::Hydra,
            id: $id,
        }

        impl $name {
            pub(crate) fn new(hydra: $crate::client::Hydra, id: $id) -> Self {
                Self { hydra, id }
            }

            /// Sends the request.
            ///
            /// # Errors
            /// [`ErrorKind::InvalidInput`](webex_core::ErrorKind::InvalidInput) for an empty
            /// id; HTTP errors such as `NotFound`, with the tracking id.
            pub async fn send(self) -> webex_core::Result<()> {
                $crate::client::require("the id", self.id.as_str())?;
                let target = $crate::client::hydra($resource, Some(self.id.as_str()));
                self.hydra
                    .send_empty(webex_core::http::Request::delete(target))
                    .await
            }
        }

        $crate::client::request_future!($name => ());
    };
}

pub(crate) use {get_request, remove_request, request_future};
