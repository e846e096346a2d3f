use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use url::Url;

use super::hostmap::{ServiceEntry, host_key};
use super::trust;
use crate::config::ServicesConfig;
use crate::{Error, ErrorKind, Result};

/// The catalog groups, highest priority first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceGroup {
    /// `services.override` from config.
    Override,
    /// The full catalog, fetched with the token.
    Postauth,
    /// The limited catalog, fetched without the token.
    Preauth,
    /// `services.discovery` from config.
    Discovery,
}

impl ServiceGroup {
    /// Lookup order.
    pub const ORDER: [ServiceGroup; 4] = [
        ServiceGroup::Override,
        ServiceGroup::Postauth,
        ServiceGroup::Preauth,
        ServiceGroup::Discovery,
    ];
}

/// Service name → URL resolution over the four groups, with failed-host marks.
#[derive(Debug)]
pub struct ServiceCatalog {
    /// Read by `cluster.rs`, which searches the groups in its own order.
    pub(super) groups: RwLock<BTreeMap<ServiceGroup, Vec<ServiceEntry>>>,
    /// `(service, host)` pairs that refused connections or answered 5xx.
    failed: Mutex<HashSet<(String, String)>>,
    /// Domains that get the token, each with a leading dot (`.wbx2.com`) so a suffix test
    /// matches whole labels only.
    allowed_domains: Vec<String>,
    /// What [`resolve`](Self::resolve) computed, per service: every request asks, and
    /// re-deriving a URL (host swap, IDNA) costs more than the request's own headers. Cleared
    /// whenever the groups or the failed marks change.
    resolved: RwLock<HashMap<String, Resolved>>,
}

/// A service's current base URL and how many home hosts it can fail over between.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The priority URL, as text.
    pub base: Arc<str>,
    /// Home-cluster hosts (at least 1).
    pub hosts: usize,
}

