//! The U2C service catalog in the `hostmap` format.
//!
//! Every service link points back at the emulator, except `identityLookup`:
//! clients take a hostmap key's service id from its *first* entry, and they
//! need a separate entry with id `urn:TEAM:us-east-2_a:identityLookup` to
//! resolve conversation URLs from Hydra ids, so that service is served under
//! a second host key, `localhost:PORT`.

use std::collections::HashMap;
use std::time::SystemTime;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::kit::auth::Caller;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::state::{AppState, Endpoint, Shared, lock};

/// Cluster id of the main host entry; `us-east-2_a` makes clients build
/// Hydra ids with the `us` cluster, like real production ids.
const MAIN_ID: &str = "urn:TEAM:us-east-2_a:conversation";

/// Cluster id clients look for to map Hydra cluster `us` to a conversation
/// service URL.
const IDENTITY_LOOKUP_ID: &str = "urn:TEAM:us-east-2_a:identityLookup";

/// The second host name, for the `identityLookup` key.
const IDENTITY_LOOKUP_HOST: &str = "localhost";

/// Default priority of the built-in entries; tests add lower (preferred)
/// ones to force failover.
const DEFAULT_PRIORITY: i64 = 5;

/// The query keys a limited (pre-auth) catalog request must carry one of.
const LIMITED_KEYS: [&str; 5] = ["orgId", "emailhash", "email", "userId", "mode"];

/// An extra host for the main catalog key; the body of
/// `POST /_emulator/catalog/hosts`.
///
/// It gets the same cluster id as the main entry, so clients treat it as
/// another host of the emulator's services and pick the one with the
/// smallest `priority`. Wire form: `{"host": "127.0.0.2", "priority": 1}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CatalogHost {
    /// A bare host name or IP address, without port; clients keep the port of
    /// the service URL.
    pub host: String,
    /// Lower is preferred; the built-in entry has 5.
    pub priority: i64,
}

impl CatalogHost {
    /// Rejects hosts that would make clients build broken URLs.
    fn validate(&self) -> Result<(), ApiError> {
        let bad = self.host.is_empty()
            || self
                .host
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@'));
        if bad {
            return Err(ApiError::bad_request(format!(
                "host '{}' is not a bare host name.",
                self.host
            )));
        }
        Ok(())
    }
}

/// Adds an extra host to the main catalog key.
pub(crate) fn add_host(shared: &Shared, host: CatalogHost) -> Result<(), ApiError> {
    host.validate()?;
    lock(&shared.catalog_hosts).push(host);
    Ok(())
}

/// Removes every host added with [`add_host`].
pub(crate) fn reset_hosts(shared: &Shared) {
    lock(&shared.catalog_hosts).clear();
}

/// The whole catalog response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Hostmap {
    service_links: ServiceLinks,
    host_catalog: HostCatalog,
    format: &'static str,
    timestamp: String,
    org_id: String,
}

/// Service name → base URL. A struct rather than a map so that the JSON
/// keeps this order, which is the order clients search services in.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceLinks {
    hydra: String,
    u2c: String,
    wdm: String,
    metrics: String,
    conversation: String,
    encryption: String,
    locus: String,
    idbroker: String,
    identity: String,
    identity_lookup: String,
}

/// `host:port` → hosts, in insertion order.
#[derive(Debug)]
struct HostCatalog(Vec<(String, Vec<HostEntry>)>);

impl Serialize for HostCatalog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, entries) in &self.0 {
            map.serialize_entry(key, entries)?;
        }
        map.end()
    }
}

/// One host of a hostmap key.
#[derive(Debug, Serialize)]
struct HostEntry {
    host: String,
    ttl: i64,
    priority: i64,
    id: String,
}

impl HostEntry {
    fn new(host: &str, priority: i64, id: &str) -> Self {
        Self {
            host: host.to_owned(),
            ttl: -1,
            priority,
            id: id.to_owned(),
        }
    }
}

