//! Reachability: which media clusters this client can reach, tested with real STUN binding
//! requests over UDP, with the JS SDK's timers. `gather` answers after at most
//! [`RESOLVE_AFTER`] (so `register()` is not held up), while the tests go on in the
//! background until they all end or [`ABORT_AFTER`]; the join reads whatever is known then.

mod clusters;
mod result;
mod stun;

pub use result::{ClusterReachability, ProtocolResult, ReachabilityResults};

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;
use tokio::time::Instant;
use webex_core::Webex;

use crate::error::Result;

/// When `gather` answers at the latest, whatever is still running.
pub const RESOLVE_AFTER: Duration = Duration::from_secs(3);
/// When `gather` answers if only video mesh clusters are still missing.
pub const VIDEO_MESH_GRACE: Duration = Duration::from_secs(1);
/// When every test still running is abandoned.
pub const ABORT_AFTER: Duration = Duration::from_secs(15);

/// The latest results and join cookie; clones share them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reachability {
    shared: Arc<Mutex<Shared>>,
}

#[derive(Debug, Default)]
struct Shared {
    results: ReachabilityResults,
    join_cookie: Option<Value>,
}

impl Reachability {
    /// The results so far.
    pub(crate) fn results(&self) -> ReachabilityResults {
        self.lock().results.clone()
    }

    /// The join cookie of the last discovery (`{}` before one, as the JS SDK sends).
    pub(crate) fn join_cookie(&self) -> Value {
        self.lock()
            .join_cookie
            .clone()
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Discovers the clusters and tests them; answers when every test has ended, after
    /// [`VIDEO_MESH_GRACE`] if only video mesh clusters are missing, or after
    /// [`RESOLVE_AFTER`] at the latest. Tests still running keep updating the results until
    /// [`ABORT_AFTER`].
    pub(crate) async fn gather(&self, webex: &Webex, trigger: &str) -> Result<ReachabilityResults> {
        let discovery = clusters::discover(webex, trigger).await?;
        let start = Instant::now();
        let deadline = start + ABORT_AFTER;
        {
            let mut shared = self.lock();
            shared.join_cookie = discovery.join_cookie.clone();
            shared.results.clusters = discovery
                .clusters
                .iter()
                .map(|(name, urls)| {
                    let udp = if urls.udp.is_empty() {
                        ProtocolResult::Untested
                    } else {
                        ProtocolResult::Unreachable
                    };
                    let cluster = ClusterReachability {
                        udp,
                        tcp: ProtocolResult::Untested,
                        xtls: ProtocolResult::Untested,
                        is_video_mesh: discovery.is_video_mesh(name),
                    };
                    (name.clone(), cluster)
                })
                .collect();
        }
        // How many public and video mesh tests are still running.
        let (pending_tx, mut pending) = watch::channel((0usize, 0usize));
        for (name, urls) in discovery.clusters.clone() {
            if urls.udp.is_empty() {
                continue;
            }
            let mesh = discovery.is_video_mesh(&name);
            pending_tx.send_modify(|(public, vmn)| *if mesh { vmn } else { public } += 1);
            let this = self.clone();
            let pending_tx = pending_tx.clone();
            tokio::spawn(async move {
                let tests = urls
                    .udp
                    .iter()
                    .map(|url| Box::pin(stun::binding_test(url, deadline)));
                if let Ok((binding, _)) = futures::future::select_ok(tests).await {
                    let mut shared = this.lock();
                    if let Some(cluster) = shared.results.clusters.get_mut(&name) {
                        cluster.udp = ProtocolResult::Reachable {
                            latency_ms: binding.latency_ms,
                            client_media_ips: vec![binding.mapped],
                        };
                    }
                }
                pending_tx.send_modify(|(public, vmn)| *if mesh { vmn } else { public } -= 1);
            });
        }
        drop(pending_tx);
        let grace = start + VIDEO_MESH_GRACE;
        let resolve = start + RESOLVE_AFTER;
        let settled = async {
            loop {
                let (public, vmn) = *pending.borrow_and_update();
                let done = public == 0 && (vmn == 0 || Instant::now() >= grace);
                if done {
                    return;
                }
                let wake = if public == 0 { Some(grace) } else { None };
                match wake {
                    Some(at) => {
                        let _ = tokio::time::timeout_at(at, pending.changed()).await;
                    }
                    None => {
                        if pending.changed().await.is_err() {
                            return;
                        }
                    }
                }
            }
        };
        let _ = tokio::time::timeout_at(resolve, settled).await;
        Ok(self.results())
    }
}
