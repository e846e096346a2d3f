//! Cluster helpers (`docs/protocol/catalog.md`, *Clusters*). Hydra ids name the cluster that owns a
//! resource (`us`, `urn:TEAM:eu-central-1_k`); these map a URL to the cluster of its host, and a
//! cluster to the URL that serves it, the way the JS SDK's `getClusterId` and
//! `getServiceUrlFromClusterId` do.

use url::Url;

use super::hostmap::ServiceEntry;
use super::{ServiceCatalog, ServiceGroup};
use crate::{Error, ErrorKind, Result};

/// The host id the JS SDK looks up for the Hydra cluster `us`
/// (`WEBEX_CONVERSATION_DEFAULT_CLUSTER`).
const US_CLUSTER_ID: &str = "urn:TEAM:us-east-2_a:identityLookup";

/// The service id appended to a bare cluster (`WEBEX_CONVERSATION_CLUSTER_SERVICE`).
const LOOKUP_SERVICE: &str = "identityLookup";

/// `getClusterId` searches the groups in this order, unlike name lookups.
const CLUSTER_ID_ORDER: [ServiceGroup; 4] = [
    ServiceGroup::Discovery,
    ServiceGroup::Override,
    ServiceGroup::Preauth,
    ServiceGroup::Postauth,
];

impl ServiceCatalog {
    /// The cluster id (`urn:TEAM:<region>_<x>:<service>`) of the host serving `url`: the id of
    /// a catalog host with the URL's host name, or else the first home-cluster host id of a
    /// service whose default URL has that host name. `None` when no service knows the host.
    #[must_use]
    pub fn cluster_id(&self, url: &Url) -> Option<String> {
        let hostname = url.host_str()?;
        let groups = self.groups.read().unwrap_or_else(|e| e.into_inner());
        let services = CLUSTER_ID_ORDER
            .iter()
            .filter_map(|g| groups.get(g))
            .flatten();
        for service in services {
            if let Some(host) = service.hosts.iter().find(|h| h.host == hostname) {
                return Some(host.id.clone());
            }
            if service.default_url.host_str() == Some(hostname) {
                let home = service.hosts.iter().find(|h| h.home_cluster);
                if let Some(host) = home.or(service.hosts.first()) {
                    return Some(host.id.clone());
                }
            }
        }
        None
    }

    /// The URL that serves the Hydra cluster `cluster` (`us`, `urn:TEAM:eu-central-1_k`, or a
    /// full host id): the first service, in lookup order, with a host whose id is the
    /// cluster's lookup id, on its highest-priority such host. `us` means
    /// `urn:TEAM:us-east-2_a:identityLookup`; a cluster of fewer than four `:` fields gets
    /// `:identityLookup` appended.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownService`] when no service has such a host.
    pub fn url_for_cluster(&self, cluster: &str) -> Result<Url> {
        let wanted = lookup_id(cluster);
        let groups = self.groups.read().unwrap_or_else(|e| e.into_inner());
        ServiceGroup::ORDER
            .iter()
            .filter_map(|g| groups.get(g))
            .flatten()
            .find_map(|service| url_on_host_with_id(service, &wanted))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::UnknownService,
                    format!(
                        "no catalog service has a host for cluster `{cluster}` (id `{wanted}`)"
                    ),
                )
            })
    }
}

/// The host id to look for, for a Hydra cluster string.
fn lookup_id(cluster: &str) -> String {
    if cluster == "us" {
        US_CLUSTER_ID.to_owned()
    } else if cluster.split(':').count() < 4 {
        format!("{cluster}:{LOOKUP_SERVICE}")
    } else {
        cluster.to_owned()
    }
}

/// `service`'s default URL moved onto its best host with id `id`, if it has one.
fn url_on_host_with_id(service: &ServiceEntry, id: &str) -> Option<Url> {
    let host = service
        .hosts
        .iter()
        .filter(|h| h.id == id)
        .min_by_key(|h| h.priority)?;
    let mut url = service.default_url.clone();
    url.set_host(Some(&host.host)).ok()?;
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ServiceHost;
    use crate::config::ServicesConfig;

    fn host(name: &str, id: &str, priority: i64, home_cluster: bool) -> ServiceHost {
        ServiceHost {
            host: name.to_owned(),
            ttl: -1,
            priority,
            id: id.to_owned(),
            home_cluster,
        }
    }

    fn service(name: &str, url: &str, hosts: Vec<ServiceHost>) -> ServiceEntry {
        ServiceEntry {
            name: name.to_owned(),
            default_url: Url::parse(url).unwrap(),
            hosts,
        }
    }

    /// Shaped like the emulator's catalog: one host key for everything, and
    /// `identityLookup` on its own key.
    fn catalog() -> ServiceCatalog {
        let c = ServiceCatalog::from_config(&ServicesConfig::default()).unwrap();
        let main = "urn:TEAM:us-east-2_a:conversation";
        c.set_group(
            ServiceGroup::Postauth,
            vec![
                service(
                    "conversation",
                    "http://127.0.0.1:8642/conversation/api/v1",
                    vec![host("127.0.0.1", main, 5, true)],
                ),
                service(
                    "identityLookup",
                    "http://localhost:8642/conversation/api/v1",
                    vec![
                        host("localhost", US_CLUSTER_ID, 5, true),
                        host("lookup-b", US_CLUSTER_ID, 1, true),
                    ],
                ),
                service(
                    "convEu",
                    "https://conv-k.wbx2.com/conversation/api/v1",
                    vec![host(
                        "conv-k.wbx2.com",
                        "urn:TEAM:eu-central-1_k:identityLookup",
                        5,
                        true,
                    )],
                ),
                service("nohosts", "https://plain.example/x", vec![]),
            ],
        );
        c
    }

    #[test]
    fn cluster_ids_by_host_then_by_default_url() {
        let c = catalog();
        let id = |u: &str| c.cluster_id(&Url::parse(u).unwrap());
        assert_eq!(
            id("http://127.0.0.1:9/conversation/api/v1/conversations/x").as_deref(),
            Some("urn:TEAM:us-east-2_a:conversation")
        );
        assert_eq!(id("http://lookup-b/x").as_deref(), Some(US_CLUSTER_ID));
        assert_eq!(id("https://plain.example/y"), None);
        assert_eq!(id("https://unknown.example/y"), None);
    }

    #[test]
    fn us_maps_to_identity_lookup_on_its_priority_host() {
        let url = catalog().url_for_cluster("us").unwrap();
        assert_eq!(url.as_str(), "http://lookup-b:8642/conversation/api/v1");
    }

    #[test]
    fn other_clusters_keep_their_own_id() {
        let c = catalog();
        let eu = "https://conv-k.wbx2.com/conversation/api/v1";
        assert_eq!(
            c.url_for_cluster("urn:TEAM:eu-central-1_k")
                .unwrap()
                .as_str(),
            eu
        );
        assert_eq!(
            c.url_for_cluster("urn:TEAM:eu-central-1_k:identityLookup")
                .unwrap()
                .as_str(),
            eu
        );
        let err = c.url_for_cluster("urn:TEAM:ap-southeast-2_m").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownService);
        assert!(err.message().contains("ap-southeast-2_m"), "{err}");
    }
}