impl ServiceCatalog {
    /// A catalog holding the discovery and override groups of `config`.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] for a discovery or override value that is not a URL.
    pub fn from_config(config: &ServicesConfig) -> Result<Self> {
        let entry = |name: &str, url: &str, key: &str| {
            Url::parse(url)
                .map(|default_url| ServiceEntry {
                    name: name.to_owned(),
                    default_url,
                    hosts: Vec::new(),
                })
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Config,
                        format!("`services.{key}` is not a URL ({url:?}: {e})"),
                    )
                })
        };
        let discovery = vec![
            entry("u2c", &config.discovery.u2c, "discovery.u2c")?,
            entry("hydra", &config.discovery.hydra, "discovery.hydra")?,
        ];
        let overrides = config
            .overrides
            .iter()
            .map(|(name, url)| entry(name, url, &format!("override.{name}")))
            .collect::<Result<Vec<_>>>()?;
        let groups = BTreeMap::from([
            (ServiceGroup::Discovery, discovery),
            (ServiceGroup::Override, overrides),
        ]);
        let allowed_domains = ServicesConfig::WEBEX_DOMAINS
            .iter()
            .copied()
            .chain(config.allowed_domains.iter().map(String::as_str))
            .map(|d| format!(".{}", d.trim_start_matches('.')))
            .collect();
        Ok(Self {
            groups: RwLock::new(groups),
            failed: Mutex::default(),
            allowed_domains,
            resolved: RwLock::default(),
        })
    }

    /// Replaces one group's services (a fresh catalog response).
    pub fn set_group(&self, group: ServiceGroup, services: Vec<ServiceEntry>) {
        self.groups
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(group, services);
        self.forget_resolved();
    }

    fn forget_resolved(&self) {
        self.resolved
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The current base URL of `name` and its host count, cached until the catalog or the
    /// failed marks change. This is the per-request lookup of the service layer.
    ///
    /// # Errors
    /// As [`url`](Self::url).
    pub fn resolve(&self, name: &str) -> Result<Resolved> {
        if let Some(hit) = self
            .resolved
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
        {
            return Ok(hit.clone());
        }
        let resolved = Resolved {
            base: Arc::from(self.url(name)?.as_str()),
            hosts: self.host_count(name),
        };
        self.resolved
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), resolved.clone());
        Ok(resolved)
    }

    /// Whether a group holds any service.
    #[must_use]
    pub fn has_group(&self, group: ServiceGroup) -> bool {
        self.groups
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&group)
            .is_some_and(|g| !g.is_empty())
    }

    fn with_entry<T>(&self, name: &str, f: impl FnOnce(&ServiceEntry) -> T) -> Option<T> {
        let groups = self.groups.read().unwrap_or_else(PoisonError::into_inner);
        ServiceGroup::ORDER
            .iter()
            .filter_map(|g| groups.get(g))
            .flat_map(|services| services.iter())
            .find(|s| s.name == name)
            .map(f)
    }

    /// The URL to use for `name` now: the healthy home-cluster host with the smallest
    /// priority, on the default URL's scheme, port and path.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownService`] listing the known names.
    pub fn url(&self, name: &str) -> Result<Url> {
        self.with_entry(name, |entry| self.priority_url(entry))
            .ok_or_else(|| {
                let known: Vec<String> = self.list().into_keys().collect();
                Error::new(
                    ErrorKind::UnknownService,
                    format!(
                        "service `{name}` is not in the catalog; known services: {}",
                        known.join(", ")
                    ),
                )
            })
    }

    fn priority_url(&self, entry: &ServiceEntry) -> Url {
        let home: Vec<_> = entry.hosts.iter().filter(|h| h.home_cluster).collect();
        if home.is_empty() {
            return entry.default_url.clone();
        }
        let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        let is_failed = |host: &str| failed.contains(&(entry.name.clone(), host.to_owned()));
        let mut healthy: Vec<_> = home.iter().filter(|h| !is_failed(&h.host)).collect();
        if healthy.is_empty() {
            // Every host failed: forget the marks and start over, as the JS SDK does.
            failed.retain(|(service, _)| service != &entry.name);
            healthy = home.iter().collect();
        }
        let best = healthy
            .into_iter()
            .min_by_key(|h| h.priority)
            .map(|h| h.host.clone());
        let mut url = entry.default_url.clone();
        if let Some(host) = best
            && url.set_host(Some(&host)).is_err()
        {
            return entry.default_url.clone();
        }
        url
    }

    /// How many home-cluster hosts `name` has (at least 1).
    #[must_use]
    pub fn host_count(&self, name: &str) -> usize {
        self.with_entry(name, |e| e.hosts.iter().filter(|h| h.home_cluster).count())
            .unwrap_or(0)
            .max(1)
    }

    /// Marks the host of `url` failed for `name`; the next [`url`](Self::url) moves on.
    pub fn mark_failed(&self, name: &str, url: &Url) {
        if let Some(host) = url.host_str() {
            self.mark_host_failed(name, host);
        }
    }

    /// Marks `host` (a bare host name) failed for `name`.
    pub fn mark_host_failed(&self, name: &str, host: &str) {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((name.to_owned(), host.to_owned()));
        self.forget_resolved();
    }

    /// Every known service with the URL [`url`](Self::url) would give.
    #[must_use]
    pub fn list(&self) -> BTreeMap<String, Url> {
        let names: Vec<String> = {
            let groups = self.groups.read().unwrap_or_else(PoisonError::into_inner);
            groups
                .values()
                .flat_map(|g| g.iter().map(|s| s.name.clone()))
                .collect()
        };
        names
            .into_iter()
            .filter_map(|name| self.url(&name).ok().map(|url| (name, url)))
            .collect()
    }

    /// Whether the token may be sent to `url`: a host [`trusts`](Self::trusts) accepts,
    /// reached over a secure transport ([`trust::is_secure_transport`]: `https`, or plain
    /// `http` to loopback only).
    #[must_use]
    pub fn may_send_token(&self, url: &Url) -> bool {
        trust::is_secure_transport(url) && self.trusts(url)
    }

    /// Whether the host of `url` is a Webex or allowed domain, or a host of a known service
    /// (whatever the scheme: see [`may_send_token`](Self::may_send_token)).
    #[must_use]
    pub fn trusts(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        if self
            .allowed_domains
            .iter()
            .any(|d| host.ends_with(d.as_str()) || host == &d[1..])
        {
            return true;
        }
        let key = host_key(url);
        let groups = self.groups.read().unwrap_or_else(PoisonError::into_inner);
        groups.values().flatten().any(|s| {
            host_key(&s.default_url) == key
                || (s.default_url.port() == url.port() && s.hosts.iter().any(|h| h.host == host))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ServiceHost;

    fn host(name: &str, priority: i64) -> ServiceHost {
        ServiceHost {
            host: name.to_owned(),
            ttl: -1,
            priority,
            id: "urn:TEAM:us-east-2_a:hydra".to_owned(),
            home_cluster: true,
        }
    }

    fn catalog() -> ServiceCatalog {
        let c = ServiceCatalog::from_config(&ServicesConfig::default()).unwrap();
        c.set_group(
            ServiceGroup::Postauth,
            vec![ServiceEntry {
                name: "hydra".into(),
                default_url: Url::parse("http://hydra-a.example:8080/v1/").unwrap(),
                hosts: vec![host("hydra-b.example", 9), host("hydra-c.example", 1)],
            }],
        );
        c
    }

    #[test]
    fn lookup_order_and_priority_host() {
        let c = catalog();
        assert_eq!(
            c.url("hydra").unwrap().as_str(),
            "http://hydra-c.example:8080/v1/"
        );
        assert_eq!(
            c.url("u2c").unwrap().as_str(),
            "https://u2c.wbx2.com/u2c/api/v1"
        );
        c.set_group(
            ServiceGroup::Override,
            vec![ServiceEntry {
                name: "hydra".into(),
                default_url: Url::parse("http://local/v1").unwrap(),
                hosts: vec![],
            }],
        );
        assert_eq!(c.url("hydra").unwrap().as_str(), "http://local/v1");
    }

    #[test]
    fn failed_hosts_are_skipped_then_reset() {
        let c = catalog();
        let first = c.url("hydra").unwrap();
        c.mark_failed("hydra", &first);
        assert_eq!(c.url("hydra").unwrap().host_str(), Some("hydra-b.example"));
        c.mark_failed("hydra", &c.url("hydra").unwrap());
        assert_eq!(c.url("hydra").unwrap().host_str(), Some("hydra-c.example"));
    }

    #[test]
    fn unknown_service_lists_known_ones() {
        let err = catalog().url("nope").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownService);
        assert!(err.message().contains("`nope`"));
        assert!(err.message().contains("hydra"));
    }

    #[test]
    fn trusts_webex_domains_and_catalog_hosts_only() {
        let c = catalog();
        assert!(c.trusts(&Url::parse("https://webexapis.com/v1/x").unwrap()));
        assert!(c.trusts(&Url::parse("https://a.wbx2.com/x").unwrap()));
        assert!(c.trusts(&Url::parse("http://hydra-b.example:8080/v1/x").unwrap()));
        assert!(!c.trusts(&Url::parse("https://evil.example/x").unwrap()));
        assert!(!c.trusts(&Url::parse("https://notwbx2.com/x").unwrap()));
    }

    #[test]
    fn the_token_goes_to_trusted_hosts_over_https_or_loopback_only() {
        let c = catalog();
        assert!(c.may_send_token(&Url::parse("https://webexapis.com/v1/x").unwrap()));
        assert!(!c.may_send_token(&Url::parse("http://webexapis.com/v1/x").unwrap()));
        assert!(!c.may_send_token(&Url::parse("http://hydra-b.example:8080/v1/x").unwrap()));
        assert!(!c.may_send_token(&Url::parse("https://evil.example/x").unwrap()));
    }
}
