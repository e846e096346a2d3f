//! The client owns its background tasks: dropping the last handle, without `shutdown()`,
//! closes the Mercury socket cleanly and ends every task the SDK started.

mod common;

use std::time::Duration;

use futures::StreamExt;
use webex_devices::DevicesExt;
use webex_emulator::{Emulator, MercuryConnectionState};
use webex_mercury::{ConnectionState, MercuryExt, MercuryPlugin};

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Resolves once `done` holds, looking every (paused-clock) millisecond; the caller bounds it.
async fn until(mut done: impl FnMut() -> bool) {
    while !done() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

// The clock is paused and nothing on the way needs a timer, so the bound of one second is met
// by socket events alone (on loopback a write is readable at once, and the client's socket
// has Nagle's algorithm off, so its close frame does not wait for a delayed ACK in real time
// while the paused clock runs on); the driver's own close timeout (2 s) would fail it.
#[tokio::test(start_paused = true)]
async fn dropping_the_last_handle_closes_the_socket_and_ends_every_task() {
    let emulator = Emulator::start_default().await.unwrap();
    // Let the emulator's server task start: it spawns its shutdown watcher when first run.
    tokio::task::yield_now().await;
    // The emulator's own tasks; every task started from here on is the client's, or serves
    // one of its connections.
    let before = alive_tasks();

    let (builder, _) = common::client_builder(&emulator, MercuryPlugin::default());
    let webex = builder.build().await.unwrap();
    let mut events = webex.mercury().events();
    let state = webex.mercury().state().unwrap();
    webex.mercury().connect().await.unwrap();
    let device = webex.devices().current().unwrap();
    let connections = emulator.mercury_connections();
    assert_eq!(connections.len(), 1, "{connections:?}");
    assert_eq!(connections[0].state, MercuryConnectionState::Open);
    assert!(
        device
            .web_socket_url
            .as_str()
            .contains(&connections[0].device_id)
    );
    assert!(alive_tasks() > before, "the driver task runs");

    let client = webex.downgrade();
    drop(webex);

    assert!(client.upgrade().is_none(), "nothing keeps the client alive");
    let closed = tokio::time::timeout(
        Duration::from_secs(1),
        until(|| emulator.mercury_connections()[0].state != MercuryConnectionState::Open),
    )
    .await;
    let connections = emulator.mercury_connections();
    assert!(closed.is_ok(), "the socket is still open: {connections:?}");
    assert_eq!(
        connections[0].state,
        MercuryConnectionState::ClosedByClient {
            code: Some(1000),
            reason: "Done".to_owned()
        }
    );

    let ended =
        tokio::time::timeout(Duration::from_secs(1), until(|| alive_tasks() == before)).await;
    assert!(
        ended.is_ok(),
        "{} tasks remain besides the emulator's",
        alive_tasks() - before
    );
    // What the user still held sees the end: the event stream finishes, the state is final.
    assert!(
        events
            .next()
            .await
            .is_some_and(|e| e.event_type() == "mercury.buffer_state")
    );
    assert!(events.next().await.is_none());
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
}
