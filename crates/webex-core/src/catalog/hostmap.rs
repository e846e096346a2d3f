use std::collections::HashMap;

use serde_json::{Map, Value};
use url::Url;

/// One service of a catalog response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    /// The service name, e.g. `hydra`.
    pub name: String,
    /// The URL from `serviceLinks`.
    pub default_url: Url,
    /// Priority hosts from `hostCatalog`, home cluster first.
    pub hosts: Vec<ServiceHost>,
}

/// One `hostCatalog` entry attached to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHost {
    /// Bare hostname (no port); URLs built from it keep the port of the default URL.
    pub host: String,
    /// Time to live in seconds; -1 is forever.
    pub ttl: i64,
    /// Lower is preferred.
    pub priority: i64,
    /// Cluster URN, `urn:TEAM:<region>_<letter>:<serviceId>`.
    pub id: String,
    /// Whether the entry sat under the service's own host key.
    pub home_cluster: bool,
}

/// A parsed `format=hostmap` catalog response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hostmap {
    /// Services in `serviceLinks` order.
    pub services: Vec<ServiceEntry>,
    /// Entries that were skipped, and why (the caller logs them).
    pub warnings: Vec<String>,
}

/// `host[:port]` as WHATWG's `URL.host` gives it: the port only when it is not the default.
pub(crate) fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// The service id of a cluster URN: its 4th `:`-separated field.
fn service_id(urn: &str) -> Option<&str> {
    urn.split(':').nth(3)
}

/// Parses a U2C `format=hostmap` response the way the JS SDK's `_formatReceivedHostmap` does.
///
/// # Errors
/// A message naming what is wrong when the body is not JSON, or `serviceLinks` /
/// `hostCatalog` are missing or malformed. Single unusable host entries are skipped with a
/// warning instead, so one odd entry does not take the client down.
pub fn parse_hostmap(body: &[u8]) -> Result<Hostmap, String> {
    let root: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON ({e})"))?;
    let root = root.as_object().ok_or("the body is not a JSON object")?;
    let links = object_field(root, "serviceLinks")?;
    let catalog = HostCatalog::parse(object_field(root, "hostCatalog")?);
    let mut out = Hostmap::default();
    for (name, link) in links {
        let link = link
            .as_str()
            .ok_or_else(|| format!("`serviceLinks.{name}` is not a string"))?;
        let default_url = Url::parse(link)
            .map_err(|e| format!("`serviceLinks.{name}` is not a URL ({link:?}: {e})"))?;
        let hosts = catalog.hosts_for(&default_url, &mut out.warnings);
        out.services.push(ServiceEntry {
            name: name.clone(),
            default_url,
            hosts,
        });
    }
    Ok(out)
}

