//! The backend's own contract, without a peer: start, offers, sending before connected,
//! close.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::start;
use crate::backend::{BackendConfig, Direction};
use crate::error::MediaError;

fn config(local_ip: IpAddr) -> BackendConfig {
    BackendConfig {
        local_ip,
        ice_servers: Vec::new(),
        audio: Direction::SendRecv,
        video: Direction::RecvOnly,
        share: Direction::Inactive,
        ice_timeout: Duration::from_secs(20),
    }
}

#[tokio::test]
async fn an_address_that_is_not_local_fails_at_start() {
    // TEST-NET-1: never an address of this host.
    let outside = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    assert!(matches!(start(config(outside)), Err(MediaError::Io(_))));
}

#[tokio::test]
async fn audio_before_the_connection_is_up_is_dropped_and_after_close_refused() {
    let backend = start(config(Ipv4Addr::LOCALHOST.into())).expect("started");
    let mut events = backend.take_events().expect("events");
    assert!(backend.take_events().is_none(), "taken once");
    let offer = backend.create_offer().await.expect("an offer");
    assert!(offer.contains("a=inactive"), "{offer}");
    backend
        .send_audio(b"opus")
        .expect("dropped while not connected");
    let stats = backend.stats().await.expect("stats");
    assert!(stats.iter().all(|s| s.packets == 0), "{stats:?}");

    backend.close().await;
    assert!(matches!(
        backend.send_audio(b"opus"),
        Err(MediaError::Closed)
    ));
    assert!(matches!(
        backend.create_offer().await,
        Err(MediaError::Closed)
    ));
    assert!(
        events.try_recv().is_err(),
        "nothing connected, nothing to report"
    );
}
