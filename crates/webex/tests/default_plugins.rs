//! The facade's `DefaultPlugins` against the emulator: what each feature adds, configuring
//! one default plugin, leaving one out, and adding one twice.
//!
//! Every test here compiles under any feature set: `cargo xtask ci --step hack` runs this
//! file once per feature alone (and with none), so each feature's plugins must build and
//! work without the others.

use webex::prelude::*;
use webex_emulator::{Emulator, NewPerson, PersonType};

/// The names `DefaultPlugins` should hold under the enabled features, in start order.
fn expected_names() -> Vec<&'static str> {
    [
        ("auth", cfg!(feature = "auth")),
        ("devices", cfg!(feature = "devices")),
        ("mercury", cfg!(feature = "mercury")),
        ("encryption", cfg!(feature = "encryption")),
        ("messages", cfg!(feature = "messages")),
        ("meetings", cfg!(feature = "meetings")),
        ("media", cfg!(feature = "media")),
        ("devicemanager", cfg!(feature = "device-manager")),
    ]
    .into_iter()
    .filter_map(|(name, enabled)| enabled.then_some(name))
    .collect()
}

/// An emulator and a builder for a person on it (token and discovery set, no plugins).
async fn setup() -> (Emulator, WebexBuilder) {
    let emulator = Emulator::start_default().await.expect("emulator starts");
    let person = emulator.create_person(NewPerson {
        display_name: "Dee Fault".into(),
        email: "dee@example.com".into(),
        kind: PersonType::Person,
    });
    let builder = Webex::builder()
        .access_token(&person.access_token)
        .discovery_base(emulator.base_url());
    (emulator, builder)
}

#[tokio::test]
async fn default_plugins_hold_one_plugin_per_enabled_feature_and_build() {
    let (_emulator, builder) = setup().await;
    let webex = builder.plugins(DefaultPlugins).build().await.unwrap();
    assert_eq!(webex.plugin_names(), expected_names());
    assert_eq!(DefaultPlugins.into_set().names(), expected_names());
    #[cfg(feature = "auth")]
    assert!(webex.plugin::<webex::auth::AuthPlugin>().is_some());
    #[cfg(feature = "devices")]
    assert!(webex.plugin::<webex::devices::DevicesPlugin>().is_some());
    #[cfg(feature = "mercury")]
    assert!(webex.plugin::<webex::mercury::MercuryPlugin>().is_some());
    #[cfg(feature = "messages")]
    assert!(webex.plugin::<webex::messages::MessagesPlugin>().is_some());
    #[cfg(feature = "meetings")]
    assert!(webex.plugin::<webex::meetings::MeetingsPlugin>().is_some());
    #[cfg(feature = "media")]
    assert!(webex.plugin::<webex::media::MediaPlugin>().is_some());
    webex.shutdown().await.unwrap();
}

#[cfg(feature = "messages")]
#[tokio::test]
async fn messages_alone_or_not_reaches_hydra() {
    let (_emulator, builder) = setup().await;
    let webex = builder.plugins(DefaultPlugins).build().await.unwrap();
    let me = webex.people().me().await.unwrap();
    assert_eq!(me.display_name, "Dee Fault");
    let room = webex.rooms().create("Features").await.unwrap();
    assert_eq!(room.title, "Features");
    webex.shutdown().await.unwrap();
}

#[cfg(feature = "messages")]
#[tokio::test]
async fn the_messages_plugin_depends_on_mercury_exactly_when_mercury_is_enabled() {
    let (_emulator, builder) = setup().await;
    let webex = builder.plugins(DefaultPlugins).build().await.unwrap();
    let messages = webex.plugin::<webex::messages::MessagesPlugin>().unwrap();
    #[cfg(feature = "mercury")]
    let expected = vec![webex::PluginId::of::<webex::mercury::MercuryPlugin>()];
    #[cfg(not(feature = "mercury"))]
    let expected: Vec<webex::PluginId> = Vec::new();
    assert_eq!(messages.dependencies(), expected);
}

/// With `devices` alone this also shows that devices need no `auth` plugin.
#[cfg(feature = "devices")]
#[tokio::test]
async fn devices_register_with_the_default_set() {
    let (_emulator, builder) = setup().await;
    let webex = builder.plugins(DefaultPlugins).build().await.unwrap();
    let device = webex.devices().register().await.unwrap();
    assert_eq!(device.web_socket_url.scheme(), "ws");
    webex.shutdown().await.unwrap();
    assert!(webex.devices().current().is_none(), "unregistered on stop");
}

