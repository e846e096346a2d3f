//! The seed examples for webhooks (`webex.webhooks.*`), with their asserts.

mod common;

use common::Setup;
use webex_messages::MessagesExt;
use webex_messages::webhooks::{Webhook, WebhookEventType, WebhookResource};

const TARGET: &str = "https://example.com/webhook";

async fn create(s: &Setup, title: &str) -> Webhook {
    let room = s.webex.rooms().create(title).await.unwrap();
    s.webex
        .webhooks()
        .create(
            "Test Webhook",
            TARGET,
            WebhookResource::Messages,
            WebhookEventType::Created,
        )
        .filter(format!("roomId={}", room.id))
        .await
        .unwrap()
}

#[tokio::test]
async fn create_webhook() {
    let s = Setup::new().await;
    let webhook = create(&s, "Create Webhook Example").await;
    assert!(!webhook.id.as_str().is_empty());
    assert_eq!(webhook.resource, WebhookResource::Messages);
    assert_eq!(webhook.event, WebhookEventType::Created);
    assert!(webhook.filter.is_some());
    assert!(!webhook.target_url.is_empty());
    assert_eq!(webhook.name, "Test Webhook");
}

#[tokio::test]
async fn get_webhook() {
    let s = Setup::new().await;
    let webhook = create(&s, "Get Webhook Example").await;
    let webhook2 = s.webex.webhooks().get(&webhook.id).await.unwrap();
    assert_eq!(webhook2, webhook);
}

#[tokio::test]
async fn list_webhooks() {
    let s = Setup::new().await;
    let webhook = create(&s, "List Webhooks Example").await;
    let webhooks = s.webex.webhooks().list().await.unwrap();
    assert_eq!(
        webhooks
            .items()
            .iter()
            .filter(|w| w.id == webhook.id)
            .count(),
        1
    );
}

#[tokio::test]
async fn remove_webhook() {
    let s = Setup::new().await;
    let webhook = create(&s, "Remove Webhook Example").await;
    s.webex.webhooks().remove(&webhook.id).await.unwrap();
    let webhooks = s.webex.webhooks().list().await.unwrap();
    assert_eq!(
        webhooks
            .items()
            .iter()
            .filter(|w| w.id == webhook.id)
            .count(),
        0
    );
}

#[tokio::test]
async fn update_webhook() {
    let s = Setup::new().await;
    let webhook = create(&s, "Webhook Example").await;
    s.webex
        .webhooks()
        .update(
            &webhook.id,
            webhook.name.clone(),
            "https://example.com/webhook/newtarget",
        )
        .await
        .unwrap();
    let webhook = s.webex.webhooks().get(&webhook.id).await.unwrap();
    assert_eq!(webhook.target_url, "https://example.com/webhook/newtarget");
}

#[tokio::test]
async fn the_secret_never_shows_in_debug_output() {
    let s = Setup::new().await;
    let builder = s
        .webex
        .webhooks()
        .create(
            "Secret",
            TARGET,
            WebhookResource::All,
            WebhookEventType::All,
        )
        .secret("hunter2-very-secret");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let webhook = builder.await.unwrap();
    assert!(!format!("{webhook:?}").contains("hunter2"));
    if let Some(secret) = &webhook.secret {
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }
}
