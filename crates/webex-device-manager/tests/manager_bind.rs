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

/// The uuid a Hydra id (base64 of `ciscospark://<cluster>/<TYPE>/<uuid>`) names.
fn uuid_of(hydra_id: &str) -> String {
    let decoded = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        hydra_id.trim_end_matches('='),
    )
    .unwrap();
    let text = String::from_utf8(decoded).unwrap();
    text.rsplit('/').next().unwrap().to_owned()
}

/// A new room of `webex`'s user titled `title`: its Hydra id.
async fn create_room(webex: &webex_core::Webex, title: &str) -> String {
    let room: Value = webex
        .http()
        .json(
            webex_core::http::Request::post(webex_core::http::Target::service("hydra", "rooms"))
                .json(&json!({"title": title}))
                .unwrap(),
        )
        .await
        .unwrap();
    room["id"].as_str().unwrap().to_owned()
}

/// The conversation of the room with Hydra id `room_id`, as `webex`'s user reads it.
async fn conversation(webex: &webex_core::Webex, room_id: &str) -> Value {
    let uuid = uuid_of(room_id);
    webex
        .http()
        .json(webex_core::http::Request::get(
            webex_core::http::Target::service("conversation", format!("conversations/{uuid}")),
        ))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_room_is_bound_by_its_id_through_its_kms_resource_and_unbound() {
    let paired = Paired::new("Boardroom", None).await;
    let (webex, manager) = (&paired.webex, &paired.manager);
    let room_id = create_room(webex, "Standup").await;
    let conversation = conversation(webex, &room_id).await;
    let url = conversation["url"].as_str().unwrap();
    let kro = conversation["kmsResourceObjectUrl"].as_str().unwrap();
    let ada_uuid = uuid_of(&paired.ada.id);
    assert_eq!(
        authorized(webex, kro).await,
        std::slice::from_ref(&ada_uuid)
    );

    let answer = manager.bind_room(&room_id).await.unwrap();
    assert_eq!(answer["bindings"][0]["conversationUrl"], url);
    let device = paired.emulator.paired_device(&paired.device.id).unwrap();
    assert_eq!(device.bound_conversation_urls, [url.to_owned()]);
    assert_eq!(
        authorized(webex, kro).await,
        [ada_uuid.clone(), paired.device.id.clone()]
    );
    let bound = manager.bound_space().unwrap().expect("bound");
    assert_eq!(bound.conversation_url, url);
    assert_eq!(bound.kms_resource_object_url, kro);

    manager.unbind_space().await.unwrap();
    let device = paired.emulator.paired_device(&paired.device.id).unwrap();
    assert!(device.bound_conversation_urls.is_empty());
    assert_eq!(authorized(webex, kro).await, [ada_uuid]);
}

#[tokio::test]
async fn binding_needs_a_paired_device() {
    let paired = Paired::new("Boardroom", None).await;
    let room_id = create_room(&paired.webex, "Plain").await;
    assert!(matches!(
        paired.manager.bind_room("not a room id").await,
        Err(DeviceManagerError::Missing(_))
    ));
    paired.manager.unpair(false).await.unwrap();
    assert!(matches!(
        paired.manager.bind_room(&room_id).await,
        Err(DeviceManagerError::NotPaired)
    ));
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
