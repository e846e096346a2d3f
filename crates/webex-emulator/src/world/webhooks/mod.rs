//! Webhooks: the store, and which changes each one wants.
//!
//! A change reaches a webhook when it is active, its resource and event
//! match (`all` matches everything), its owner may see the object (room
//! members; bots in group rooms only messages that mention them) and the
//! object passes its filter.

pub(crate) mod filter;

use std::collections::HashMap;

use uuid::Uuid;

use self::filter::Filter;
use crate::bus::{Change, EventKind, Resource};
use crate::kit::clock::Stamp;

/// A stored webhook.
#[derive(Clone, Debug)]
pub(crate) struct Webhook {
    pub(crate) uuid: Uuid,
    pub(crate) name: String,
    pub(crate) target_url: String,
    /// `None` for `all`.
    pub(crate) resource: Option<Resource>,
    /// `None` for `all`.
    pub(crate) event: Option<EventKind>,
    pub(crate) filter_text: Option<String>,
    pub(crate) filter: Filter,
    pub(crate) secret: Option<String>,
    pub(crate) active: bool,
    pub(crate) owner: Uuid,
    pub(crate) owned_by: String,
    pub(crate) created: Stamp,
}

/// All webhooks.
#[derive(Default)]
pub(crate) struct WebhookStore {
    /// By uuid.
    pub(crate) hooks: HashMap<Uuid, Webhook>,
}

impl WebhookStore {
    /// Whether any webhook delivers at all.
    pub(crate) fn any_active(&self) -> bool {
        self.hooks.values().any(|hook| hook.active)
    }
}

impl Webhook {
    /// Whether the webhook wants `change` at all (before its owner and
    /// filter are checked).
    pub(crate) fn wants(&self, change: &Change) -> bool {
        self.active
            && self.resource.is_none_or(|r| r == change.resource)
            && self.event.is_none_or(|e| e == change.event)
    }
}
