//! Property tests (bounded cases, run in CI with the other tests) for the parsers of server
//! data and the rules that keep secrets in: each asserts "never panics" and an invariant.

use std::time::{Duration, SystemTime};

use http::HeaderValue;
use proptest::prelude::*;
use url::Url;
use webex_core::catalog::{ServiceCatalog, ServiceGroup, parse_hostmap, trust};
use webex_core::config::ServicesConfig;
use webex_core::http::retry_after;
use webex_core::logging::redact;
use webex_core::page::parse_links;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Hosts from every class that matters: loopback, Webex's domains, look-alikes, others.
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("127.0.0.1".to_owned()),
        Just("localhost".to_owned()),
        Just("[::1]".to_owned()),
        Just("10.1.2.3".to_owned()),
        "[a-z]{1,6}".prop_map(|h| format!("{h}.wbx2.com")),
        "[a-z]{1,6}".prop_map(|h| format!("{h}wbx2.com")),
        "[a-zA-Z]{1,6}".prop_map(|h| format!("{h}.example.com")),
        "[a-z]{1,6}".prop_map(|h| format!("{h}.webex.com.evil.net")),
    ]
}

fn url_text() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("http"), Just("https")],
        host(),
        proptest::option::of(1u16..),
        "[a-z/]{0,12}",
    )
        .prop_map(|(scheme, host, port, path)| match port {
            Some(port) => format!("{scheme}://{host}:{port}/{path}"),
            None => format!("{scheme}://{host}/{path}"),
        })
}

/// A `format=hostmap` body: services with links, and host entries under their host keys.
fn hostmap() -> impl Strategy<Value = (String, Vec<String>)> {
    let service = (
        "[a-z]{1,6}",
        url_text(),
        proptest::collection::vec(host(), 0..4),
    );
    proptest::collection::vec(service, 1..8).prop_map(|services| {
        let mut links = serde_json::Map::new();
        let mut catalog = serde_json::Map::new();
        let mut hosts = Vec::new();
        for (name, link, entries) in services {
            let url = Url::parse(&link).unwrap();
            let key = match url.port() {
                Some(port) => format!("{}:{port}", url.host_str().unwrap()),
                None => url.host_str().unwrap().to_owned(),
            };
            let list: Vec<serde_json::Value> = entries
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    serde_json::json!({"host": h, "priority": i, "id": format!("urn:TEAM:x_a:{name}")})
                })
                .collect();
            hosts.push(url.host_str().unwrap().to_owned());
            hosts.extend(entries);
            links.insert(name, link.into());
            catalog.insert(key, list.into());
        }
        let body = serde_json::json!({"serviceLinks": links, "hostCatalog": catalog});
        (body.to_string(), hosts)
    })
}

fn allowed(host: &str) -> bool {
    ServicesConfig::WEBEX_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hostmap_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_hostmap(&body);
    }

    #[test]
    fn hostmap_parsing_never_panics_on_near_json(text in r#"\{"serviceLinks":\{("[a-z]":"[a-z:/.0-9]{0,20}",?){0,3}\},"hostCatalog":\{.{0,60}\}\}"#) {
        let _ = parse_hostmap(text.as_bytes());
    }

    /// No token goes to a host outside the catalog and the allowed domains, nor over plain
    /// http to a host that is not loopback.
    #[test]
    fn the_token_stays_with_the_catalog_and_secure_transports(
        (body, catalog_hosts) in hostmap(),
        other in url_text(),
    ) {
        let map = parse_hostmap(body.as_bytes()).unwrap();
        let catalog = ServiceCatalog::from_config(&ServicesConfig::default()).unwrap();
        let names: Vec<String> = map.services.iter().map(|s| s.name.clone()).collect();
        catalog.set_group(ServiceGroup::Postauth, map.services);
        let known = |host: &str| catalog_hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
        for name in &names {
            let url = catalog.url(name).unwrap();
            let host = url.host_str().unwrap();
            // A service target goes to a catalog host; the wire refuses it in clear.
            prop_assert!(known(host), "{url} is not a catalog host");
            let uri: http::Uri = url.as_str().parse().unwrap();
            prop_assert_eq!(trust::is_secure_uri(&uri), trust::is_secure_transport(&url));
        }
        let other = Url::parse(&other).unwrap();
        if catalog.may_send_token(&other) {
            let host = other.host_str().unwrap();
            prop_assert!(trust::is_secure_transport(&other), "{other} in clear");
            prop_assert!(known(host) || allowed(host), "{other} is trusted");
            prop_assert!(other.scheme() == "https" || trust::is_loopback(&other));
        }
    }

    #[test]
    fn link_headers_round_trip(
        urls in proptest::collection::vec("[a-zA-Z0-9/?=&.:_-]{1,40}", 1..4),
        rels in proptest::collection::vec("[a-z]{1,8}", 1..4),
    ) {
        let text: Vec<String> = urls
            .iter()
            .zip(rels.iter().cycle())
            .map(|(u, r)| format!("<{u}>; rel=\"{r}\""))
            .collect();
        let header = HeaderValue::from_str(&text.join(", ")).unwrap();
        let links = parse_links([&header]);
        prop_assert_eq!(links.len(), urls.len());
        for ((link, url), rel) in links.iter().zip(&urls).zip(rels.iter().cycle()) {
            prop_assert_eq!(&link.url, url);
            prop_assert!(link.has_rel(rel));
        }
    }

    #[test]
    fn link_parsing_never_panics(text in ".{0,200}") {
        if let Ok(header) = HeaderValue::from_str(&text) {
            let _ = parse_links([&header]);
        }
    }

    #[test]
    fn retry_after_seconds_round_trip_and_garbage_is_none(secs in any::<u64>(), text in ".{0,40}") {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let header = HeaderValue::from(secs);
        prop_assert_eq!(retry_after::parse(&header, now), Some(Duration::from_secs(secs)));
        let date = now + Duration::from_secs(secs % 100_000);
        let header = HeaderValue::from_str(&httpdate::fmt_http_date(date)).unwrap();
        prop_assert_eq!(retry_after::parse(&header, now), Some(Duration::from_secs(secs % 100_000)));
        if let Ok(header) = HeaderValue::from_str(&text) {
            // Anything else: a delay or none, never a panic.
            let _ = retry_after::parse(&header, now);
        }
    }

    #[test]
    fn secret_query_values_never_survive_redaction(
        name in prop::sample::select(redact::SECRET_PARAMS),
        upper in proptest::collection::vec(any::<bool>(), 24),
        secret in "[a-zA-Z0-9._~-]{1,40}",
        prefix in "[a-z]{0,8}",
        sep in prop::sample::select(vec!['?', '&', '#', ';']),
    ) {
        let name: String = name
            .chars()
            .zip(upper.iter().cycle())
            .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
            .collect();
        let text = format!("GET https://h/{prefix}{sep}{name}={secret}&max=2 failed");
        let shown = redact::text(&text).into_owned();
        // The secret's own place, not any `=<secret>`: a secret "2" also matches `max=2`.
        prop_assert!(!shown.contains(&format!("={secret}&max=2")), "{shown}");
        prop_assert!(shown.contains(&format!("{name}={}&max=2", redact::REDACTED)), "{shown}");
        prop_assert_eq!(redact::text(&shown).into_owned(), shown.clone(), "idempotent");
    }

    #[test]
    fn redaction_never_panics(text in ".{0,200}") {
        let _ = redact::text(&text);
    }
}
