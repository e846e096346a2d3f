//! Calliope discovery: the media clusters a client tests for reachability
//! before it joins a meeting (`docs/protocol/reachability.md`).
//!
//! The emulator has one media cluster, `emulator-loopback`, whose UDP
//! reachability is tested against the [`stun`] responder it starts on a
//! loopback port. The JS SDK 3.x asks with `POST clusters` (a body with
//! `ipver` and `supported-options`), older clients with `GET
//! clusters?JCSupport=1&ipver=4`; both get the same answer. The
//! `joinCookie` is opaque to clients, which echo it in their join bodies.

pub(crate) mod stun;

use std::net::SocketAddr;

use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::service::{Listing, ServiceSpec};

/// The calliope discovery service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "calliopeDiscovery",
    base_path: "/calliope/api/discovery/v1",
    listing: Listing::Base,
};

/// The name of the emulator's one media cluster.
pub(crate) const CLUSTER: &str = "emulator-loopback";

/// Where the cluster's STUN responder listens.
#[derive(Clone, Copy, Debug)]
struct Stun(SocketAddr);

/// The routes; `stun` is the bound address of the STUN responder.
pub(crate) fn routes(stun: SocketAddr) -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/clusters"), get(clusters).post(clusters))
        .layer(Extension(Stun(stun)))
}

/// `GET|POST clusters`: the clusters to test and the join cookie.
async fn clusters(_caller: Caller, Extension(Stun(stun)): Extension<Stun>) -> Json<Value> {
    Json(json!({
        "clusters": {
            CLUSTER: {
                "udp": [format!("stun:{stun}")],
                "tcp": [],
                "xtls": [],
            },
        },
        "clusterClasses": {"hybridMedia": []},
        "joinCookie": {"anycastEntryPoint": "emulator-local"},
    }))
}
