use std::fmt;

use serde::de::DeserializeOwned;
use tower::ServiceExt;

use super::pipeline::CallService;
use super::{Request, Response};
use crate::Result;

/// The authenticated, traced, retried HTTP client every plugin shares. Cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    service: CallService,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient").finish_non_exhaustive()
    }
}

impl HttpClient {
    pub(crate) fn new(service: CallService) -> Self {
        Self { service }
    }

    /// Sends `req` through the pipeline and returns the response whatever its status.
    ///
    /// # Errors
    /// Transport failures (connect, network, timeout) and invalid requests.
    pub async fn send_raw(&self, req: Request) -> Result<Response> {
        let req = req.into_http()?;
        let res = self.service.clone().oneshot(req).await?;
        Ok(Response::from_http(res))
    }

    /// Sends `req`; a status of 400 or more becomes an error carrying Webex's message, the
    /// status, the tracking id and any `Retry-After`.
    ///
    /// # Errors
    /// As [`send_raw`](Self::send_raw), plus failing statuses.
    pub async fn send(&self, req: Request) -> Result<Response> {
        self.send_raw(req).await?.error_for_status()
    }

    /// Sends `req` and parses the JSON body.
    ///
    /// # Errors
    /// As [`send`](Self::send), plus [`ErrorKind::InvalidResponse`](crate::ErrorKind) for a
    /// body that does not parse.
    pub async fn json<T: DeserializeOwned>(&self, req: Request) -> Result<T> {
        self.send(req).await?.json()
    }
}
