//! The client owns its background tasks: dropping the last handle, without `shutdown()`,
//! closes the Mercury socket cleanly and ends every task the SDK started.

mod common;

use std::time::Duration;

use futures::StreamExt;
use webex_devices::DevicesExt;
use webex_emulator::{Emulator, Fault, MercuryConnectionState};
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

/// An emulator, and how many tasks run before any client exists: the emulator's own. Every
/// task started later is a client's, or serves one of its connections.
async fn emulator() -> (Emulator, usize) {
    let emulator = Emulator::start_default().await.unwrap();
    // Let the emulator's server task start: it spawns its shutdown watcher when first run.
    tokio::task::yield_now().await;
    (emulator, alive_tasks())
}

/// Fails unless, within a paused-clock second, only the emulator's own tasks remain.
async fn assert_every_client_task_ends(before: usize) {
    let ended =
        tokio::time::timeout(Duration::from_secs(1), until(|| alive_tasks() == before)).await;
    assert!(
        ended.is_ok(),
        "{} tasks remain besides the emulator's",
        alive_tasks() - before
    );
}

// The clock is paused and nothing on the way needs a timer, so the bound of one second is met
// by socket events alone (on loopback a write is readable at once, and the client's socket
// has Nagle's algorithm off, so its close frame does not wait for a delayed ACK in real time
// while the paused clock runs on); the driver's own close timeout (2 s) would fail it.
#[tokio::test(start_paused = true)]
async fn dropping_the_last_handle_closes_the_socket_and_ends_every_task() {
    let (emulator, before) = emulator().await;

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

    assert_every_client_task_ends(before).await;
    // What the user still held sees the end: the event stream finishes, the state is final.
    assert!(
        events
            .next()
            .await
            .is_some_and(|e| e.is_ok_and(|e| e.event_type() == "mercury.buffer_state"))
    );
    assert!(events.next().await.is_none());
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
}

#[tokio::test(start_paused = true)]
async fn a_client_dropped_while_mercury_waits_to_retry_ends_its_task() {
    let (emulator, before) = emulator().await;
    // Device registration keeps failing, so the driver backs off (1 s and more) between dials.
    emulator.add_fault(Fault {
        status: Some(503),
        count: 1000,
        path_prefix: Some("/wdm/api/v1/devices".into()),
        ..Fault::default()
    });
    let (builder, _) = common::client_builder(&emulator, MercuryPlugin::default());
    let webex = builder.build().await.unwrap();
    let state = webex.mercury().state().unwrap();
    let connecting =
        tokio::time::timeout(Duration::from_millis(100), webex.mercury().connect()).await;
    assert!(connecting.is_err(), "still connecting: {connecting:?}");
    assert_eq!(emulator.request_count("/wdm/api/v1/devices"), 1);
    assert!(alive_tasks() > before, "the driver task runs");

    drop(webex);
    assert_every_client_task_ends(before).await;
    assert_eq!(*state.borrow(), ConnectionState::Disconnected);
    assert!(emulator.mercury_connections().is_empty());
}
