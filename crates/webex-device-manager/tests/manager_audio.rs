//! Audio control of a paired room device: the volume at both ends of its range, steps,
//! mute round trips, out-of-range levels refused before sending, and the audio state
//! reported every 10 minutes while paired (on Tokio's paused clock).

mod common;

use std::time::Duration;

use common::{Paired, room};
use webex_device_manager::{AUDIO_REPORT_PERIOD, DeviceManagerError};
use webex_emulator::Emulator;
use webex_mercury::MercuryExt;

#[tokio::test]
async fn the_volume_stays_in_range_at_both_ends() {
    let Paired {
        emulator,
        device: boardroom,
        manager,
        ..
    } = Paired::new("Boardroom", None).await;

    let audio = manager.audio_state().await.unwrap();
    assert_eq!(audio.volume.level, 50);
    assert_eq!(audio.volume.range(), 0..=100);

    assert_eq!(manager.increase_volume().await.unwrap().volume.level, 55);
    assert_eq!(manager.decrease_volume().await.unwrap().volume.level, 50);

    assert_eq!(manager.set_volume(0).await.unwrap().volume.level, 0);
    assert_eq!(manager.decrease_volume().await.unwrap().volume.level, 0);
    assert_eq!(emulator.paired_device(&boardroom.id).unwrap().volume, 0);

    assert_eq!(manager.set_volume(100).await.unwrap().volume.level, 100);
    assert_eq!(manager.increase_volume().await.unwrap().volume.level, 100);
    assert_eq!(emulator.paired_device(&boardroom.id).unwrap().volume, 100);

    let sent = emulator.request_count("/lyra/api/v1/spaces");
    for level in [101, -1] {
        match manager.set_volume(level).await {
            Err(DeviceManagerError::VolumeOutOfRange {
                level: got,
                min,
                max,
            }) => {
                assert_eq!((got, min, max), (level, 0, 100));
            }
            other => panic!("expected VolumeOutOfRange, got {other:?}"),
        }
    }
    assert_eq!(
        emulator.request_count("/lyra/api/v1/spaces"),
        sent,
        "nothing sent"
    );
    assert_eq!(emulator.paired_device(&boardroom.id).unwrap().volume, 100);
}

#[tokio::test]
async fn a_model_with_another_range_is_checked_against_its_own() {
    let desk = Paired::new("Ada's desk", Some("Webex Desk Mini")).await;
    let manager = &desk.manager;

    assert_eq!(manager.set_volume(70).await.unwrap().volume.level, 70);
    assert_eq!(manager.increase_volume().await.unwrap().volume.level, 70);
    assert_eq!(manager.decrease_volume().await.unwrap().volume.level, 60);
    assert!(matches!(
        manager.set_volume(80).await,
        Err(DeviceManagerError::VolumeOutOfRange { max: 70, .. })
    ));
}

#[tokio::test]
async fn the_emulator_refuses_an_out_of_range_level_with_a_400() {
    let emulator = Emulator::start_default().await.unwrap();
    let boardroom = room(&emulator, "Boardroom");
    let error = emulator
        .set_paired_device_volume(&boardroom.id, 101)
        .unwrap_err();
    assert!(error.contains("out of range"), "{error}");
}

#[tokio::test]
async fn mute_round_trips() {
    let Paired {
        emulator,
        device: boardroom,
        manager,
        ..
    } = Paired::new("Boardroom", None).await;

    assert!(manager.mute().await.unwrap().microphones.muted);
    assert!(emulator.paired_device(&boardroom.id).unwrap().muted);
    assert!(manager.audio_state().await.unwrap().microphones.muted);
    assert!(!manager.unmute().await.unwrap().microphones.muted);
    assert!(!emulator.paired_device(&boardroom.id).unwrap().muted);
    assert!(!manager.audio_state().await.unwrap().microphones.muted);
}

#[tokio::test(start_paused = true)]
async fn the_audio_state_is_reported_every_ten_minutes_while_paired() {
    let Paired {
        emulator,
        device: boardroom,
        manager,
        webex,
        ..
    } = Paired::new("Boardroom", None).await;
    // Only the reports count here: without Mercury (the KMS connected it to decrypt the
    // device's name), no update event makes the manager read the audio state.
    webex.mercury().disconnect().await;
    let audio = format!("/lyra/api/v1/spaces/{}/audio", boardroom.id);
    let start = emulator.request_count(&audio);

    tokio::time::sleep(AUDIO_REPORT_PERIOD - Duration::from_secs(1)).await;
    assert_eq!(emulator.request_count(&audio), start, "not reported early");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        emulator.request_count(&audio),
        start + 1,
        "reported when due"
    );
    tokio::time::sleep(AUDIO_REPORT_PERIOD * 3).await;
    assert_eq!(emulator.request_count(&audio), start + 4);

    // A change is reported at once (the action, then the report).
    let before = emulator.request_count(&audio);
    manager.mute().await.unwrap();
    assert_eq!(emulator.request_count(&audio), before + 2);

    manager.unpair(false).await.unwrap();
    let after = emulator.request_count(&audio);
    tokio::time::sleep(AUDIO_REPORT_PERIOD * 3).await;
    assert_eq!(
        emulator.request_count(&audio),
        after,
        "no reports once unpaired"
    );
}