/// Builds the hostmap catalog for an emulator at `endpoint`.
pub(crate) fn hostmap(
    endpoint: &Endpoint,
    org: Uuid,
    extra_hosts: &[CatalogHost],
    timestamp: u64,
) -> Hostmap {
    let base = endpoint.base_url();
    let lookup_host_port = format!("{IDENTITY_LOOKUP_HOST}:{}", endpoint.port);
    let service_links = ServiceLinks {
        hydra: format!("{base}/v1/"),
        u2c: format!("{base}/u2c/api/v1"),
        wdm: format!("{base}/wdm/api/v1"),
        metrics: format!("{base}/metrics/api/v1"),
        conversation: format!("{base}/conversation/api/v1"),
        encryption: format!("{base}/encryption/api/v1"),
        locus: format!("{base}/locus/api/v1"),
        idbroker: format!("{base}/"),
        identity: format!("{base}/"),
        identity_lookup: format!("http://{lookup_host_port}/conversation/api/v1"),
    };
    let main_entries = std::iter::once(HostEntry::new(&endpoint.host, DEFAULT_PRIORITY, MAIN_ID))
        .chain(
            extra_hosts
                .iter()
                .map(|extra| HostEntry::new(&extra.host, extra.priority, MAIN_ID)),
        )
        .collect();
    let lookup_entries = vec![HostEntry::new(
        IDENTITY_LOOKUP_HOST,
        DEFAULT_PRIORITY,
        IDENTITY_LOOKUP_ID,
    )];
    Hostmap {
        service_links,
        host_catalog: HostCatalog(vec![
            (endpoint.host_port(), main_entries),
            (lookup_host_port, lookup_entries),
        ]),
        format: "hostmap",
        timestamp: timestamp.to_string(),
        org_id: org.to_string(),
    }
}

/// The U2C routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/u2c/api/v1/limited/catalog", get(limited_catalog))
        .route("/u2c/api/v1/catalog", get(full_catalog))
}

/// `GET /u2c/api/v1/limited/catalog`: the pre-auth catalog, without token
/// but with one identifying key.
async fn limited_catalog(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Hostmap>, ApiError> {
    if !LIMITED_KEYS.iter().any(|key| query.contains_key(*key)) {
        return Err(ApiError::bad_request(
            "One of orgId, emailhash, userId or mode is required.",
        ));
    }
    current(&state, &query).map(Json)
}

/// `GET /u2c/api/v1/catalog`: the post-auth catalog.
async fn full_catalog(
    State(state): State<AppState>,
    _caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Hostmap>, ApiError> {
    current(&state, &query).map(Json)
}

/// The catalog as of now, if the requested format is one the emulator has.
fn current(state: &Shared, query: &HashMap<String, String>) -> Result<Hostmap, ApiError> {
    match query.get("format") {
        None => {}
        Some(format) if format.eq_ignore_ascii_case("hostmap") => {}
        Some(format) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported catalog format '{format}'; only hostmap is available."
            )));
        }
    }
    let extra = lock(&state.catalog_hosts).clone();
    Ok(hostmap(
        &state.endpoint,
        state.org.uuid,
        &extra,
        clock::unix_secs(SystemTime::now()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hostmap_points_everything_at_the_emulator() {
        let endpoint = Endpoint::for_bound("127.0.0.1:8642".parse().unwrap());
        let org = Uuid::nil();
        let extra = [CatalogHost {
            host: "127.0.0.2".into(),
            priority: 1,
        }];
        let value = serde_json::to_value(hostmap(&endpoint, org, &extra, 1_729_670_000)).unwrap();
        assert_eq!(value["serviceLinks"]["hydra"], "http://127.0.0.1:8642/v1/");
        assert_eq!(
            value["serviceLinks"]["metrics"],
            "http://127.0.0.1:8642/metrics/api/v1"
        );
        assert_eq!(value["serviceLinks"]["idbroker"], "http://127.0.0.1:8642/");
        assert_eq!(
            value["serviceLinks"]["identityLookup"],
            "http://localhost:8642/conversation/api/v1"
        );
        assert_eq!(
            value["hostCatalog"],
            json!({
                "127.0.0.1:8642": [
                    {"host": "127.0.0.1", "ttl": -1, "priority": 5, "id": MAIN_ID},
                    {"host": "127.0.0.2", "ttl": -1, "priority": 1, "id": MAIN_ID},
                ],
                "localhost:8642": [
                    {"host": "localhost", "ttl": -1, "priority": 5, "id": IDENTITY_LOOKUP_ID},
                ],
            })
        );
        assert_eq!(value["format"], "hostmap");
        assert_eq!(value["timestamp"], "1729670000");
        assert_eq!(value["orgId"], org.to_string());
    }

    #[test]
    fn service_links_keep_their_order() {
        let endpoint = Endpoint::for_bound("127.0.0.1:1".parse().unwrap());
        let text = serde_json::to_string(&hostmap(&endpoint, Uuid::nil(), &[], 0)).unwrap();
        let hydra = text.find("\"hydra\"").unwrap();
        let lookup = text.find("\"identityLookup\"").unwrap();
        assert!(hydra < lookup);
    }

    #[test]
    fn rejects_hosts_with_url_parts() {
        for bad in ["", "a b", "http://x", "x/y"] {
            let host = CatalogHost {
                host: bad.into(),
                priority: 1,
            };
            assert!(host.validate().is_err(), "{bad:?}");
        }
    }
}
