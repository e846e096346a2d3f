//! The U2C service catalog in the `hostmap` format, as U2C serves it and
//! WDM embeds it in every device.
//!
//! The service links are generated from the services' specs, in the order
//! they are registered (the order clients search services in). Every link
//! points back at the emulator, except `identityLookup`: clients take a
//! hostmap key's service id from its *first* entry, and they need a
//! separate entry with id `urn:TEAM:us-east-2_a:identityLookup` to resolve
//! conversation URLs from Hydra ids, so the conversation service is listed
//! again under a second host key, another name of the emulator
//! (`localhost:PORT` for `127.0.0.1:PORT`; see `Endpoint::lookup_host`).

use std::sync::Mutex;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::kit::endpoint::Endpoint;
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::ServiceSpec;

/// Cluster id of the main host entry; `us-east-2_a` makes clients build
/// Hydra ids with the `us` cluster, like real production ids.
const MAIN_ID: &str = "urn:TEAM:us-east-2_a:conversation";

/// Cluster id clients look for to map Hydra cluster `us` to a conversation
/// service URL.
const IDENTITY_LOOKUP_ID: &str = "urn:TEAM:us-east-2_a:identityLookup";

/// Default priority of the built-in entries; tests add lower (preferred)
/// ones to force failover.
const DEFAULT_PRIORITY: i64 = 5;

/// The service that `identityLookup` is a second link of.
const IDENTITY_LOOKUP_SERVICE: &str = "conversation";

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

/// The catalog's content: the registered services and the extra hosts
/// tests added (test machinery, so under its own lock).
pub(crate) struct Catalog {
    services: Vec<ServiceSpec>,
    extra_hosts: Mutex<Vec<CatalogHost>>,
}

impl Catalog {
    /// A catalog of `services`, in link order.
    pub(crate) fn new(services: Vec<ServiceSpec>) -> Self {
        Self {
            services,
            extra_hosts: Mutex::new(Vec::new()),
        }
    }

    /// The registered service called `name`.
    pub(crate) fn service(&self, name: &str) -> Option<&ServiceSpec> {
        self.services.iter().find(|spec| spec.name == name)
    }

    /// Adds an extra host to the main catalog key.
    pub(crate) fn add_host(&self, host: CatalogHost) -> Result<(), ApiError> {
        host.validate()?;
        lock(&self.extra_hosts).push(host);
        Ok(())
    }

    /// Removes every host added with [`Catalog::add_host`].
    pub(crate) fn reset_hosts(&self) {
        lock(&self.extra_hosts).clear();
    }

    /// The hostmap for an emulator at `endpoint` of the org `org`.
    pub(crate) fn hostmap(&self, endpoint: &Endpoint, org: Uuid, timestamp: u64) -> Hostmap {
        let base = endpoint.base_url();
        let lookup_host_port = endpoint.lookup_host_port();
        let mut links: Vec<(String, String)> = self
            .services
            .iter()
            .filter_map(|spec| Some((spec.name.to_owned(), spec.link(&base)?)))
            .collect();
        if let Some(lookup) = self
            .service(IDENTITY_LOOKUP_SERVICE)
            .map(|spec| spec.url(&endpoint.origin(&lookup_host_port)))
        {
            links.push(("identityLookup".to_owned(), lookup));
        }
        let extra_hosts = lock(&self.extra_hosts).clone();
        let main_entries =
            std::iter::once(HostEntry::new(&endpoint.host, DEFAULT_PRIORITY, MAIN_ID))
                .chain(
                    extra_hosts
                        .iter()
                        .map(|extra| HostEntry::new(&extra.host, extra.priority, MAIN_ID)),
                )
                .collect();
        let lookup_entries = vec![HostEntry::new(
            &endpoint.lookup_entry_host(),
            DEFAULT_PRIORITY,
            IDENTITY_LOOKUP_ID,
        )];
        Hostmap {
            service_links: Ordered(links),
            host_catalog: Ordered(vec![
                (endpoint.host_port(), main_entries),
                (lookup_host_port, lookup_entries),
            ]),
            format: "hostmap",
            timestamp: timestamp.to_string(),
            org_id: org.to_string(),
        }
    }
}

/// The whole catalog response.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Hostmap {
    /// Service name → base URL.
    pub(crate) service_links: Ordered<String>,
    /// `host:port` → hosts.
    pub(crate) host_catalog: Ordered<Vec<HostEntry>>,
    format: &'static str,
    timestamp: String,
    org_id: String,
}

/// A JSON object that keeps its keys in insertion order, which clients
/// rely on (they search services in link order).
#[derive(Debug)]
pub(crate) struct Ordered<T>(pub(crate) Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One host of a hostmap key.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct HostEntry {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::service::Listing;
    use serde_json::json;

    fn catalog() -> Catalog {
        let spec = |name, base_path, listing| ServiceSpec {
            name,
            base_path,
            listing,
        };
        Catalog::new(vec![
            spec("hydra", "/v1", Listing::BaseWithSlash),
            spec("metrics", "/metrics/api/v1", Listing::Base),
            spec("mercury", "/mercury/api/v1", Listing::Unlisted),
            spec("conversation", "/conversation/api/v1", Listing::Base),
            spec("idbroker", "", Listing::BaseWithSlash),
        ])
    }

    #[test]
    fn hostmap_points_everything_at_the_emulator() {
        let endpoint = Endpoint::for_bound("127.0.0.1:8642".parse().unwrap());
        let org = Uuid::nil();
        let catalog = catalog();
        catalog
            .add_host(CatalogHost {
                host: "127.0.0.2".into(),
                priority: 1,
            })
            .unwrap();
        let value = serde_json::to_value(catalog.hostmap(&endpoint, org, 1_729_670_000)).unwrap();
        assert!(value["serviceLinks"].get("mercury").is_none());
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
        let text = serde_json::to_string(&catalog().hostmap(&endpoint, Uuid::nil(), 0)).unwrap();
        let hydra = text.find("\"hydra\"").unwrap();
        let metrics = text.find("\"metrics\"").unwrap();
        let lookup = text.find("\"identityLookup\"").unwrap();
        assert!(hydra < metrics && metrics < lookup);
    }

    #[test]
    fn rejects_hosts_with_url_parts() {
        for bad in ["", "a b", "http://x", "x/y"] {
            let host = CatalogHost {
                host: bad.into(),
                priority: 1,
            };
            assert!(catalog().add_host(host).is_err(), "{bad:?}");
        }
    }
}
