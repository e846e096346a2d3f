//! The subscribers of [`Mercury::events`](crate::Mercury::events): one bounded queue each,
//! fed by the driver with backpressure, so an event is acked only once every live subscriber
//! has it (or was told it missed it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::{EventError, MercuryEvent};

/// What a subscriber receives.
pub(crate) type Item = Result<MercuryEvent, EventError>;

#[derive(Clone)]
struct Subscriber {
    queue: mpsc::Sender<Item>,
    /// Events this subscriber missed and was not yet told about.
    missed: Arc<AtomicU64>,
}

/// Every live subscriber; shared by the plugin (which adds them) and the driver (which feeds
/// them). Dropping every clone ends every stream.
#[derive(Clone, Default)]
pub(crate) struct Subscribers(Arc<Mutex<Vec<Subscriber>>>);

impl Subscribers {
    /// A new subscriber's queue, holding up to `capacity` items.
    pub(crate) fn subscribe(&self, capacity: usize) -> mpsc::Receiver<Item> {
        let (queue, receiver) = mpsc::channel(capacity.max(1));
        self.lock().push(Subscriber {
            queue,
            missed: Arc::default(),
        });
        receiver
    }

    /// Hands `item` to every live subscriber, waiting at most `wait` in all for room in full
    /// queues. A subscriber whose queue stays full misses the item; it is not waited for
    /// again until it has room, and then first gets [`EventError::Lagged`] with the count.
    pub(crate) async fn deliver(&self, item: Item, wait: Duration) {
        let Some(item) = self.deliver_now(item) else {
            return;
        };
        let now = Instant::now();
        let deadline = now.checked_add(wait).unwrap_or(now);
        let mut live = self.live();
        // The last one takes the item itself: no copy when there is one subscriber.
        let last = live.pop();
        for subscriber in live {
            subscriber.deliver(item.clone(), deadline).await;
        }
        if let Some(subscriber) = last {
            subscriber.deliver(item, deadline).await;
        }
    }

    /// The common case, without waiting or copying the list: one live subscriber, not behind,
    /// with room. Gives `item` back when that is not the case.
    fn deliver_now(&self, item: Item) -> Option<Item> {
        let mut subscribers = self.lock();
        subscribers.retain(|s| !s.queue.is_closed());
        match subscribers.as_slice() {
            [only] if only.missed.load(Ordering::Relaxed) == 0 => match only.queue.try_send(item) {
                Ok(()) => None,
                Err(
                    mpsc::error::TrySendError::Full(item) | mpsc::error::TrySendError::Closed(item),
                ) => Some(item),
            },
            _ => Some(item),
        }
    }

    /// Ends every stream: each gets what is queued, a last [`EventError::Lagged`] if it
    /// missed events (when there is room), then its end.
    pub(crate) fn close_all(&self) {
        for subscriber in std::mem::take(&mut *self.lock()) {
            let missed = subscriber.missed.swap(0, Ordering::Relaxed);
            if missed > 0 {
                let _ = subscriber
                    .queue
                    .try_send(Err(EventError::Lagged { missed }));
            }
        }
    }

    /// The subscribers whose streams still exist (the others are forgotten).
    fn live(&self) -> Vec<Subscriber> {
        let mut subscribers = self.lock();
        subscribers.retain(|s| !s.queue.is_closed());
        subscribers.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Subscriber>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Subscriber {
    async fn deliver(&self, item: Item, deadline: Instant) {
        let missed = self.missed.load(Ordering::Relaxed);
        if missed > 0 {
            // Behind already: no waiting, so one stuck subscriber cannot slow every event.
            // With room for two, the count goes first and the event right after it.
            match self.queue.try_reserve_many(2) {
                Ok(mut permits) => {
                    if let Some(permit) = permits.next() {
                        permit.send(Err(EventError::Lagged { missed }));
                        self.missed.fetch_sub(missed, Ordering::Relaxed);
                    }
                    if let Some(permit) = permits.next() {
                        permit.send(item);
                    }
                }
                Err(_) => {
                    self.missed.fetch_add(1, Ordering::Relaxed);
                }
            }
            return;
        }
        match tokio::time::timeout_at(deadline, self.queue.reserve()).await {
            Ok(Ok(permit)) => permit.send(item),
            // The stream was dropped meanwhile.
            Ok(Err(_)) => {}
            Err(_) => {
                self.missed.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> Item {
        Err(EventError::Malformed {
            id: Some(n.to_string()),
            reason: String::new(),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_queue_waits_then_reports_what_it_missed() {
        let subscribers = Subscribers::default();
        let mut slow = subscribers.subscribe(2);
        let mut fast = subscribers.subscribe(8);
        let wait = Duration::from_secs(5);
        subscribers.deliver(event(1), wait).await;
        subscribers.deliver(event(2), wait).await;
        // `slow` is full: the hand-off waits the whole timeout, then gives up on it.
        let started = Instant::now();
        subscribers.deliver(event(3), wait).await;
        assert_eq!(started.elapsed(), wait);
        // Behind already: not waited for again.
        let started = Instant::now();
        subscribers.deliver(event(4), wait).await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert_eq!(slow.recv().await, Some(event(1)));
        // Room for one only: still behind.
        subscribers.deliver(event(5), wait).await;
        assert_eq!(slow.recv().await, Some(event(2)));
        // Room again: the count, then the event.
        subscribers.deliver(event(6), wait).await;
        assert_eq!(
            slow.recv().await,
            Some(Err(EventError::Lagged { missed: 3 }))
        );
        assert_eq!(slow.recv().await, Some(event(6)));
        for n in 1..=6 {
            assert_eq!(fast.recv().await, Some(event(n)));
        }
        // Missed events are reported at the end too.
        subscribers.deliver(event(7), wait).await;
        subscribers.deliver(event(8), wait).await;
        subscribers.deliver(event(9), wait).await;
        assert_eq!(slow.recv().await, Some(event(7)));
        subscribers.close_all();
        assert_eq!(slow.recv().await, Some(event(8)));
        assert_eq!(
            slow.recv().await,
            Some(Err(EventError::Lagged { missed: 1 }))
        );
        assert_eq!(slow.recv().await, None);
        assert_eq!(fast.recv().await, Some(event(7)));
    }

    #[tokio::test(start_paused = true)]
    async fn dropped_streams_are_not_waited_for() {
        let subscribers = Subscribers::default();
        drop(subscribers.subscribe(1));
        let started = Instant::now();
        subscribers.deliver(event(1), Duration::from_secs(5)).await;
        subscribers.deliver(event(2), Duration::from_secs(5)).await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(subscribers.live().is_empty());
    }
}
