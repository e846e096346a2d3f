//! The event streams of one meeting, owned by its driver task: one bounded queue each. An event
//! waits for room in a full queue (backpressure) up to a deadline shared by all queues; a queue
//! still full misses it, is not waited for again until it has room, and is then told how many
//! it missed ([`MeetingEventError::Lagged`]) before the next event.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, timeout_at};

use crate::events::{MeetingEvent, MeetingEventError};

/// A stream item.
pub(crate) type Item = Result<MeetingEvent, MeetingEventError>;

/// One stream's queue and what it missed.
struct Queue {
    sender: mpsc::Sender<Item>,
    missed: u64,
}

/// The live streams.
#[derive(Default)]
pub(crate) struct Subscribers {
    queues: Vec<Queue>,
}

impl Subscribers {
    /// Adds a stream's queue.
    pub(crate) fn add(&mut self, sender: mpsc::Sender<Item>) {
        self.queues.push(Queue { sender, missed: 0 });
    }

    /// Hands `item` to every live stream, waiting at most `wait` in all for room.
    pub(crate) async fn deliver(&mut self, item: &Item, wait: Duration) {
        self.queues.retain(|q| !q.sender.is_closed());
        let deadline = Instant::now() + wait;
        for queue in &mut self.queues {
            queue.deliver(item, deadline).await;
        }
    }

    /// Ends every stream after what is queued, telling each what it missed when there is room.
    pub(crate) fn close(&mut self) {
        for queue in self.queues.drain(..) {
            if queue.missed > 0 {
                let _ = queue.sender.try_send(Err(MeetingEventError::Lagged {
                    missed: queue.missed,
                }));
            }
        }
    }
}

impl Queue {
    async fn deliver(&mut self, item: &Item, deadline: Instant) {
        if self.missed > 0 {
            // Behind already: not waited for, so one stuck stream cannot slow every event.
            match self.sender.try_reserve_many(2) {
                Ok(mut permits) => {
                    if let Some(permit) = permits.next() {
                        permit.send(Err(MeetingEventError::Lagged {
                            missed: self.missed,
                        }));
                        self.missed = 0;
                    }
                    if let Some(permit) = permits.next() {
                        permit.send(item.clone());
                    }
                }
                Err(_) => self.missed += 1,
            }
            return;
        }
        match timeout_at(deadline, self.sender.reserve()).await {
            Ok(Ok(permit)) => permit.send(item.clone()),
            // The stream was dropped meanwhile.
            Ok(Err(_)) => {}
            Err(_) => self.missed += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> Item {
        Err(MeetingEventError::Malformed {
            reason: n.to_string(),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_stream_is_waited_for_then_told_what_it_missed() {
        let mut subscribers = Subscribers::default();
        let (slow_tx, mut slow) = mpsc::channel(2);
        let (fast_tx, mut fast) = mpsc::channel(16);
        subscribers.add(slow_tx);
        subscribers.add(fast_tx);
        let wait = Duration::from_secs(5);
        subscribers.deliver(&event(1), wait).await;
        subscribers.deliver(&event(2), wait).await;
        let started = Instant::now();
        subscribers.deliver(&event(3), wait).await;
        assert_eq!(started.elapsed(), wait, "backpressure: waited for room");
        let started = Instant::now();
        subscribers.deliver(&event(4), wait).await;
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "behind: not waited for again"
        );
        assert_eq!(slow.recv().await, Some(event(1)));
        assert_eq!(slow.recv().await, Some(event(2)));
        subscribers.deliver(&event(5), wait).await;
        assert_eq!(
            slow.recv().await,
            Some(Err(MeetingEventError::Lagged { missed: 2 }))
        );
        assert_eq!(slow.recv().await, Some(event(5)));
        for n in 1..=5 {
            assert_eq!(fast.recv().await, Some(event(n)));
        }
        // Missed events are reported when the streams end, too.
        subscribers.deliver(&event(6), wait).await;
        subscribers.deliver(&event(7), wait).await;
        subscribers.deliver(&event(8), wait).await;
        assert_eq!(slow.recv().await, Some(event(6)));
        subscribers.close();
        assert_eq!(slow.recv().await, Some(event(7)));
        assert_eq!(
            slow.recv().await,
            Some(Err(MeetingEventError::Lagged { missed: 1 }))
        );
        assert_eq!(slow.recv().await, None);
    }

    #[tokio::test(start_paused = true)]
    async fn dropped_streams_are_forgotten() {
        let mut subscribers = Subscribers::default();
        let (tx, rx) = mpsc::channel(1);
        subscribers.add(tx);
        drop(rx);
        let started = Instant::now();
        subscribers.deliver(&event(1), Duration::from_secs(5)).await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(subscribers.queues.is_empty());
    }
}
