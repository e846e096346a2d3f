//! CORS, as the Webex APIs answer it: the browser build of the JS SDK
//! calls them from whatever origin its page has, so every response allows
//! the calling origin and preflights are answered for any method and
//! header (`Authorization` included, which a wildcard would not cover).

use std::time::Duration;

use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, Any, CorsLayer};

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The layer: mirrors the request's origin, method and headers; exposes
/// every response header (the SDKs read `trackingid`).
pub(crate) fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(Any)
        .max_age(PREFLIGHT_MAX_AGE)
}
