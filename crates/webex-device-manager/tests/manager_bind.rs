//! Binding a space to the paired device and unbinding it: the `kmsMessage` authorizes the
//! device's space on the conversation's KMS resource (and removes that), checked in the
//! emulator's KMS; and the typed errors around it.

mod common;

use common::{Paired, client, person};
use serde_json::{Value, json};
use webex_device_manager::{DeviceManagerError, DeviceManagerExt};
use webex_encryption::EncryptionExt;

/// A KMS resource object of `webex`'s user (one new key bound to it): its URI.
async fn resource(webex: &webex_core::Webex) -> String {
    let keys = webex
        .kms()
        .request(json!({"method": "create", "uri": "/keys", "count": 1}))
        .await
        .unwrap();
    let key = keys["keys"][0]["uri"].as_str().unwrap().to_owned();
    let created = webex
        .kms()
        .request(json!({"method": "create", "uri": "/resources", "keyUris": [key], "userIds": []}))
        .await
        .unwrap();
    created["resource"]["uri"].as_str().unwrap().to_owned()
}

/// The ids authorized on `kro`, as KMS lists them to `webex`'s user.
async fn authorized(webex: &webex_core::Webex, kro: &str) -> Vec<String> {
    let list = webex
        .kms()
        .request(json!({"method": "retrieve", "uri": format!("{kro}/authorizations")}))
        .await
        .unwrap();
    list["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|auth| auth["authId"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn bind_and_unbind_authorize_the_space_in_kms() {
    let paired = Paired::new("Boardroom", None).await;
    let (webex, manager) = (&paired.webex, &paired.manager);
    let kro = resource(webex).await;
    let conversation = format!(
        "{}/conversations/{}",
        webex
            .services()
            .url("conversation")
            .unwrap()
            .as_str()
            .trim_end_matches('/'),
        uuid::Uuid::new_v4()
    );

    let answer: Value = manager.bind_space(&conversation, &kro).await.unwrap();
    assert_eq!(
        answer["bindings"][0]["conversationUrl"],
        conversation.as_str()
    );
    let device = paired.emulator.paired_device(&paired.device.id).unwrap();
    assert_eq!(
        device.bound_conversation_urls,
        std::slice::from_ref(&conversation)
    );
    assert!(authorized(webex, &kro).await.contains(&paired.device.id));
    let bound = manager.bound_space().unwrap().expect("bound");
    assert_eq!(bound.conversation_url, conversation);

    manager.unbind_space().await.unwrap();
    let device = paired.emulator.paired_device(&paired.device.id).unwrap();
    assert!(device.bound_conversation_urls.is_empty());
    assert!(!authorized(webex, &kro).await.contains(&paired.device.id));
    assert!(manager.bound_space().unwrap().is_none());
    assert!(matches!(
        manager.unbind_space().await,
        Err(DeviceManagerError::NotBound)
    ));
}

#[tokio::test]
async fn binding_a_resource_of_someone_else_is_refused_by_kms() {
    let paired = Paired::new("Boardroom", None).await;
    let bea = person(&paired.emulator, "Bea");
    let other = client(&paired.emulator, &bea).await;
    let kro = resource(&other).await;
    let result = paired
        .manager
        .bind_space("http://127.0.0.1:9/conversations/x", &kro)
        .await;
    match result {
        Err(DeviceManagerError::Webex(error)) => {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error}");
        }
        other => panic!("expected a 403, got {other:?}"),
    }
    let device = paired.emulator.paired_device(&paired.device.id).unwrap();
    assert!(device.bound_conversation_urls.is_empty());
}

#[tokio::test]
async fn binding_needs_a_paired_device_and_an_encrypted_room() {
    let paired = Paired::new("Boardroom", None).await;
    let room: Value = paired
        .webex
        .http()
        .json(
            webex_core::http::Request::post(webex_core::http::Target::service("hydra", "rooms"))
                .json(&json!({"title": "Plain"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let room_id = room["id"].as_str().unwrap();
    // The emulator's rooms have no KMS resource object.
    assert!(matches!(
        paired.manager.bind_room(room_id).await,
        Err(DeviceManagerError::NotEncrypted(_))
    ));
    paired.manager.unpair(false).await.unwrap();
    assert!(matches!(
        paired
            .manager
            .bind_space("http://x/conversations/y", "kms://k/resources/r")
            .await,
        Err(DeviceManagerError::NotPaired)
    ));
    let ada = paired.webex.device_manager();
    assert!(matches!(
        ada.unbind_space().await,
        Err(DeviceManagerError::NotBound)
    ));
}
