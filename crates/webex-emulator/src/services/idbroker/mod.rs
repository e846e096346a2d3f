//! The identity broker (idbroker): Webex's OAuth server. It serves the
//! authorize page (login and consent), the token endpoint (authorization
//! code with PKCE, refresh), revocation and logout, at the paths the JS
//! SDK derives from the catalog's `idbroker` link (`{idbroker}idb/oauth2/v1/...`).
//! The public API's OAuth doors (`/v1/authorize`, `/v1/access_token`, where
//! webexpythonsdk and Webex's developer guide send integrations) and the
//! guest login (`/v1/jwt/login`) are here too: they are the same service
//! behind the API gateway. See `docs/protocol/oauth.md`.

mod authorize;
mod form;
mod guest;
mod page;
mod reply;
mod revoke;
mod session;
mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::kit::service::{Listing, ServiceSpec};

/// The idbroker service; its catalog link is the host root with a slash,
/// as on Webex (`https://idbroker.webex.com/`).
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "idbroker",
    base_path: "",
    listing: Listing::BaseWithSlash,
};

/// Where idbroker's OAuth endpoints live under its base URL.
const OAUTH_PATH: &str = "/idb/oauth2/v1";

/// The public API's base path, where the gateway forwards OAuth requests
/// to idbroker.
const PUBLIC_API_PATH: &str = "/v1";

/// The idbroker routes.
pub(crate) fn routes() -> Router<AppState> {
    let oauth = |rest: &str| SPEC.path(&format!("{OAUTH_PATH}{rest}"));
    let public = |rest: &str| format!("{PUBLIC_API_PATH}{rest}");
    Router::new()
        .route(
            &oauth("/authorize"),
            get(authorize::page).post(authorize::decide),
        )
        .route(&oauth("/access_token"), post(token::access_token))
        .route(&oauth("/revoke"), post(revoke::revoke))
        .route(
            &oauth("/logout"),
            get(revoke::browser_logout).post(revoke::logout),
        )
        .route(&public("/authorize"), get(authorize::forward))
        .route(&public("/access_token"), post(token::access_token))
        .route(&public("/jwt/login"), post(guest::login))
}

/// The path of idbroker's authorize page, which its form posts to.
fn authorize_path() -> String {
    SPEC.path(&format!("{OAUTH_PATH}/authorize"))
}

/// The path of idbroker's logout (the browser's `GET`, the JS SDK's `POST`).
fn logout_path() -> String {
    SPEC.path(&format!("{OAUTH_PATH}/logout"))
}