fn object_field<'a>(
    root: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a Map<String, Value>, String> {
    match root.get(key) {
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(format!("`{key}` is not an object but {}", kind_of(other))),
        None => Err(format!("`{key}` is missing")),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `hostCatalog`, every entry parsed once: the entries under each host key, and where each
/// service id occurs, so a catalog of `s` services and `e` entries takes `O(s + e)` work
/// (the JS SDK's rescan of every key for every service is `O(s × e)`).
struct HostCatalog {
    /// Per host key: its usable entries and the warnings about the rest.
    keys: HashMap<String, (Vec<ServiceHost>, Vec<String>)>,
    /// Per service id: (host key, entry index) in catalog order.
    by_service: HashMap<String, Vec<(String, usize)>>,
}

impl HostCatalog {
    fn parse(catalog: &Map<String, Value>) -> Self {
        let mut keys = HashMap::with_capacity(catalog.len());
        let mut by_service: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (key, list) in catalog {
            let mut warnings = Vec::new();
            let hosts = entries_under(key, list, &mut warnings);
            for (i, host) in hosts.iter().enumerate() {
                if let Some(id) = service_id(&host.id) {
                    by_service
                        .entry(id.to_owned())
                        .or_default()
                        .push((key.clone(), i));
                }
            }
            keys.insert(key.clone(), (hosts, warnings));
        }
        Self { keys, by_service }
    }

    /// The hosts of the service at `url`: the entries under its own host key with the
    /// first entry's service id (home cluster), then that service's entries under every
    /// other key, in catalog order. Warnings are those of its own key.
    fn hosts_for(&self, url: &Url, warnings: &mut Vec<String>) -> Vec<ServiceHost> {
        let Some(key) = host_key(url) else {
            return Vec::new();
        };
        let Some((home, home_warnings)) = self.keys.get(&key) else {
            return Vec::new();
        };
        warnings.extend(home_warnings.iter().cloned());
        let Some(first) = home.first() else {
            return Vec::new();
        };
        let Some(wanted) = service_id(&first.id) else {
            warnings.push(format!(
                "hostCatalog[{key:?}][0].id {:?} is not a cluster URN",
                first.id
            ));
            return Vec::new();
        };
        let mut hosts: Vec<ServiceHost> = home
            .iter()
            .filter(|h| service_id(&h.id) == Some(wanted))
            .cloned()
            .collect();
        for (other_key, i) in self.by_service.get(wanted).into_iter().flatten() {
            if *other_key != key {
                hosts.push(ServiceHost {
                    home_cluster: false,
                    ..self.keys[other_key].0[*i].clone()
                });
            }
        }
        hosts
    }
}

fn entries_under(key: &str, list: &Value, warnings: &mut Vec<String>) -> Vec<ServiceHost> {
    let Some(list) = list.as_array() else {
        warnings.push(format!("hostCatalog[{key:?}] is not an array"));
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, entry)| match host_entry(entry) {
            Ok(host) => Some(host),
            Err(why) => {
                warnings.push(format!("skipped hostCatalog[{key:?}][{i}]: {why}"));
                None
            }
        })
        .collect()
}

#[cfg(test)]
thread_local! {
    /// Host entries parsed on this thread, so a test can see the work is linear.
    static ENTRIES_PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn host_entry(entry: &Value) -> Result<ServiceHost, String> {
    #[cfg(test)]
    ENTRIES_PARSED.with(|n| n.set(n.get() + 1));
    let obj = entry.as_object().ok_or("not an object")?;
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| format!("`{k}` is missing or not a string"))
    };
    let number = |k: &str, default: i64| obj.get(k).and_then(Value::as_i64).unwrap_or(default);
    Ok(ServiceHost {
        host: text("host")?,
        id: text("id")?,
        ttl: number("ttl", -1),
        priority: number("priority", i64::MAX),
        home_cluster: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like a real U2C answer (`docs/protocol/catalog.md`, *The `hostmap` format*);
    /// values are illustrative.
    const REAL_SHAPED: &str = r#"{
      "serviceLinks": {
        "conversation": "https://conv-a.wbx2.com/conversation/api/v1",
        "hydra": "https://hydra-a.wbx2.com/v1/",
        "wdm": "https://wdm-a.wbx2.com/wdm/api/v1",
        "idbroker": "https://idbroker.webex.com/"
      },
      "hostCatalog": {
        "conv-a.wbx2.com": [
          {"host": "conv-a.wbx2.com", "ttl": -1, "priority": 5, "id": "urn:TEAM:us-east-2_a:conversation"},
          {"host": "conv-k.wbx2.com", "ttl": -1, "priority": 1, "id": "urn:TEAM:us-east-2_a:conversation"}
        ],
        "conv-r.wbx2.com": [
          {"host": "conv-r.wbx2.com", "ttl": -1, "priority": 2, "id": "urn:TEAM:eu-central-1_k:conversation"}
        ],
        "hydra-a.wbx2.com": [
          {"host": "hydra-a.wbx2.com", "ttl": -1, "priority": 5, "id": "urn:TEAM:us-east-2_a:hydra"}
        ]
      },
      "format": "hostmap",
      "timestamp": "1729670000",
      "orgId": "1eb65fdf-9643-417f-9974-ad72cae0e10f"
    }"#;

    #[test]
    fn parses_real_shaped_hostmap() {
        let map = parse_hostmap(REAL_SHAPED.as_bytes()).unwrap();
        assert!(map.warnings.is_empty(), "{:?}", map.warnings);
        let names: Vec<_> = map.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["conversation", "hydra", "wdm", "idbroker"]);
        let conv = &map.services[0];
        assert_eq!(conv.hosts.len(), 3);
        assert!(conv.hosts[0].home_cluster && conv.hosts[1].home_cluster);
        assert_eq!(conv.hosts[2].host, "conv-r.wbx2.com");
        assert!(!conv.hosts[2].home_cluster);
        assert_eq!(map.services[1].hosts.len(), 1);
        assert!(map.services[2].hosts.is_empty());
    }

    #[test]
    fn host_key_keeps_non_default_port() {
        let url = Url::parse("http://127.0.0.1:8642/v1/").unwrap();
        assert_eq!(host_key(&url).as_deref(), Some("127.0.0.1:8642"));
        let url = Url::parse("https://hydra-a.wbx2.com:443/v1/").unwrap();
        assert_eq!(host_key(&url).as_deref(), Some("hydra-a.wbx2.com"));
    }

    #[test]
    fn malformed_catalogs_name_the_problem() {
        let err = |body: &str| parse_hostmap(body.as_bytes()).unwrap_err();
        assert!(err("<html>").contains("not JSON"));
        assert!(err("[]").contains("not a JSON object"));
        assert!(err(r#"{"hostCatalog":{}}"#).contains("`serviceLinks` is missing"));
        assert!(
            err(r#"{"serviceLinks":5,"hostCatalog":{}}"#)
                .contains("`serviceLinks` is not an object but a number")
        );
        assert!(err(r#"{"serviceLinks":{}}"#).contains("`hostCatalog` is missing"));
        assert!(
            err(r#"{"serviceLinks":{"hydra":"not a url"},"hostCatalog":{}}"#)
                .contains("`serviceLinks.hydra` is not a URL")
        );
        assert!(
            err(r#"{"serviceLinks":{"hydra":7},"hostCatalog":{}}"#)
                .contains("`serviceLinks.hydra` is not a string")
        );
    }

    #[test]
    fn every_host_entry_is_parsed_once() {
        let n = 300;
        let links: Map<String, Value> = (0..n)
            .map(|i| {
                (
                    format!("s{i}"),
                    Value::from(format!("https://h{i}.example/v1")),
                )
            })
            .collect();
        let catalog: Map<String, Value> = (0..n)
            .map(|i| {
                let entry = serde_json::json!([{
                    "host": format!("h{i}.example"), "priority": 1,
                    "id": format!("urn:TEAM:x_a:s{}", i % 7),
                }]);
                (format!("h{i}.example"), entry)
            })
            .collect();
        let body = serde_json::json!({"serviceLinks": links, "hostCatalog": catalog});
        ENTRIES_PARSED.with(|c| c.set(0));
        let map = parse_hostmap(body.to_string().as_bytes()).unwrap();
        assert_eq!(ENTRIES_PARSED.with(std::cell::Cell::get), n);
        // Each service: its own host, then the other clusters of its service id.
        let s3 = &map.services[3];
        assert_eq!(s3.hosts[0].host, "h3.example");
        assert!(s3.hosts[0].home_cluster);
        let others: Vec<&str> = s3.hosts[1..].iter().map(|h| h.host.as_str()).collect();
        let expected: Vec<String> = (0..n)
            .filter(|i| i % 7 == 3 && *i != 3)
            .map(|i| format!("h{i}.example"))
            .collect();
        assert_eq!(others, expected);
        assert!(s3.hosts[1..].iter().all(|h| !h.home_cluster));
    }

    #[test]
    fn bad_host_entries_are_skipped_with_a_warning() {
        let body = r#"{"serviceLinks":{"hydra":"https://h.example/v1"},
            "hostCatalog":{"h.example":[{"ttl":1},{"host":"h.example","id":"urn:TEAM:x_a:hydra","priority":1}]}}"#;
        let map = parse_hostmap(body.as_bytes()).unwrap();
        assert_eq!(map.services[0].hosts.len(), 1);
        assert_eq!(map.warnings.len(), 1);
        assert!(
            map.warnings[0].contains("`host` is missing"),
            "{:?}",
            map.warnings
        );
    }
}
