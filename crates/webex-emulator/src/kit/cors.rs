//! CORS, as the Webex APIs answer it (`docs/protocol/http.md`, "Browsers"):
//! the browser build of the JS SDK calls them from whatever origin its page
//! has, so every response allows the calling origin, preflights are answered
//! for any method and for the headers asked for (`authorization` included,
//! which a `*` would not cover), and the response headers a client reads are
//! exposed by name.

use std::time::Duration;

use axum::http::HeaderName;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight answer (browsers cap it lower:
/// Chromium at two hours).
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The response headers a page may read, listed by name: `*` means "every
/// header" only for requests without credentials and is a plain (unknown)
/// name otherwise, so only a list works for every request a page can make.
/// `trackingid` (every response), `link` (the next page of a list),
/// `retry-after` (429 and 503), `cisco-location` (Webex's redirect, which
/// the JS SDK follows itself), `etag` (WDM device refresh) and
/// `content-disposition` (a downloaded file's name).
pub(crate) const EXPOSED_HEADERS: [&str; 6] = [
    "trackingid",
    "link",
    "retry-after",
    "cisco-location",
    "etag",
    "content-disposition",
];

/// The layer: mirrors the request's origin, method and requested headers,
/// exposes [`EXPOSED_HEADERS`], sends no `Access-Control-Allow-Credentials`
/// (Webex takes its token in `authorization`, never from a cookie, and the
/// JS SDK's requests are made without credentials), and allows a public
/// page to call the emulator on a loopback or private address (Chromium's
/// private network access preflight), which Webex, on public addresses,
/// never needs.
pub(crate) fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .allow_private_network(true)
        .max_age(PREFLIGHT_MAX_AGE)
}
