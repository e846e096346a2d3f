//! The stream behind every `listen()`: Mercury's events and reconnects in, taken in batches
//! of what is ready together, one future per batch (its inputs' events, its messages fetched
//! together, a backfill) run a bounded number at a time in input order, then the
//! de-duplication by id.

use std::sync::Arc;

use futures::future::{BoxFuture, join, join_all, ready};
use futures::{FutureExt, StreamExt, stream};
use tokio::sync::Semaphore;
use webex_core::{Error, ErrorKind, Result};
use webex_mercury::{Activity, MercuryEvent, MercuryExt};

use super::backfill::{Backfill, Cursor};
use super::clusters::Clusters;
use super::event::Envelope;
use super::fetch::MessageFetches;
use super::input::{Input, inputs};
use super::resource::{Converted, Item, Resource};
use super::{EventStream, ListenError};
use crate::Timestamp;
use crate::client::Hydra;
use crate::people::{Person, PersonType};
use crate::webhooks::WebhookResource;
use webex_core::recent_ids::RecentIds;

/// How many message requests (fetches, listings) are in flight at once, and how many
/// batches of inputs are worked on at once; events still come out in the order their
/// activities arrived.
pub const FETCH_CONCURRENCY: usize = 8;

/// At most this many inputs ready together are worked on as one batch.
const BATCH_MAX: usize = 200;

/// How many recently delivered message ids are remembered to drop a second delivery (live
/// and backfilled, or backfilled twice).
pub const DEDUP_WINDOW: usize = 4096;

/// Subscribes, connects Mercury, builds the envelope and returns the stream of `resource`'s
/// events.
pub(crate) async fn listen<R: Resource>(hydra: Hydra, resource: R) -> Result<EventStream<R::Data>> {
    let webex = hydra.webex().clone();
    if webex.plugin::<webex_mercury::MercuryPlugin>().is_none() {
        return Err(Error::new(
            ErrorKind::MissingDependency,
            "listen() needs the `mercury` plugin (add webex_mercury::MercuryPlugin, and \
             webex_devices::DevicesPlugin)",
        ));
    }
    let events = webex.mercury().events();
    webex.mercury().connect().await?;
    // After `connect()`: this receiver has seen `Connected`, so its next `Connected` is a
    // reconnect.
    let state = webex.mercury().state()?;
    let me = crate::people::cached_me(&hydra).await?;
    let started = Timestamp::now();
    let envelope = Envelope {
        resource: WebhookResource::from(R::NAME),
        created_by: me.id.clone(),
        org_id: me.org_id.clone(),
        created: started,
    };
    let listener = Listener {
        clusters: Clusters::new(hydra.clone()),
        hydra,
        me: Arc::new(me),
        envelope,
        cursor: Cursor::new(started),
        resource,
        permits: Arc::new(Semaphore::new(FETCH_CONCURRENCY)),
    };
    let logger = webex.logger().clone();
    let mut recent = RecentIds::new(DEDUP_WINDOW);
    let stream = inputs(events, state)
        .ready_chunks(BATCH_MAX)
        .map(move |batch| listener.batch(batch))
        .buffered(FETCH_CONCURRENCY)
        .flat_map(stream::iter)
        .filter(move |item| {
            let first = match item {
                Ok(event) => R::dedup_key(event).is_none_or(|key| recent.insert(key)),
                Err(_) => true,
            };
            if !first {
                webex_core::log_debug!(logger, "{} event delivered before: skipped", R::NAME);
            }
            ready(first)
        })
        .boxed();
    Ok(stream)
}

/// What one `listen()` stream works with.
struct Listener<R> {
    hydra: Hydra,
    me: Arc<Person>,
    envelope: Envelope,
    cursor: Cursor,
    resource: R,
    /// The clusters of the conversation URLs seen.
    clusters: Clusters,
    /// Bounds the message requests in flight ([`FETCH_CONCURRENCY`]).
    permits: Arc<Semaphore>,
}

impl<R: Resource> Listener<R> {
    /// The fetches of a new batch of `inputs` inputs.
    fn fetches(&self, inputs: usize) -> MessageFetches {
        MessageFetches::new(
            self.hydra.clone(),
            self.me.person_type == PersonType::Bot,
            self.permits.clone(),
            inputs,
        )
    }

