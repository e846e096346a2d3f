//! Reachability's timers on tokio's paused clock, with calliope's answer replaced through an
//! emulator fault so that clusters can stay silent: `register()` waits at most 3 s for the
//! tests, 1 s when only video mesh clusters are missing, and a silent cluster is
//! `reachable: "false"`.

mod common;

use std::time::Duration;

use serde_json::json;
use tokio::net::UdpSocket;
use tokio::time::Instant;
use webex_emulator::{Emulator, Fault};
use webex_meetings::MeetingsExt;
use webex_meetings::reachability::ProtocolResult;

/// Calliope answers `clusters` (and `hybridMedia`) this once.
fn clusters(emulator: &Emulator, clusters: serde_json::Value, video_mesh: &[&str]) {
    emulator.add_fault(Fault {
        status: Some(200),
        path_prefix: Some("/calliope/api/discovery/v1/clusters".into()),
        body: Some(
            json!({"clusters": clusters, "clusterClasses": {"hybridMedia": video_mesh},
                   "joinCookie": {"anycastEntryPoint": "test"}})
            .to_string(),
        ),
        ..Fault::default()
    });
}

/// A client of a new person, registered; its registration took `wait` (and less than a
/// second more) on the paused clock.
async fn registered_within(emulator: &Emulator, wait: Duration) -> webex_core::Webex {
    let alice = common::person(emulator, "Alice", webex_emulator::PersonType::Person);
    let webex = common::client(emulator, &alice).await;
    let started = Instant::now();
    webex.meetings().register().await.unwrap();
    let waited = started.elapsed();
    assert!(
        (wait..wait + Duration::from_secs(1)).contains(&waited),
        "register waited {waited:?}, expected {wait:?}"
    );
    webex
}

#[tokio::test(start_paused = true)]
async fn a_silent_cluster_holds_registration_three_seconds_and_is_unreachable() {
    let emulator = Emulator::start_default().await.unwrap();
    // Bound and never read: a STUN server that does not answer.
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    clusters(
        &emulator,
        json!({"silent": {"udp": [format!("stun:{}", silent.local_addr().unwrap())], "tcp": [], "xtls": []}}),
        &[],
    );
    let webex = registered_within(&emulator, Duration::from_secs(3)).await;
    let results = webex.meetings().reachability();
    assert_eq!(results.clusters["silent"].udp, ProtocolResult::Unreachable);
    assert_eq!(
        results.to_backend_json()["silent"]["udp"],
        json!({"reachable": "false"})
    );
}

#[tokio::test(start_paused = true)]
async fn only_video_mesh_missing_resolves_after_one_second() {
    let emulator = Emulator::start_default().await.unwrap();
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    clusters(
        &emulator,
        json!({
            "public": {"udp": [format!("stun:{}", emulator.stun_addr())], "tcp": [], "xtls": []},
            "mesh": {"udp": [format!("stun:{}", silent.local_addr().unwrap())], "tcp": [], "xtls": []},
        }),
        &["mesh"],
    );
    let webex = registered_within(&emulator, Duration::from_secs(1)).await;
    let results = webex.meetings().reachability();
    assert!(results.clusters["public"].udp.is_reachable());
    assert!(results.clusters["mesh"].is_video_mesh);
    assert!(results.is_any_public_cluster_reachable());
}
