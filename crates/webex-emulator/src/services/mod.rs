//! The Webex cloud services the emulator plays, one folder each.
//!
//! Each service declares its [`ServiceSpec`] (catalog name, base path)
//! once and owns its routes and JSON. Services read and change the world,
//! publish on the bus and use the kit; they never import each other. What
//! two services both serve is a view ([`crate::views`]); what one service
//! needs another to do goes over the bus (WDM closing a device's Mercury
//! sockets).

pub(crate) mod calliope;
pub(crate) mod clientlogs;
pub(crate) mod conversation;
pub(crate) mod datachannel;
pub(crate) mod devicemanager;
pub(crate) mod encryption;
pub(crate) mod hydra;
pub(crate) mod idbroker;
pub(crate) mod locus;
pub(crate) mod lyra;
pub(crate) mod media;
pub(crate) mod meetinginfo;
pub(crate) mod mercury;
pub(crate) mod metrics;
pub(crate) mod u2c;
pub(crate) mod wdm;

use crate::kit::service::{Listing, ServiceSpec};

/// The identity service (SCIM), not served yet; the JS SDK moves its
/// idbroker URLs to the catalog's only when both are listed.
const IDENTITY: ServiceSpec = ServiceSpec {
    name: "identity",
    base_path: "",
    listing: Listing::BaseWithSlash,
};

/// Every service, in the order the catalog lists them (the order clients
/// search services in).
pub(crate) fn registry() -> Vec<ServiceSpec> {
    let served = [
        hydra::SPEC,
        u2c::SPEC,
        wdm::SPEC,
        metrics::SPEC,
        conversation::SPEC,
        mercury::SPEC,
        locus::SPEC,
        meetinginfo::SPEC,
        calliope::SPEC,
        clientlogs::SPEC,
        metrics::TELEMETRY_SPEC,
        datachannel::SPEC,
        lyra::SPEC,
        devicemanager::ARGONAUT,
        devicemanager::PROXIMITY,
    ];
    served
        .into_iter()
        .chain([encryption::SPEC, idbroker::SPEC, IDENTITY])
        .collect()
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::kit::endpoint::Endpoint;
    use crate::views::catalog::Catalog;

    #[test]
    fn the_catalog_lists_every_service_in_order() {
        let endpoint = Endpoint::for_bound("127.0.0.1:8642".parse().unwrap());
        let hostmap = Catalog::new(registry()).hostmap(&endpoint, Uuid::nil(), 0);
        let names: Vec<&str> = hostmap
            .service_links
            .0
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "hydra",
                "u2c",
                "wdm",
                "metrics",
                "conversation",
                "locus",
                "webex-appapi-service",
                "calliopeDiscovery",
                "clientLogs",
                "unifiedTelemetry",
                "lyra",
                "argonaut",
                "proximity",
                "encryption",
                "idbroker",
                "identity",
                "identityLookup"
            ]
        );
        let base = "http://127.0.0.1:8642";
        let urls: Vec<String> = hostmap
            .service_links
            .0
            .into_iter()
            .map(|(_, u)| u)
            .collect();
        let expected: Vec<String> = [
            "/v1/",
            "/u2c/api/v1",
            "/wdm/api/v1",
            "/metrics/api/v1",
            "/conversation/api/v1",
            "/locus/api/v1",
            "/wbxappapi/v1",
            "/calliope/api/discovery/v1",
            "/clientlogs/api/v1",
            "/telemetry/api/v1",
            "/lyra/api/v1",
            "/argonaut/api/v1",
            "/proximity/api/v1",
            "/encryption/api/v1",
            "/",
            "/",
        ]
        .iter()
        .map(|path| format!("{base}{path}"))
        .chain(["http://localhost:8642/conversation/api/v1".to_owned()])
        .collect();
        assert_eq!(urls, expected);
    }

    #[test]
    fn names_and_base_paths_are_unique() {
        let registry = registry();
        for (i, a) in registry.iter().enumerate() {
            for b in &registry[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(
                    a.base_path.is_empty() || a.base_path != b.base_path,
                    "{} and {} share {}",
                    a.name,
                    b.name,
                    a.base_path
                );
            }
        }
    }
}
