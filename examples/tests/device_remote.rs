//! The device remote (the example's own code, `webex_examples::device_remote`) on the
//! emulator: it finds the device by name, pairs with the PIN the device shows, applies the
//! room, volume and mute asked for, and prints changes made on the device until stopped.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::person;
use webex::device_manager::DeviceManagerError;
use webex::prelude::*;
use webex_emulator::{Emulator, NewPairedDevice};
use webex_examples::device_remote::{self, FollowEnd, Remote};

/// A client of a new person, with Mercury connected.
async fn client(emulator: &Emulator) -> Webex {
    let me = person(emulator, "Remy Remote", "remy@example.com");
    let webex = Webex::builder()
        .plugins(DefaultPlugins)
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .build()
        .await
        .unwrap();
    webex.mercury().connect().await.unwrap();
    webex
}

#[tokio::test]
async fn the_remote_pairs_applies_and_prints_device_side_changes() {
    let emulator = Emulator::start_default().await.unwrap();
    let device = emulator
        .create_paired_device(&NewPairedDevice::named("Boardroom"))
        .unwrap();
    let webex = client(&emulator).await;
    let room = webex.rooms().create("Standup").await.unwrap();
    let remote = Remote {
        name: "boardroom".into(),
        pin: String::new(),
        mute: Some(true),
        volume: Some(40),
        bind: Some(room.id.as_str().to_owned()),
    };
    let (paired, audio) =
        device_remote::pair_and_apply(&webex, &remote, |id| emulator.paired_device_pin(id))
            .await
            .unwrap();
    assert_eq!(paired.id, device.id);
    assert_eq!(
        device_remote::describe(&audio),
        "volume 40 (0..=100), microphones muted"
    );
    let state = emulator.paired_device(&device.id).unwrap();
    assert_eq!((state.volume, state.muted), (40, true));
    // The room is shown on the device: bound by its conversation's URL.
    let bound = webex
        .device_manager()
        .bound_space()
        .unwrap()
        .expect("bound");
    assert_eq!(
        state.bound_conversation_urls,
        std::slice::from_ref(&bound.conversation_url)
    );
    let room_uuid = room.id.decode().expect("a room id").inner;
    assert!(
        bound
            .conversation_url
            .ends_with(&format!("/conversations/{room_uuid}")),
        "{}",
        bound.conversation_url
    );

    let lines = Arc::new(Mutex::new(Vec::new()));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let follower = {
        let webex = webex.clone();
        let lines = Arc::clone(&lines);
        tokio::spawn(async move {
            device_remote::follow(
                &webex,
                async {
                    let _ = stopped.await;
                },
                move |line| lines.lock().unwrap().push(line),
            )
            .await
        })
    };
    // The follower subscribes as soon as it runs; give it that chance before the change.
    tokio::time::sleep(Duration::from_millis(50)).await;
    emulator.set_paired_device_volume(&device.id, 15).unwrap();
    let expected = "volume 15 (0..=100), microphones muted";
    let wait = async {
        while !lines.lock().unwrap().iter().any(|l| l == expected) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("never printed {expected:?}: {:?}", lines.lock().unwrap()));
    stop.send(()).unwrap();
    assert_eq!(follower.await.unwrap().unwrap(), FollowEnd::Stopped);
}

#[tokio::test]
async fn an_unknown_name_and_a_volume_out_of_range_are_typed_errors() {
    let emulator = Emulator::start_default().await.unwrap();
    emulator
        .create_paired_device(&NewPairedDevice::named("Boardroom"))
        .unwrap();
    let webex = client(&emulator).await;
    let nowhere = Remote {
        name: "Nowhere".into(),
        pin: "123456".into(),
        ..Remote::default()
    };
    let result = device_remote::pair_and_apply(&webex, &nowhere, |_| None).await;
    assert!(matches!(result, Err(DeviceManagerError::UnknownDevice(_))));

    let too_loud = Remote {
        name: "Boardroom".into(),
        volume: Some(150),
        ..Remote::default()
    };
    let result =
        device_remote::pair_and_apply(&webex, &too_loud, |id| emulator.paired_device_pin(id)).await;
    assert!(matches!(
        result,
        Err(DeviceManagerError::VolumeOutOfRange { level: 150, .. })
    ));
}
