//! Pacing for bursts of events: waiting until sockets have room.
//!
//! [`Hub::publish`] never waits and closes a socket whose queue is full
//! (1011), which is right for the API (a stuck client must not slow the
//! cloud down) but not for a benchmark that pushes a hundred thousand events
//! at one client: there the producer must go at the client's pace. A burst
//! (`POST /_emulator/mercury/burst`, in the control surface) publishes at
//! most [`BURST_CHUNK`] events at a time, each chunk after
//! [`Hub::wait_for_room`] said every receiving socket can take it.

use uuid::Uuid;

use super::hub::{Hub, QUEUE};

/// How many events a burst publishes between two waits for room; half a
/// socket's queue, so events the audience causes meanwhile still fit.
pub(crate) const BURST_CHUNK: usize = QUEUE / 2;

impl Hub {
    /// Waits until every open socket of everyone in `audience` has room for
    /// [`BURST_CHUNK`] more events. Sockets that close meanwhile are skipped.
    pub(crate) async fn wait_for_room(&self, audience: &[Uuid]) {
        for queue in self.queues_of(audience) {
            // Reserving and releasing the slots waits until they are free; a
            // closed socket has nothing to wait for.
            if let Ok(permits) = queue.reserve_many(BURST_CHUNK).await {
                drop(permits);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt as _;
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn waits_until_the_socket_has_room() {
        let hub = Hub::default();
        let alice = Uuid::new_v4();
        let mut socket = hub.register(alice, Uuid::new_v4());
        for _ in 0..QUEUE {
            hub.publish(&[alice], json!({"n": 1}), "T");
        }
        let audience = [alice];
        let wait = hub.wait_for_room(&audience);
        tokio::pin!(wait);
        assert!(
            (&mut wait).now_or_never().is_none(),
            "a full queue has no room"
        );
        for _ in 0..BURST_CHUNK {
            socket.frames.recv().await.unwrap();
        }
        wait.await;
        // Nothing was taken: the chunk still fits without closing the socket.
        for _ in 0..BURST_CHUNK {
            hub.publish(&[alice], json!({"n": 2}), "T");
        }
        assert!(socket.kick.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_closed_socket_is_not_waited_for() {
        let hub = Hub::default();
        let alice = Uuid::new_v4();
        drop(hub.register(alice, Uuid::new_v4()));
        hub.wait_for_room(&[alice]).await;
    }
}
