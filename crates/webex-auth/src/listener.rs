//! A loopback redirect listener for CLI and desktop apps: the broker's redirect comes back
//! to `http://127.0.0.1:<port><path>` and ends the sign-in.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use url::Url;

use crate::{AuthError, AuthorizationRequest};

/// Waits on a loopback port for the broker's redirect back. Register its
/// [`redirect_uri`](Self::redirect_uri) with the integration (the port must then be fixed).
#[derive(Debug)]
pub struct RedirectListener {
    listener: TcpListener,
    redirect_uri: Url,
}

type Outcome = Arc<Mutex<Option<oneshot::Sender<Url>>>>;

impl RedirectListener {
    /// Listens on `127.0.0.1:port` (0: any free port) for redirects to `path`.
    ///
    /// # Errors
    /// The port cannot be bound, or `path` does not make a URL.
    pub async fn bind(port: u16, path: &str) -> Result<Self, AuthError> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
            .await
            .map_err(|e| AuthError::Config(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| AuthError::Config(format!("listener address: {e}")))?;
        let redirect_uri = Url::parse(&format!("http://{addr}"))
            .and_then(|base| base.join(path))
            .map_err(|e| AuthError::Config(format!("redirect path {path:?}: {e}")))?;
        Ok(Self {
            listener,
            redirect_uri,
        })
    }

    /// The redirect URI this listener answers.
    #[must_use]
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Serves until a redirect for `request` (a code grant: a fragment never reaches a
    /// server) arrives with its `state` and returns it for [`AuthorizationRequest::finish`].
    /// A redirect with another or no `state` gets
    /// a 400 page and is ignored (it is not this sign-in's answer); other paths get a 404.
    ///
    /// # Errors
    /// Accepting connections fails.
    pub async fn wait(self, request: &AuthorizationRequest) -> Result<Url, AuthError> {
        let (done, mut received) = oneshot::channel();
        let outcome: Outcome = Arc::new(Mutex::new(Some(done)));
        loop {
            let accepted = tokio::select! {
                url = &mut received => {
                    return url.map_err(|_| AuthError::Redirect("listener stopped".to_owned()));
                }
                accepted = self.listener.accept() => accepted,
            };
            let (stream, _) =
                accepted.map_err(|e| AuthError::Redirect(format!("cannot accept: {e}")))?;
            let outcome = outcome.clone();
            let base = self.redirect_uri.clone();
            let state = request.state().to_owned();
            tokio::spawn(async move {
                let service = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                    let answer = answer(&base, &state, req.uri(), &outcome);
                    async move { Ok::<_, std::convert::Infallible>(answer) }
                });
                // A broken browser connection only loses that one page.
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }
}

/// The page for one request, handing a matching redirect over.
fn answer(base: &Url, state: &str, uri: &http::Uri, outcome: &Outcome) -> Response<Full<Bytes>> {
    let page = |status: StatusCode, text: &'static str| {
        let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
        *response.status_mut() = status;
        response
    };
    if uri.path() != base.path() {
        return page(StatusCode::NOT_FOUND, "Not found.");
    }
    let Ok(url) = base.join(&uri.to_string()) else {
        return page(StatusCode::BAD_REQUEST, "Unreadable redirect.");
    };
    let ours = url
        .query_pairs()
        .any(|(key, value)| key == "state" && value == state);
    if !ours {
        return page(
            StatusCode::BAD_REQUEST,
            "This is not the answer to this sign-in (wrong state). Try again.",
        );
    }
    if let Some(done) = outcome
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        let _ = done.send(url);
    }
    page(StatusCode::OK, "Signed in. You can close this window.")
}
