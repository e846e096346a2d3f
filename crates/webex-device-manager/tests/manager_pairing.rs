//! The pairing flow against the emulator: search, PIN, pair, unpair, and the typed errors
//! for an unknown device, a wrong PIN, pairing twice and calls that need a paired device.

mod common;

use common::{client, pair, person, room};
use webex_core::http::{Request, Target};
use webex_device_manager::{DeviceManagerError, DeviceManagerExt};
use webex_emulator::Emulator;

#[tokio::test]
async fn the_full_pairing_flow_with_a_wrong_pin_first() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let boardroom = room(&emulator, "Boardroom");
    room(&emulator, "Board Games Corner");
    let webex = client(&emulator, &ada).await;
    let manager = webex.device_manager();

    let results = manager.search("board").await.unwrap();
    assert_eq!(results.items.len(), 2);
    let found = manager.find_by_name("boardroom").await.unwrap();
    assert_eq!(found.id, boardroom.id);
    assert_eq!(found.product_name.as_deref(), Some("Cisco Room Kit"));

    let space = manager.request_pin(&found.id, None).await.unwrap();
    assert!(space.occupants.pin_challenge);
    assert!(!space.is_paired());
    let pin = emulator
        .paired_device_pin(&boardroom.id)
        .expect("PIN shown");
    let wrong = if pin == "000000" { "000001" } else { "000000" };
    match manager.pair(wrong).await {
        Err(DeviceManagerError::WrongPin(id)) => assert_eq!(id, boardroom.id),
        other => panic!("expected WrongPin, got {other:?}"),
    }
    assert!(
        emulator
            .paired_device(&boardroom.id)
            .unwrap()
            .paired_person_ids
            .is_empty()
    );

    let device = manager.pair(&pin).await.unwrap();
    assert_eq!(device.id, boardroom.id);
    assert_eq!(device.name(), Some("Boardroom"));
    assert!(device.is_lyra_space());
    assert_eq!(
        emulator
            .paired_device(&boardroom.id)
            .unwrap()
            .paired_person_ids,
        std::slice::from_ref(&ada.id)
    );
    let paired = manager.paired().unwrap().expect("paired");
    assert!(paired.is_paired());
    assert_eq!(paired.identity.display_name.as_deref(), Some("Boardroom"));

    // Pairing twice is refused before anything is sent.
    match manager.request_pin(&boardroom.id, None).await {
        Err(DeviceManagerError::AlreadyPaired(id)) => assert_eq!(id, boardroom.id),
        other => panic!("expected AlreadyPaired, got {other:?}"),
    }

    // The device is a recent one now, for this and any later client.
    let recents = manager.refresh().await.unwrap();
    assert_eq!(recents.len(), 1);
    assert_eq!(recents[0].name(), Some("Boardroom"));
    assert_eq!(manager.get_all().unwrap(), recents);
    // WDM sent the name encrypted; the manager decrypted it with the KMS key.
    let raw: serde_json::Value = webex
        .http()
        .json(Request::get(Target::service("wdm", "devices/auxiliary")))
        .await
        .unwrap();
    let metadata = &raw["items"][0]["metadata"];
    assert!(
        metadata["encryptedUserAssignedName"].is_string(),
        "{metadata}"
    );
    assert!(
        metadata["encryptionKeyUrl"]
            .as_str()
            .unwrap()
            .starts_with("kms://")
    );
    assert!(metadata.get("userAssignedName").is_none());

    manager.unpair(false).await.unwrap();
    assert!(manager.paired().unwrap().is_none());
    assert!(
        emulator
            .paired_device(&boardroom.id)
            .unwrap()
            .paired_person_ids
            .is_empty()
    );
    assert!(matches!(
        manager.unpair(false).await,
        Err(DeviceManagerError::NotPaired)
    ));
    assert_eq!(
        manager.refresh().await.unwrap().len(),
        1,
        "unpairing keeps the recent"
    );

    manager.remove(&boardroom.id).await.unwrap();
    assert!(manager.refresh().await.unwrap().is_empty());
    assert!(matches!(
        manager.remove(&boardroom.id).await,
        Err(DeviceManagerError::UnknownDevice(_))
    ));
}

#[tokio::test]
async fn unknown_devices_and_calls_out_of_order_are_typed_errors() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada).await;
    let manager = webex.device_manager();
    let nobody = "0b7d1f4e-0000-4000-8000-000000000000";

    match manager.find_by_name("Nowhere").await {
        Err(DeviceManagerError::UnknownDevice(name)) => assert_eq!(name, "Nowhere"),
        other => panic!("expected UnknownDevice, got {other:?}"),
    }
    for result in [
        manager.request_pin(nobody, None).await.map(|_| ()),
        manager.upsert(nobody).await.map(|_| ()),
        manager.space(nobody).await.map(|_| ()),
        manager.get("no-such-token").await.map(|_| ()),
    ] {
        assert!(
            matches!(result, Err(DeviceManagerError::UnknownDevice(_))),
            "{result:?}"
        );
    }
    assert!(matches!(
        manager.pair("123456").await,
        Err(DeviceManagerError::NoPinRequested)
    ));
    assert!(matches!(
        manager.mute().await,
        Err(DeviceManagerError::NotPaired)
    ));
    assert!(matches!(
        manager.set_volume(10).await,
        Err(DeviceManagerError::NotPaired)
    ));
    assert!(matches!(
        manager.audio_state().await,
        Err(DeviceManagerError::NotPaired)
    ));
    assert!(matches!(
        manager.search("").await,
        Err(DeviceManagerError::Missing(_))
    ));
}

#[tokio::test]
async fn a_device_found_by_its_ultrasound_token_is_named_after_its_space() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let huddle = room(&emulator, "Huddle 3");
    let webex = client(&emulator, &ada).await;
    let manager = webex.device_manager();

    let advertisement = manager.get(&huddle.ultrasound_token).await.unwrap();
    assert_eq!(advertisement.advertiser.id, huddle.id);
    assert_eq!(
        advertisement.advertiser.display_name.as_deref(),
        Some("Huddle 3")
    );
    let device = manager.upsert(&advertisement.advertiser.id).await.unwrap();
    assert_eq!(device.name(), Some("Huddle 3"));
    pair(&emulator, &manager, &huddle).await;
    assert_eq!(manager.paired().unwrap().unwrap().id(), huddle.id);
}

#[tokio::test]
async fn unpairing_all_devices_unpairs_the_users_other_clients_too() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let boardroom = room(&emulator, "Boardroom");
    let laptop = client(&emulator, &ada).await;
    let phone = client(&emulator, &ada).await;
    pair(&emulator, &laptop.device_manager(), &boardroom).await;
    pair(&emulator, &phone.device_manager(), &boardroom).await;

    laptop.device_manager().unpair(true).await.unwrap();
    assert!(
        emulator
            .paired_device(&boardroom.id)
            .unwrap()
            .paired_person_ids
            .is_empty()
    );
    // The phone's pairing went too: the device refuses it.
    assert!(matches!(
        phone.device_manager().mute().await,
        Err(DeviceManagerError::NotPaired)
    ));
}
