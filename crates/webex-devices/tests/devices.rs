//! WDM registration against the emulator.

use webex_core::Webex;
use webex_devices::{DevicesConfig, DevicesExt, DevicesPlugin};
use webex_emulator::{Emulator, NewPerson, PersonType};

async fn client(emulator: &Emulator, plugin: DevicesPlugin) -> Webex {
    let me = emulator.create_person(NewPerson {
        display_name: "Ada".into(),
        email: format!("ada{}@example.com", uuid_ish()),
        kind: PersonType::Person,
    });
    Webex::builder()
        .access_token(&me.access_token)
        .discovery_base(emulator.base_url())
        .plugin(plugin)
        .build()
        .await
        .expect("client builds")
}

fn uuid_ish() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn register_refresh_unregister() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, DevicesPlugin::default()).await;
    assert!(webex.devices().current().is_none());
    let device = webex.devices().register().await.unwrap();
    assert!(!device.user_id.is_empty());
    assert!(device.web_socket_url.query().is_none());
    assert!(!device.extra.contains_key("services"));
    assert_eq!(webex.devices().ensure_registered().await.unwrap(), device);

    let refreshed = webex.devices().refresh().await.unwrap();
    assert_eq!(refreshed.url, device.url);

    webex.devices().unregister().await.unwrap();
    assert!(webex.devices().current().is_none());
    // Nothing left to delete.
    webex.devices().unregister().await.unwrap();
}

#[tokio::test]
async fn refresh_of_a_forgotten_device_registers_a_new_one() {
    let emulator = Emulator::start_default().await.unwrap();
    let webex = client(&emulator, DevicesPlugin::default()).await;
    let device = webex.devices().register().await.unwrap();
    // Deleted behind the plugin's back.
    webex
        .http()
        .send(webex_core::http::Request::delete(
            webex_core::http::Target::Url(device.url.clone()),
        ))
        .await
        .unwrap();
    let fresh = webex.devices().refresh().await.unwrap();
    assert_ne!(fresh.url, device.url);
}

#[tokio::test]
async fn registers_on_start_and_unregisters_on_shutdown() {
    let emulator = Emulator::start_default().await.unwrap();
    let config = DevicesConfig::default().with_register_on_start(true);
    let webex = client(&emulator, DevicesPlugin::new(config)).await;
    let device = webex.devices().current().expect("registered on start");
    webex.shutdown().await.unwrap();
    assert!(webex.devices().current().is_none());
    let err = webex
        .http()
        .send(webex_core::http::Request::get(
            webex_core::http::Target::Url(device.url),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), webex_core::ErrorKind::NotFound);
}

#[tokio::test]
async fn without_the_plugin_the_error_is_typed() {
    let webex = Webex::builder().without_catalog().build().await.unwrap();
    let err = webex.devices().register().await.unwrap_err();
    assert_eq!(err.kind(), webex_core::ErrorKind::MissingDependency);
}
