//! Hydra, the public REST API under `/v1`: one module per resource, each
//! with its routes and its JSON; webhooks also render every change for the
//! webhook dispatcher.

pub(crate) mod attachment_actions;
pub(crate) mod avatars;
pub(crate) mod contents;
pub(crate) mod memberships;
pub(crate) mod messages;
pub(crate) mod people;
pub(crate) mod rooms;
pub(crate) mod team_memberships;
pub(crate) mod teams;
pub(crate) mod webhooks;

use axum::Router;
use axum::routing::MethodRouter;

use crate::app::{AppState, Shared};
use crate::kit::service::{Listing, ServiceSpec};

/// The Hydra service; its catalog link ends with a slash, as on Webex.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "hydra",
    base_path: "/v1",
    listing: Listing::BaseWithSlash,
};

/// Hydra's base URL, e.g. `http://127.0.0.1:8642/v1`, under which list
/// responses link their next page.
pub(crate) fn url(state: &Shared) -> String {
    SPEC.url(&state.endpoint.base_url())
}

/// Every Hydra route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(people::routes())
        .merge(rooms::routes())
        .merge(memberships::routes())
        .merge(messages::routes())
        .merge(contents::routes())
        .merge(teams::routes())
        .merge(team_memberships::routes())
        .merge(webhooks::routes())
        .merge(attachment_actions::routes())
        .merge(avatars::routes())
}

/// The routes of a Hydra collection at `/{name}` (and `/{name}/`, as the JS
/// SDK writes it) and of its items at `/{name}/{id}`.
fn collection(
    name: &str,
    collection: MethodRouter<AppState>,
    item: MethodRouter<AppState>,
) -> Router<AppState> {
    Router::new()
        .route(&SPEC.path(&format!("/{name}")), collection.clone())
        .route(&SPEC.path(&format!("/{name}/")), collection)
        .route(&SPEC.path(&format!("/{name}/{{id}}")), item)
}