    /// The items a batch of inputs becomes, in input order; its messages are fetched
    /// together.
    fn batch(&self, inputs: Vec<Input>) -> BoxFuture<'static, Vec<Item<R::Data>>> {
        let mut fetches = self.fetches(inputs.len());
        let steps: Vec<_> = inputs
            .into_iter()
            .map(|input| self.step(input, &mut fetches))
            .collect();
        join(fetches.run(), join_all(steps))
            .map(|((), items)| items.into_iter().flatten().collect())
            .boxed()
    }

    /// The items one input becomes.
    fn step(
        &self,
        input: Input,
        fetches: &mut MessageFetches,
    ) -> BoxFuture<'static, Vec<Item<R::Data>>> {
        match input {
            Input::Event(Ok(MercuryEvent::Activity(event))) => {
                self.activity(event.activity, fetches)
            }
            Input::Event(Ok(_)) => ready(Vec::new()).boxed(),
            // What was skipped may be recovered.
            Input::Event(Err(error @ ListenError::Lagged { .. })) => {
                self.backfill(vec![Err(error)])
            }
            Input::Event(Err(error)) => ready(vec![Err(error)]).boxed(),
            Input::Reconnected => self.backfill(Vec::new()),
        }
    }

    fn activity(
        &self,
        activity: Activity,
        fetches: &mut MessageFetches,
    ) -> BoxFuture<'static, Vec<Item<R::Data>>> {
        if let Some(published) = activity
            .published
            .as_deref()
            .and_then(|text| text.parse().ok())
        {
            self.cursor.saw(published);
        }
        let activity_id = activity.id.clone();
        let converted =
            match self
                .resource
                .convert(&self.clusters, &self.envelope, activity, fetches)
            {
                Ok(converted) => converted,
                Err(error) => {
                    return ready(vec![Err(ListenError::Conversion {
                        activity_id,
                        reason: error.message().to_owned(),
                    })])
                    .boxed();
                }
            };
        async move {
            let mut items = Vec::with_capacity(converted.len());
            for converted in converted {
                items.push(match converted {
                    Converted::Ready(event) => Ok(event),
                    Converted::Fetch(fetch) => fetch.await.map_err(|error| ListenError::Fetch {
                        activity_id: activity_id.clone(),
                        error,
                    }),
                });
            }
            items
        }
        .boxed()
    }

    /// `first`, then what the resource recovers since the last event (nothing more when it
    /// cannot).
    fn backfill(&self, first: Vec<Item<R::Data>>) -> BoxFuture<'static, Vec<Item<R::Data>>> {
        let request = Backfill {
            hydra: self.hydra.clone(),
            me: self.me.clone(),
            envelope: self.envelope.clone(),
            // Now, in input order: later inputs may move the cursor before the backfill runs.
            since: self.cursor.since(),
            cursor: self.cursor.clone(),
        };
        match self.resource.backfill(request) {
            Some(backfill) => async move {
                let mut items = first;
                items.extend(backfill.await);
                items
            }
            .boxed(),
            None => ready(first).boxed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;
    use tokio::sync::Semaphore;
    use webex_emulator::{Emulator, NewPerson, PersonType};
    use webex_mercury::Activity;

    use super::{Clusters, Cursor, Envelope, ListenError, Listener};
    use crate::Timestamp;
    use crate::client::Hydra;
    use crate::listen::MessageEvents;
    use crate::webhooks::WebhookResource;

    #[tokio::test]
    async fn an_activity_that_cannot_be_converted_is_an_error_item_with_its_id() {
        let emulator = Emulator::start_default().await.unwrap();
        let ada = emulator.create_person(NewPerson {
            display_name: "Ada".into(),
            email: "ada@example.com".into(),
            kind: PersonType::Person,
        });
        let webex = webex_core::Webex::builder()
            .access_token(&ada.access_token)
            .discovery_base(emulator.base_url())
            .build()
            .await
            .unwrap();
        let hydra = Hydra::new(&webex);
        let me = crate::people::cached_me(&hydra).await.unwrap();
        let started = Timestamp::now();
        let listener = Listener {
            envelope: Envelope {
                resource: WebhookResource::Messages,
                created_by: me.id.clone(),
                org_id: me.org_id.clone(),
                created: started,
            },
            clusters: Clusters::new(hydra.clone()),
            hydra,
            me: Arc::new(me),
            cursor: Cursor::new(started),
            resource: MessageEvents,
            permits: Arc::new(Semaphore::new(1)),
        };
        // A post without a target: no room, no cluster.
        let activity: Activity = serde_json::from_value(json!({
            "id": "a1", "verb": "post", "published": "2999-01-01T00:00:00.000Z"
        }))
        .unwrap();
        let mut fetches = listener.fetches(1);
        let items = listener.activity(activity, &mut fetches).await;
        match &items[..] {
            [
                Err(ListenError::Conversion {
                    activity_id,
                    reason,
                }),
            ] => {
                assert_eq!(activity_id, "a1");
                assert!(reason.contains("target"), "{reason}");
            }
            other => panic!("expected one conversion error, got {other:?}"),
        }
        // Its time still counts as the last event seen.
        assert!(listener.cursor.since() > started);
    }
}
