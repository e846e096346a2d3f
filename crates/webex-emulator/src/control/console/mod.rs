//! The chat page at `GET /_emulator/`: a small web app, plain HTML, CSS and
//! JavaScript compiled into the binary (no build step, nothing fetched from
//! elsewhere), for a developer to use while their bot runs.
//!
//! The page lists people (`GET /_emulator/people`) and acts as the one
//! picked through the public API with that person's token, as any client
//! would: it reads the catalog, lists rooms and messages, posts text,
//! markdown, files and mentions, submits Adaptive Card inputs; it registers
//! a device at WDM and listens on the device's Mercury socket, so new
//! messages appear without a reload. A side panel shows the request log
//! live (`GET /_emulator/requests/stream`) and queues faults
//! (`POST /_emulator/faults`).
//!
//! The assets are files next to this module, included at compile time, so
//! the crate packages and installs with them.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::kit::error::ApiError;

/// The admin operations of this module (the page and its files).
pub(crate) const OPERATIONS: &[&str] = &[
    "GET /_emulator",
    "GET /_emulator/",
    "GET /_emulator/console/{file}",
];

/// The page.
const INDEX_HTML: &str = include_str!("index.html");

/// A JavaScript module's type (modules load only with a JavaScript type).
const SCRIPT: &str = "text/javascript; charset=utf-8";

/// The page's scripts (ES modules, `app.js` first) and style sheet: name, type, content.
const FILES: &[(&str, &str, &str)] = &[
    ("app.js", SCRIPT, include_str!("app.js")),
    ("cards.js", SCRIPT, include_str!("cards.js")),
    ("composer.js", SCRIPT, include_str!("composer.js")),
    ("dom.js", SCRIPT, include_str!("dom.js")),
    ("faults.js", SCRIPT, include_str!("faults.js")),
    ("http.js", SCRIPT, include_str!("http.js")),
    ("ids.js", SCRIPT, include_str!("ids.js")),
    ("log.js", SCRIPT, include_str!("log.js")),
    ("mercury.js", SCRIPT, include_str!("mercury.js")),
    ("messages.js", SCRIPT, include_str!("messages.js")),
    ("rooms.js", SCRIPT, include_str!("rooms.js")),
    ("state.js", SCRIPT, include_str!("state.js")),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("app.css"),
    ),
];

/// Where the page may load from and connect to: scripts, styles and images
/// only from the emulator itself; requests to the emulator under whichever
/// name its catalog gives (loopback by address or name, http or https, and
/// the device's websocket), never a third party's code.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data: blob:; connect-src 'self' http: https: ws: wss:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The page's routes (any router state).
pub(crate) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/_emulator", get(page))
        .route("/_emulator/", get(page))
        .route("/_emulator/console/{file}", get(file))
}

/// `GET /_emulator/`: the page.
async fn page() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

/// `GET /_emulator/console/{file}`: a script or the style sheet; 404 for
/// any other name.
async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => asset(content_type, body),
        None => ApiError::not_found(format!("The chat page has no file '{name}'.")).into_response(),
    }
}

/// One asset with its type. `no-cache`: a newer emulator on the same port
/// must not be driven by an older page.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
            (
                HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}
