use serde::Serialize;
use webex_core::http::Request;
use webex_core::{Page, Result};

use super::{Webhook, WebhookEventType, WebhookResource, WebhookSecret, WebhookStatus};
use crate::client::{Hydra, get_request, hydra, remove_request, request_future, require};
use crate::id::WebhookId;

get_request!(
    /// `GET webhooks/{id}`: one webhook.
    GetWebhook, WebhookId, Webhook, "webhooks"
);

remove_request!(
    /// `DELETE webhooks/{id}`: deletes a webhook.
    RemoveWebhook, WebhookId, "webhooks"
);

/// The body of a webhook create or update.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct WebhookBody {
    name: String,
    target_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<WebhookResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<WebhookEventType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<WebhookSecret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owned_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<WebhookStatus>,
}

impl WebhookBody {
    fn new(name: String, target_url: String) -> Self {
        Self {
            name,
            target_url,
            resource: None,
            event: None,
            filter: None,
            secret: None,
            owned_by: None,
            status: None,
        }
    }

    fn check(&self) -> Result<()> {
        require("the webhook name", &self.name)?;
        require("the webhook target URL", &self.target_url)
    }
}

/// `POST webhooks`: registers a webhook.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct CreateWebhook {
    hydra: Hydra,
    body: WebhookBody,
}

impl CreateWebhook {
    pub(crate) fn new(
        hydra: Hydra,
        name: String,
        target_url: String,
        resource: WebhookResource,
        event: WebhookEventType,
    ) -> Self {
        let mut body = WebhookBody::new(name, target_url);
        body.resource = Some(resource);
        body.event = Some(event);
        Self { hydra, body }
    }

    /// Limits deliveries, e.g. `roomId=<id>`.
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.body.filter = Some(filter.into());
        self
    }

    /// Signs deliveries with this secret (`X-Spark-Signature`); see [`crate::webhook`].
    pub fn secret(mut self, secret: impl Into<WebhookSecret>) -> Self {
        self.body.secret = Some(secret.into());
        self
    }

    /// `org` for an org-wide webhook (admins only); `creator` by default.
    pub fn owned_by(mut self, owner: impl Into<String>) -> Self {
        self.body.owned_by = Some(owner.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty name or target URL; HTTP errors.
    pub async fn send(self) -> Result<Webhook> {
        self.body.check()?;
        let req = Request::post(hydra("webhooks", None)).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(CreateWebhook => Webhook);

/// `GET webhooks`: the caller's webhooks, a page at a time.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct ListWebhooks {
    hydra: Hydra,
    max: Option<u32>,
    owned_by: Option<String>,
}

impl ListWebhooks {
    pub(crate) fn new(hydra: Hydra) -> Self {
        Self {
            hydra,
            max: None,
            owned_by: None,
        }
    }

    /// The page size (not a cap: follow the pages for more).
    pub fn max(mut self, max: u32) -> Self {
        self.max = Some(max);
        self
    }

    /// Only webhooks owned this way (`org` lists the org-wide ones).
    pub fn owned_by(mut self, owner: impl Into<String>) -> Self {
        self.owned_by = Some(owner.into());
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// HTTP errors.
    pub async fn send(self) -> Result<Page<Webhook>> {
        let req = Request::get(hydra("webhooks", None))
            .query_opt("max", self.max)
            .query_opt("ownedBy", self.owned_by);
        self.hydra.page(req).await
    }
}

request_future!(ListWebhooks => Page<Webhook>);

/// `PUT webhooks/{id}`: changes a webhook. Hydra requires the name and target URL on every
/// update, so the builder takes them up front.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct UpdateWebhook {
    hydra: Hydra,
    id: WebhookId,
    body: WebhookBody,
}

impl UpdateWebhook {
    pub(crate) fn new(hydra: Hydra, id: WebhookId, name: String, target_url: String) -> Self {
        Self {
            hydra,
            id,
            body: WebhookBody::new(name, target_url),
        }
    }

    /// A new signing secret.
    pub fn secret(mut self, secret: impl Into<WebhookSecret>) -> Self {
        self.body.secret = Some(secret.into());
        self
    }

    /// Re-activates (or disables) the webhook.
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.body.status = Some(status);
        self
    }

    /// Sends the request.
    ///
    /// # Errors
    /// `InvalidInput` for an empty id, name or target URL; HTTP errors.
    pub async fn send(self) -> Result<Webhook> {
        require("the webhook id", self.id.as_str())?;
        self.body.check()?;
        let req = Request::put(hydra("webhooks", Some(self.id.as_str()))).json(&self.body)?;
        self.hydra.json(req).await
    }
}

request_future!(UpdateWebhook => Webhook);
