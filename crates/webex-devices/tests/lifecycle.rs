//! The device lifecycle against the emulator: the refresh timer, reuse of the stored device,
//! replacement of a device the server forgot, idempotent registration, and the excessive
//! registrations path.

use std::time::Duration;

use serde_json::{Value, json};
use webex_core::http::{Request, Target};
use webex_core::{ErrorKind, Webex};
use webex_devices::{
    DEFAULT_TTL_SECS, DevicesConfig, DevicesExt, DevicesPlugin, FileDeviceStore, MemoryDeviceStore,
    refresh_delay,
};
use webex_emulator::{CreatedPerson, Emulator, NewPerson, PersonType};

fn person(emulator: &Emulator, name: &str) -> CreatedPerson {
    emulator.create_person(NewPerson {
        display_name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        kind: PersonType::Person,
    })
}

/// A client of `me` with the devices plugin configured by `config`.
async fn client(emulator: &Emulator, me: &CreatedPerson, config: DevicesConfig) -> Webex {
    Webex::builder()
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .plugin(DevicesPlugin::new(config))
        .build()
        .await
        .expect("client builds")
}

/// Registers a device for `me` directly (`POST {wdm}/devices`), as another program would.
async fn register_raw(webex: &Webex, body: Value) -> String {
    let res = webex
        .http()
        .send(
            Request::post(Target::service("wdm", "devices"))
                .json(&body)
                .unwrap(),
        )
        .await
        .expect("registered");
    let device: Value = res.json().unwrap();
    device["url"].as_str().unwrap().to_owned()
}

/// A fresh directory for one test's device file, and the file's path in it.
fn store_file(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("webex-devices-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("device.json");
    (dir, file)
}

/// The ids of `me`'s devices on the server.
fn device_urls(emulator: &Emulator, me: &CreatedPerson) -> Vec<String> {
    emulator
        .devices(&me.id)
        .into_iter()
        .map(|device| device.url)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_timer_refreshes_the_device_before_its_ttl_ends() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada, DevicesConfig::default()).await;
    let device = webex.devices().register().await.unwrap();
    let path = device.url.path().to_owned();
    assert_eq!(emulator.request_count(&path), 0);

    let period = refresh_delay(DEFAULT_TTL_SECS);
    assert!(period < Duration::from_secs(DEFAULT_TTL_SECS));
    tokio::time::sleep(period - Duration::from_secs(1)).await;
    assert_eq!(emulator.request_count(&path), 0, "not refreshed early");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(emulator.request_count(&path), 1, "refreshed when due");

    // Without the timer the server would have forgotten the device after 1800 s; ten hours
    // later it is still the same one, refreshed every period.
    tokio::time::sleep(Duration::from_secs(10 * 3600)).await;
    assert_eq!(device_urls(&emulator, &ada), [device.url.to_string()]);
    assert_eq!(webex.devices().current().unwrap().url, device.url);
    let refreshes = emulator.request_count(&path);
    let expected = (10 * 3600 + period.as_secs()) / period.as_secs();
    assert!(
        refreshes.abs_diff(usize::try_from(expected).unwrap()) <= 1,
        "{refreshes} refreshes"
    );

    // Unregistered, nothing is refreshed any more.
    webex.devices().unregister().await.unwrap();
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        emulator.request_count(&path),
        refreshes + 1,
        "only the DELETE"
    );
}

#[tokio::test(start_paused = true)]
async fn a_device_expired_on_the_server_is_replaced_by_the_timer() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada, DevicesConfig::default()).await;
    let device = webex.devices().register().await.unwrap();
    emulator.expire_devices(Some(&ada.id));
    tokio::time::sleep(refresh_delay(DEFAULT_TTL_SECS) + Duration::from_secs(1)).await;
    let fresh = webex.devices().current().expect("registered anew");
    assert_ne!(fresh.url, device.url);
    assert_eq!(device_urls(&emulator, &ada), [fresh.url.to_string()]);
}

#[tokio::test]
async fn register_twice_keeps_one_device() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada, DevicesConfig::default()).await;
    let first = webex.devices().register().await.unwrap();
    let second = webex.devices().register().await.unwrap();
    assert_eq!(first.url, second.url);
    let devices = webex.devices();
    let (third, fourth) = tokio::join!(devices.register(), devices.register());
    assert_eq!(third.unwrap().url, first.url);
    assert_eq!(fourth.unwrap().url, first.url);
    assert_eq!(device_urls(&emulator, &ada), [first.url.to_string()]);
}

#[tokio::test]
async fn a_restart_reuses_the_stored_device() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let (dir, file) = store_file("restart");
    let config = || {
        DevicesConfig::default()
            .with_unregister_on_stop(false)
            .with_store(FileDeviceStore::new(&file))
    };

    let first_run = client(&emulator, &ada, config()).await;
    let device = first_run.devices().ensure_registered().await.unwrap();
    first_run.shutdown().await.unwrap();
    drop(first_run);
    assert!(file.exists());

    let second_run = client(&emulator, &ada, config()).await;
    let reused = second_run.devices().ensure_registered().await.unwrap();
    assert_eq!(reused.url, device.url);
    assert_eq!(device_urls(&emulator, &ada), [device.url.to_string()]);
    // Refreshed, not just read back: the server saw a PUT to it.
    assert_eq!(emulator.request_count(device.url.path()), 1);

    // Unregistering forgets it in the file too.
    second_run.devices().unregister().await.unwrap();
    assert!(!file.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_stored_device_the_server_forgot_is_replaced() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let store = MemoryDeviceStore::default();
    let config = || {
        DevicesConfig::default()
            .with_unregister_on_stop(false)
            .with_store(store.clone())
    };
    let first_run = client(&emulator, &ada, config()).await;
    let device = first_run.devices().register().await.unwrap();
    drop(first_run);
    // The process was gone longer than the ttl.
    assert_eq!(emulator.expire_devices(Some(&ada.id)), 1);

    let second_run = client(&emulator, &ada, config()).await;
    let fresh = second_run.devices().ensure_registered().await.unwrap();
    assert_ne!(fresh.url, device.url);
    assert_eq!(device_urls(&emulator, &ada), [fresh.url.to_string()]);
    let stored = webex_devices::DeviceStore::load(&store).unwrap().unwrap();
    assert_eq!(stored.device.url, fresh.url);
}

