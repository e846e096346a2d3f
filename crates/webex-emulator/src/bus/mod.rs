//! The event bus: typed events in, addressed envelopes out.
//!
//! A world operation publishes an [`Event`] under the data lock; every
//! [`Renderer`] turns it, right then, into [`Envelope`]s for an
//! [`Audience`] (Hydra objects for webhooks, `conversation.activity`
//! events for devices, ...). Anything else that wants to reach an audience
//! (a service closing a device's sockets, a read receipt, later a timer or a
//! media task) posts an envelope directly. Envelopes wait in the bus, inside
//! the world, until someone drains it: [`drain`] hands them to every
//! [`Subscriber`] (the webhook dispatcher, the Mercury hub), still under the
//! data lock, so every subscriber sees the world's order. The HTTP
//! middleware drains after each request; any task holding the world may
//! drain too. Subscribers never block: they queue.
//!
//! The bus is generic over the world type `W` so that it imports nothing
//! of the layers above it.

mod envelope;
mod event;

use std::sync::Arc;

pub(crate) use envelope::{Audience, Change, Envelope, Payload};
pub(crate) use event::{Event, EventKind, LocusChange, Resource, RoomChange};

/// Turns events into envelopes, reading the world as it is at the event.
pub(crate) trait Renderer<W>: Send + Sync {
    /// Appends the envelopes `event` makes for this renderer to `out`.
    fn render(&self, world: &W, event: &Event, out: &mut Vec<Envelope>);
}

/// Receives every drained envelope, in order.
pub(crate) trait Subscriber<W>: Send + Sync {
    /// Takes one envelope; must not block. `tracking_id` is that of the
    /// request that caused it, when there was one.
    fn receive(&self, world: &W, envelope: &Envelope, tracking_id: &str);
}

/// The renderers and subscribers, and the envelopes not yet drained.
pub(crate) struct Bus<W> {
    renderers: Arc<[Arc<dyn Renderer<W>>]>,
    subscribers: Arc<[Arc<dyn Subscriber<W>>]>,
    pending: Vec<Envelope>,
}

impl<W> Bus<W> {
    /// A bus with these renderers and subscribers.
    pub(crate) fn new(
        renderers: Vec<Arc<dyn Renderer<W>>>,
        subscribers: Vec<Arc<dyn Subscriber<W>>>,
    ) -> Self {
        Self {
            renderers: renderers.into(),
            subscribers: subscribers.into(),
            pending: Vec::new(),
        }
    }

    /// Queues an envelope that needs no rendering.
    pub(crate) fn post(&mut self, envelope: Envelope) {
        self.pending.push(envelope);
    }
}

impl<W> Default for Bus<W> {
    fn default() -> Self {
        Self::new(Vec::new(), Vec::new())
    }
}

/// A world that carries a bus.
pub(crate) trait Carrier: Sized {
    /// The bus.
    fn bus(&self) -> &Bus<Self>;
    /// The bus, to queue on it.
    fn bus_mut(&mut self) -> &mut Bus<Self>;
}

/// Renders `event` with every renderer, now, and queues the envelopes.
pub(crate) fn publish<W: Carrier>(world: &mut W, event: &Event) {
    let renderers = Arc::clone(&world.bus().renderers);
    let mut out = Vec::new();
    for renderer in renderers.iter() {
        renderer.render(world, event, &mut out);
    }
    world.bus_mut().pending.append(&mut out);
}

/// Hands every queued envelope to every subscriber, oldest first. The
/// caller holds the world (its lock), so drains never interleave.
pub(crate) fn drain<W: Carrier>(world: &mut W, tracking_id: &str) {
    let pending = std::mem::take(&mut world.bus_mut().pending);
    if pending.is_empty() {
        return;
    }
    let subscribers = Arc::clone(&world.bus().subscribers);
    for envelope in &pending {
        for subscriber in subscribers.iter() {
            subscriber.receive(world, envelope, tracking_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    /// A world of one counter.
    #[derive(Default)]
    struct World {
        bus: Bus<World>,
        value: u32,
    }

    impl Carrier for World {
        fn bus(&self) -> &Bus<Self> {
            &self.bus
        }
        fn bus_mut(&mut self) -> &mut Bus<Self> {
            &mut self.bus
        }
    }

    /// Renders every event as a Mercury event carrying the world's value.
    struct Echo;

    impl Renderer<World> for Echo {
        fn render(&self, world: &World, _event: &Event, out: &mut Vec<Envelope>) {
            out.push(Envelope {
                audience: Audience::Webhooks,
                payload: Payload::Mercury {
                    event_type: "test.value",
                    data: json!(world.value),
                },
            });
        }
    }

    /// Records what it receives.
    #[derive(Default)]
    struct Log(Mutex<Vec<(Payload, String)>>);

    impl Subscriber<World> for Log {
        fn receive(&self, _world: &World, envelope: &Envelope, tracking_id: &str) {
            let mut log = self.0.lock().unwrap();
            log.push((envelope.payload.clone(), tracking_id.to_owned()));
        }
    }

    fn event() -> Event {
        Event::AttachmentAction {
            action: Uuid::new_v4(),
        }
    }

    #[test]
    fn renders_at_publish_time_and_delivers_in_order_on_drain() {
        let log = Arc::new(Log::default());
        let mut world = World {
            bus: Bus::new(vec![Arc::new(Echo)], vec![log.clone()]),
            value: 1,
        };
        publish(&mut world, &event());
        world.value = 2;
        world.bus_mut().post(Envelope {
            audience: Audience::Device(Uuid::nil()),
            payload: Payload::Close { reason: "bye" },
        });
        publish(&mut world, &event());
        assert!(log.0.lock().unwrap().is_empty(), "nothing before a drain");
        drain(&mut world, "T_1");
        let got: Vec<Payload> = log.0.lock().unwrap().iter().map(|e| e.0.clone()).collect();
        let value = |v: u32| Payload::Mercury {
            event_type: "test.value",
            data: json!(v),
        };
        assert_eq!(
            got,
            vec![value(1), Payload::Close { reason: "bye" }, value(2)]
        );
        assert!(log.0.lock().unwrap().iter().all(|(_, t)| t == "T_1"));
        drain(&mut world, "T_2");
        assert_eq!(log.0.lock().unwrap().len(), 3, "a drain empties the bus");
    }
}