#[cfg(feature = "mercury")]
#[tokio::test]
async fn mercury_connects_with_the_default_set() {
    let (_emulator, builder) = setup().await;
    let webex = builder.plugins(DefaultPlugins).build().await.unwrap();
    webex.mercury().connect().await.unwrap();
    assert!(webex.devices().current().is_some(), "connect registered");
    webex.mercury().disconnect().await;
    webex.shutdown().await.unwrap();
}

#[cfg(feature = "devices")]
#[tokio::test]
async fn a_configured_default_plugin_replaces_the_default_and_keeps_its_place() {
    use webex::devices::{DevicesConfig, DevicesPlugin};

    let (_emulator, builder) = setup().await;
    let config = DevicesConfig::default()
        .with_register_on_start(true)
        .with_ttl(Some(120));
    let webex = builder
        .plugins(DefaultPlugins.set(DevicesPlugin::new(config.clone())))
        .build()
        .await
        .unwrap();
    assert_eq!(webex.plugin_names(), expected_names());
    let devices = webex.plugin::<DevicesPlugin>().unwrap();
    assert_eq!(devices.config(), &config);
    // The configured plugin is the one that ran: it registered on start.
    assert!(webex.devices().current().is_some());
    webex.shutdown().await.unwrap();
    assert!(
        webex.devices().current().is_none(),
        "unregistered on shutdown"
    );
}

#[cfg(feature = "media")]
#[tokio::test]
async fn a_disabled_default_plugin_is_left_out_and_the_others_stay() {
    use webex::media::MediaPlugin;

    let (_emulator, builder) = setup().await;
    let webex = builder
        .plugins(DefaultPlugins.disable::<MediaPlugin>())
        .build()
        .await
        .unwrap();
    assert!(webex.plugin::<MediaPlugin>().is_none());
    let others: Vec<_> = expected_names()
        .into_iter()
        .filter(|name| *name != "media")
        .collect();
    assert_eq!(webex.plugin_names(), others);
}

#[cfg(all(feature = "messages", feature = "mercury"))]
#[tokio::test]
async fn leaving_out_mercury_needs_a_messages_plugin_that_does_not_listen() {
    use webex::mercury::MercuryPlugin;
    use webex::messages::MessagesPlugin;

    // Meetings and encryption need Mercury too: leave them out so only the messages dependency is missing.
    let without_mercury = || {
        let set = DefaultPlugins.disable::<MercuryPlugin>();
        #[cfg(feature = "meetings")]
        let set = set.disable::<webex::meetings::MeetingsPlugin>();
        #[cfg(feature = "device-manager")]
        let set = set.disable::<webex::device_manager::DeviceManagerPlugin>();
        #[cfg(feature = "encryption")]
        let set = set.disable::<webex::encryption::EncryptionPlugin>();
        set
    };

    let (_emulator, builder) = setup().await;
    let err = builder
        .plugins(without_mercury())
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingDependency);
    let expected = format!(
        "`messages` ({}) depends on {}",
        std::any::type_name::<MessagesPlugin>(),
        std::any::type_name::<MercuryPlugin>()
    );
    assert!(err.message().contains(&expected), "{err}");

    // A REST-only messages plugin does not need Mercury.
    let (_emulator, builder) = setup().await;
    let webex = builder
        .plugins(without_mercury().set(MessagesPlugin::default()))
        .build()
        .await
        .unwrap();
    assert!(webex.plugin::<MercuryPlugin>().is_none());
    assert!(webex.people().me().await.is_ok());
}

#[cfg(feature = "devices")]
#[tokio::test]
async fn adding_a_default_plugin_again_fails_and_names_the_fix() {
    let (_emulator, builder) = setup().await;
    let err = builder
        .plugins(DefaultPlugins)
        .plugin(webex::devices::DevicesPlugin::default())
        .build()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicatePlugin);
    assert!(err.message().contains("DevicesPlugin"), "{err}");
    assert!(
        err.message().contains("DefaultPlugins.set(plugin)"),
        "{err}"
    );
}
