//! Device updates from Mercury's `lyra.space_updated`: changes made on the device itself
//! (through the emulator's admin API) and a pairing lost to another client.

mod common;

use std::time::Duration;

use common::{client, pair, person, room};
use futures::StreamExt;
use webex_device_manager::{DeviceEvent, DeviceManagerExt};
use webex_emulator::Emulator;
use webex_mercury::MercuryExt;

/// The next event, within a few seconds.
async fn next(events: &mut (impl futures::Stream<Item = DeviceEvent> + Unpin)) -> DeviceEvent {
    tokio::time::timeout(Duration::from_secs(10), events.next())
        .await
        .expect("an event in time")
        .expect("the stream goes on")
}

/// Skips events until one matches `wanted`.
async fn until(
    events: &mut (impl futures::Stream<Item = DeviceEvent> + Unpin),
    wanted: impl Fn(&DeviceEvent) -> bool,
) -> DeviceEvent {
    loop {
        let event = next(events).await;
        if wanted(&event) {
            return event;
        }
    }
}

#[tokio::test]
async fn changes_made_on_the_device_arrive_as_events() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let boardroom = room(&emulator, "Boardroom");
    let webex = client(&emulator, &ada).await;
    let manager = webex.device_manager();
    let mut events = Box::pin(manager.events().unwrap());
    webex.mercury().connect().await.unwrap();
    pair(&emulator, &manager, &boardroom).await;

    emulator
        .set_paired_device_volume(&boardroom.id, 35)
        .unwrap();
    let event = until(&mut events, |e| {
        matches!(e, DeviceEvent::AudioChanged { .. })
    })
    .await;
    let DeviceEvent::AudioChanged { id, audio } = event else {
        unreachable!()
    };
    assert_eq!(id, boardroom.id);
    assert_eq!(audio.volume.level, 35);

    emulator
        .set_paired_device_muted(&boardroom.id, true)
        .unwrap();
    let event = until(
        &mut events,
        |e| matches!(e, DeviceEvent::AudioChanged { audio, .. } if audio.microphones.muted),
    )
    .await;
    assert!(matches!(event, DeviceEvent::AudioChanged { .. }));
    assert!(manager.audio_state().await.unwrap().microphones.muted);
}

#[tokio::test]
async fn a_pairing_removed_elsewhere_is_lost_here() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let boardroom = room(&emulator, "Boardroom");
    let laptop = client(&emulator, &ada).await;
    let phone = client(&emulator, &ada).await;
    let mut events = Box::pin(laptop.device_manager().events().unwrap());
    laptop.mercury().connect().await.unwrap();
    pair(&emulator, &laptop.device_manager(), &boardroom).await;
    pair(&emulator, &phone.device_manager(), &boardroom).await;

    phone.device_manager().unpair(true).await.unwrap();
    let event = until(&mut events, |e| {
        matches!(e, DeviceEvent::PairingLost { .. })
    })
    .await;
    assert_eq!(
        event,
        DeviceEvent::PairingLost {
            id: boardroom.id.clone()
        }
    );
    assert!(laptop.device_manager().paired().unwrap().is_none());
}
