//! Reachability results and the backend's format of them (every value a string), which join
//! and media bodies carry in `localSdp.reachability`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::{Map, Value, json};

/// The result of one protocol's test against one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolResult {
    /// Not tested (no URLs, or a protocol this client does not test).
    Untested,
    /// Tested, with no answer (yet).
    Unreachable,
    /// Answered.
    Reachable {
        /// Milliseconds from the start of the test to the answer.
        latency_ms: u64,
        /// Our address as the cluster saw it.
        client_media_ips: Vec<IpAddr>,
    },
}

impl ProtocolResult {
    /// Whether the cluster answered on this protocol.
    #[must_use]
    pub fn is_reachable(&self) -> bool {
        matches!(self, Self::Reachable { .. })
    }

    fn to_backend(&self) -> Value {
        match self {
            Self::Untested => json!({"untested": "true"}),
            Self::Unreachable => json!({"reachable": "false"}),
            Self::Reachable {
                latency_ms,
                client_media_ips,
            } => json!({
                "reachable": "true",
                "latencyInMilliseconds": latency_ms.to_string(),
                "clientMediaIPs": client_media_ips.iter().map(ToString::to_string).collect::<Vec<_>>(),
            }),
        }
    }
}

/// One cluster's results.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClusterReachability {
    /// UDP (STUN binding).
    pub udp: ProtocolResult,
    /// TCP through TURN (not tested, as the JS SDK by default).
    pub tcp: ProtocolResult,
    /// TLS through TURN on 443 (not tested, as the JS SDK by default).
    pub xtls: ProtocolResult,
    /// A video mesh (hybrid media) cluster.
    pub is_video_mesh: bool,
}

/// Every cluster's results, by cluster name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReachabilityResults {
    /// Results by cluster name.
    pub clusters: BTreeMap<String, ClusterReachability>,
}

impl ReachabilityResults {
    /// The backend's format: `{cluster: {udp: {reachable: "true", latencyInMilliseconds:
    /// "42", clientMediaIPs: [..]}, tcp: {untested: "true"}, xtls: {..}}}` (no
    /// `isVideoMesh`).
    #[must_use]
    pub fn to_backend_json(&self) -> Value {
        let map: Map<String, Value> = self
            .clusters
            .iter()
            .map(|(name, c)| {
                (
                    name.clone(),
                    json!({"udp": c.udp.to_backend(), "tcp": c.tcp.to_backend(), "xtls": c.xtls.to_backend()}),
                )
            })
            .collect();
        Value::Object(map)
    }

    /// Whether some cluster that is not video mesh answered on UDP or TCP (then the JS SDK
    /// skips TURN discovery).
    #[must_use]
    pub fn is_any_public_cluster_reachable(&self) -> bool {
        self.clusters
            .values()
            .any(|c| !c.is_video_mesh && (c.udp.is_reachable() || c.tcp.is_reachable()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_format_is_all_strings() {
        let mut results = ReachabilityResults::default();
        results.clusters.insert(
            "a".into(),
            ClusterReachability {
                udp: ProtocolResult::Reachable {
                    latency_ms: 42,
                    client_media_ips: vec![[203, 0, 113, 7].into()],
                },
                tcp: ProtocolResult::Untested,
                xtls: ProtocolResult::Untested,
                is_video_mesh: false,
            },
        );
        results.clusters.insert(
            "v".into(),
            ClusterReachability {
                udp: ProtocolResult::Unreachable,
                tcp: ProtocolResult::Untested,
                xtls: ProtocolResult::Untested,
                is_video_mesh: true,
            },
        );
        assert_eq!(
            results.to_backend_json(),
            json!({
                "a": {"udp": {"reachable": "true", "latencyInMilliseconds": "42",
                              "clientMediaIPs": ["203.0.113.7"]},
                      "tcp": {"untested": "true"}, "xtls": {"untested": "true"}},
                "v": {"udp": {"reachable": "false"}, "tcp": {"untested": "true"},
                      "xtls": {"untested": "true"}}
            })
        );
        assert!(results.is_any_public_cluster_reachable());
    }
}
