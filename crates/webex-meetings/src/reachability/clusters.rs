//! Media cluster discovery: `POST {calliopeDiscovery}/clusters` (what JS SDK 3.12.0 sends),
//! falling back to the older `GET clusters?JCSupport=1&ipver=0` when a server does not take
//! the POST.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};
use webex_core::Webex;
use webex_core::http::{Request, Target};

use crate::error::Result;

/// The catalog service of media cluster discovery.
const CALLIOPE: &str = "calliopeDiscovery";

/// One media cluster's STUN/TURN URLs per protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct ClusterUrls {
    #[serde(default)]
    pub(crate) udp: Vec<String>,
    #[serde(default)]
    pub(crate) tcp: Vec<String>,
    #[serde(default)]
    pub(crate) xtls: Vec<String>,
}

/// Calliope's answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Discovery {
    #[serde(default)]
    pub(crate) clusters: BTreeMap<String, ClusterUrls>,
    #[serde(default)]
    pub(crate) cluster_classes: ClusterClasses,
    /// Opaque; echoed in join and media bodies.
    #[serde(default)]
    pub(crate) join_cookie: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClusterClasses {
    /// Video mesh clusters.
    #[serde(default)]
    pub(crate) hybrid_media: Vec<String>,
}

impl Discovery {
    pub(crate) fn is_video_mesh(&self, name: &str) -> bool {
        self.cluster_classes.hybrid_media.iter().any(|n| n == name)
    }
}

/// Fetches the clusters; `trigger` is `startup` at registration.
pub(crate) async fn discover(webex: &Webex, trigger: &str) -> Result<Discovery> {
    let body = json!({
        "ipver": 0,
        "supported-options": {"report-version": 1, "early-call-min-clusters": true},
        "trigger": trigger,
    });
    let post = Request::post(Target::service(CALLIOPE, "clusters")).json(&body)?;
    let res = webex.http().send_raw(post).await?;
    if matches!(res.status().as_u16(), 404 | 405) {
        let get = Request::get(Target::service(CALLIOPE, "clusters"))
            .query("JCSupport", 1)
            .query("ipver", 0);
        return Ok(webex.http().json(get).await?);
    }
    Ok(res.error_for_status()?.json()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_parses_with_classes_and_cookie() {
        let d: Discovery = serde_json::from_value(json!({
            "clusters": {"a": {"udp": ["stun:127.0.0.1:3478"], "tcp": [], "xtls": []},
                         "v": {"udp": ["stun:10.0.0.5:5004"]}},
            "clusterClasses": {"hybridMedia": ["v"]},
            "joinCookie": {"anycastEntryPoint": "x"}
        }))
        .unwrap();
        assert!(d.is_video_mesh("v") && !d.is_video_mesh("a"));
        assert_eq!(d.clusters["a"].udp, ["stun:127.0.0.1:3478"]);
        assert_eq!(d.join_cookie, Some(json!({"anycastEntryPoint": "x"})));
    }
}
