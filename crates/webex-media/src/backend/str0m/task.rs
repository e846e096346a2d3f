//! The connection's task: drives the `Rtc` over its UDP socket, sends what it wants sent,
//! reports what happened, and fails the connection when ICE does not connect in time.

use std::sync::Arc;

use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::Shared;
use crate::backend::BackendEvent;

/// The largest datagram read.
const DATAGRAM: usize = 2048;

/// Runs until the connection is closed or fails.
pub(super) async fn run(
    shared: Arc<Shared>,
    socket: UdpSocket,
    events: mpsc::Sender<BackendEvent>,
) {
    let mut buf = vec![0; DATAGRAM];
    loop {
        let polled = crate::lock(&shared.peer).poll();
        for (destination, bytes) in &polled.transmits {
            if let Err(error) = socket.send_to(bytes, destination).await {
                tracing::debug!(%error, %destination, "media datagram not sent");
            }
        }
        for event in polled.events {
            match &event {
                BackendEvent::Connected => shared.ice.connected(),
                BackendEvent::Disconnected => shared.ice.disconnected(),
                _ => {}
            }
            // The connection gone: nobody listens any more.
            let _ = events.send(event).await;
        }
        if let Some(reason) = polled.ended {
            let _ = events.send(BackendEvent::Failed(reason)).await;
            break;
        }
        let rtc_deadline = polled.deadline.map_or_else(Instant::now, Instant::from_std);
        let ice_deadline = shared.ice.deadline();
        tokio::select! {
            () = shared.closed.notified() => break,
            () = shared.wake.notified() => {}
            () = crate::sleep_until_some(ice_deadline) => {
                let reason = format!("ICE did not connect within {:?}", shared.ice.timeout());
                let _ = events.send(BackendEvent::Failed(reason)).await;
                break;
            }
            () = tokio::time::sleep_until(rtc_deadline) => crate::lock(&shared.peer).timeout(),
            received = socket.recv_from(&mut buf) => match received {
                Ok((n, source)) => crate::lock(&shared.peer).receive(source, &buf[..n]),
                Err(error) => tracing::debug!(%error, "media socket read failed"),
            },
        }
    }
    crate::lock(&shared.peer).disconnect();
}
