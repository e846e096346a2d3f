//! Webhook registrations: `webex.webhooks()`. Receiving deliveries is [`crate::webhook`].

mod model;
mod requests;

pub use model::{
    Webhook, WebhookEventType, WebhookOwner, WebhookResource, WebhookSecret, WebhookStatus,
};
pub use requests::{CreateWebhook, GetWebhook, ListWebhooks, RemoveWebhook, UpdateWebhook};

use crate::client::Hydra;
use crate::id::WebhookId;

/// The webhooks API; from [`MessagesExt::webhooks`](crate::MessagesExt::webhooks).
#[derive(Debug, Clone)]
pub struct Webhooks {
    hydra: Hydra,
}

impl Webhooks {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self { hydra }
    }

    /// Registers a webhook POSTing `event`s of `resource` to `target_url`.
    pub fn create(
        &self,
        name: impl Into<String>,
        target_url: impl Into<String>,
        resource: WebhookResource,
        event: WebhookEventType,
    ) -> CreateWebhook {
        CreateWebhook::new(
            self.hydra.clone(),
            name.into(),
            target_url.into(),
            resource,
            event,
        )
    }

    /// One webhook.
    pub fn get(&self, id: impl Into<WebhookId>) -> GetWebhook {
        GetWebhook::new(self.hydra.clone(), id.into())
    }

    /// The caller's webhooks, a page at a time.
    pub fn list(&self) -> ListWebhooks {
        ListWebhooks::new(self.hydra.clone())
    }

    /// Changes a webhook's name, target URL, secret or status.
    pub fn update(
        &self,
        id: impl Into<WebhookId>,
        name: impl Into<String>,
        target_url: impl Into<String>,
    ) -> UpdateWebhook {
        UpdateWebhook::new(
            self.hydra.clone(),
            id.into(),
            name.into(),
            target_url.into(),
        )
    }

    /// Deletes a webhook.
    pub fn remove(&self, id: impl Into<WebhookId>) -> RemoveWebhook {
        RemoveWebhook::new(self.hydra.clone(), id.into())
    }
}
