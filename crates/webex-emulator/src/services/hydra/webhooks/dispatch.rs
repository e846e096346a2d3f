//! The webhook dispatcher: a bus subscriber that turns each drained Hydra
//! change into signed deliveries for the webhooks that want it.

use std::sync::Arc;

use super::delivery::{self, Deliveries, Delivery};
use super::webhook_json;
use crate::bus::{Audience, Envelope, Payload, Subscriber};
use crate::kit::ids::{self, HydraType};
use crate::world::Data;
use crate::world::webhooks::Webhook;

/// Queues deliveries; never waits for a target.
pub(crate) struct Dispatcher {
    deliveries: Arc<Deliveries>,
}

impl Dispatcher {
    /// A dispatcher queuing on `deliveries`.
    pub(crate) fn new(deliveries: Arc<Deliveries>) -> Self {
        Self { deliveries }
    }
}

impl Subscriber<Data> for Dispatcher {
    fn receive(&self, data: &Data, envelope: &Envelope, _tracking_id: &str) {
        let (Audience::Webhooks, Payload::Change(change)) = (&envelope.audience, &envelope.payload)
        else {
            return;
        };
        let mut hooks: Vec<&Webhook> = data
            .webhooks
            .hooks
            .values()
            .filter(|hook| hook.wants(change))
            .collect();
        hooks.sort_by_key(|hook| hook.created.seq);
        for hook in hooks {
            let Some((_, object)) = change
                .audience
                .iter()
                .find(|(person, _)| *person == hook.owner)
            else {
                continue;
            };
            if !hook.filter.matches(object, hook.owner) {
                continue;
            }
            let mut body = webhook_json(hook, &data.org.hydra_id, &data.org.app_id);
            if let Some(fields) = body.as_object_mut() {
                fields.remove("secret");
                fields.insert("resource".into(), change.resource.as_str().into());
                fields.insert("event".into(), change.event.as_str().into());
                fields.insert("actorId".into(), ids::person_id(change.actor).into());
                fields.insert("data".into(), object.clone());
            }
            let body = serde_json::to_vec(&body).unwrap_or_default();
            let signature = hook
                .secret
                .as_deref()
                .map(|secret| delivery::sign(secret, &body));
            self.deliveries.queue(Delivery {
                webhook_id: ids::uuid_id(HydraType::Webhook, hook.uuid),
                target_url: hook.target_url.clone(),
                resource: change.resource.as_str(),
                event: change.event.as_str(),
                body,
                signature,
            });
        }
    }
}