#[tokio::test]
async fn a_stored_device_of_another_user_is_not_taken_over() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let bob = person(&emulator, "Bob");
    let store = MemoryDeviceStore::default();
    let config = || {
        DevicesConfig::default()
            .with_unregister_on_stop(false)
            .with_store(store.clone())
    };
    let ada_device = client(&emulator, &ada, config())
        .await
        .devices()
        .register()
        .await
        .unwrap();
    let bob_device = client(&emulator, &bob, config())
        .await
        .devices()
        .ensure_registered()
        .await
        .unwrap();
    assert_ne!(bob_device.url, ada_device.url);
    assert_eq!(device_urls(&emulator, &ada), [ada_device.url.to_string()]);
    assert_eq!(device_urls(&emulator, &bob), [bob_device.url.to_string()]);
}

/// The user's other clients: a desktop app and a JS SDK web page.
fn other_clients() -> [Value; 2] {
    [
        json!({"name": "Ada's Mac", "deviceType": "DESKTOP", "model": "Webex", "ttl": 1800}),
        json!({"name": "node", "deviceType": "WEB", "model": "web-js-sdk", "ttl": 1800}),
    ]
}

#[tokio::test]
async fn excessive_registrations_delete_only_our_own_stale_devices() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    emulator.set_device_limit(5);
    let config = DevicesConfig::default();
    let webex = client(&emulator, &ada, config.clone()).await;
    let mut others = Vec::new();
    for body in other_clients() {
        others.push(register_raw(&webex, body).await);
    }
    // Three devices left behind by earlier runs of this client that crashed.
    let ours = json!({"name": config.name, "deviceType": config.device_type, "model": config.model, "ttl": 1800});
    for _ in 0..3 {
        register_raw(&webex, ours.clone()).await;
    }
    assert_eq!(emulator.devices(&ada.id).len(), 5);

    let device = webex.devices().register().await.unwrap();
    let mut left = device_urls(&emulator, &ada);
    left.sort();
    let mut expected = others.clone();
    expected.push(device.url.to_string());
    expected.sort();
    assert_eq!(left, expected, "the other clients are untouched");
}

#[tokio::test]
async fn excessive_registrations_without_devices_of_ours_fail_and_delete_nothing() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    emulator.set_device_limit(2);
    let webex = client(&emulator, &ada, DevicesConfig::default()).await;
    for body in other_clients() {
        register_raw(&webex, body).await;
    }
    let err = webex.devices().register().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert!(
        err.message().contains("excessive device registrations"),
        "{err}"
    );
    assert_eq!(emulator.devices(&ada.id).len(), 2);
    assert!(webex.devices().current().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_failed_scheduled_refresh_is_tried_again_soon() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let webex = client(&emulator, &ada, DevicesConfig::default()).await;
    let device = webex.devices().register().await.unwrap();
    let path = device.url.path().to_owned();
    // The next two refreshes are refused (a status the HTTP layer does not retry itself).
    emulator.add_fault(webex_emulator::Fault {
        status: Some(400),
        count: 2,
        method: Some("PUT".into()),
        path_prefix: Some(path.clone()),
        ..webex_emulator::Fault::default()
    });
    let period = refresh_delay(DEFAULT_TTL_SECS);
    tokio::time::sleep(period + Duration::from_secs(1)).await;
    assert_eq!(emulator.request_count(&path), 1);
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(emulator.request_count(&path), 2);
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(
        emulator.request_count(&path),
        3,
        "the third try gets through"
    );
    // Well before the ttl ended, so it is still the same device.
    assert_eq!(device_urls(&emulator, &ada), [device.url.to_string()]);
    tokio::time::sleep(Duration::from_secs(DEFAULT_TTL_SECS)).await;
    assert_eq!(device_urls(&emulator, &ada), [device.url.to_string()]);
}

#[tokio::test]
async fn an_unreadable_store_means_a_new_device_that_replaces_it() {
    let emulator = Emulator::start_default().await.unwrap();
    let ada = person(&emulator, "Ada");
    let (dir, file) = store_file("garbage");
    std::fs::write(&file, b"{\"device\": 42").unwrap();
    let store = FileDeviceStore::new(&file);
    let webex = client(
        &emulator,
        &ada,
        DevicesConfig::default().with_store(store.clone()),
    )
    .await;
    let device = webex.devices().ensure_registered().await.unwrap();
    let stored = webex_devices::DeviceStore::load(&store).unwrap().unwrap();
    assert_eq!(stored.device.url, device.url);
    std::fs::remove_dir_all(&dir).unwrap();
}
