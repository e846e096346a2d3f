//! A U2C `format=hostmap` body, then the catalog's trust check: parsing never panics, and
//! the token is trusted to a host only when the catalog names that very host or it lies
//! inside Webex's own domains (never a look-alike such as `<catalog host>.evil.example`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use url::Url;
use webex_core::catalog::{ServiceCatalog, ServiceGroup, parse_hostmap};
use webex_core::config::ServicesConfig;

fuzz_target!(|data: &[u8]| {
    let Ok(hostmap) = parse_hostmap(data) else {
        return;
    };
    let config = ServicesConfig::default();
    let Ok(catalog) = ServiceCatalog::from_config(&config) else {
        panic!("the default configuration builds a catalog");
    };
    catalog.set_group(ServiceGroup::Postauth, hostmap.services.clone());

    let mut known: Vec<String> = [&config.discovery.u2c, &config.discovery.hydra]
        .into_iter()
        .filter_map(|url| Url::parse(url).ok()?.host_str().map(str::to_owned))
        .collect();
    for service in &hostmap.services {
        known.extend(service.default_url.host_str().map(str::to_owned));
        known.extend(service.hosts.iter().map(|host| host.host.clone()));
    }

    let mut probes: Vec<Url> = Vec::new();
    for service in &hostmap.services {
        probes.push(service.default_url.clone());
        probes.extend(catalog.url(&service.name).ok());
        let _ = catalog.resolve(&service.name);
        let _ = catalog.host_count(&service.name);
        let _ = catalog.cluster_id(&service.default_url);
        for host in &service.hosts {
            let _ = catalog.url_for_cluster(&host.id);
            for pattern in [
                "https://{}/",
                "https://{}.evil.example/",
                "https://evil-{}/",
                "https://{}@evil.example/",
                "http://{}:1/",
            ] {
                probes.extend(Url::parse(&pattern.replace("{}", &host.host)).ok());
            }
        }
    }
    if let Some(first) = hostmap.services.first() {
        catalog.mark_failed(&first.name, &first.default_url);
        probes.extend(catalog.url(&first.name).ok());
    }
    let _ = catalog.list();

    for probe in &probes {
        if !catalog.trusts(probe) {
            continue;
        }
        let host = probe.host_str().unwrap_or_default();
        let webex = ServicesConfig::WEBEX_DOMAINS
            .iter()
            .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")));
        assert!(
            webex || known.iter().any(|known| known == host),
            "the token would go to {probe}, a host the catalog does not name"
        );
    }
});
