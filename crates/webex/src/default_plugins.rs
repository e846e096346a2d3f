use webex_core::{PluginGroup, PluginSet};

/// The SDK's plugins, one per enabled cargo feature, in dependency order: `auth`, `devices`,
/// `mercury`, `encryption`, `messages` (listening, so depending on Mercury, when `mercury` is on too),
/// `meetings`, `media`, `devicemanager` (feature `device-manager`).
///
/// Add them with `Webex::builder().plugins(DefaultPlugins)`. Configure one with
/// [`set`](PluginGroup::set), which replaces the default of the same type, or leave one out
/// with [`disable`](PluginGroup::disable); the others stay as they are:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> webex::Result<()> {
/// use webex::devices::{DevicesConfig, DevicesPlugin};
/// use webex::media::MediaPlugin;
/// use webex::prelude::*;
///
/// let webex = Webex::builder()
///     .without_catalog()
///     .plugins(
///         DefaultPlugins
///             .set(DevicesPlugin::new(DevicesConfig::default().with_ttl(None)))
///             .disable::<MediaPlugin>(),
///     )
///     .build()
///     .await?;
/// assert_eq!(webex.plugin::<DevicesPlugin>().unwrap().config().ttl, None);
/// assert!(webex.plugin::<MediaPlugin>().is_none());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultPlugins;

impl PluginGroup for DefaultPlugins {
    fn into_set(self) -> PluginSet {
        let set = PluginSet::new();
        #[cfg(feature = "auth")]
        let set = set.with(webex_auth::AuthPlugin::default());
        #[cfg(feature = "devices")]
        let set = set.with(webex_devices::DevicesPlugin::default());
        #[cfg(feature = "mercury")]
        let set = set.with(webex_mercury::MercuryPlugin::default());
        #[cfg(feature = "encryption")]
        let set = set.with(webex_encryption::EncryptionPlugin::default());
        #[cfg(all(feature = "messages", feature = "mercury"))]
        let set = set.with(webex_messages::MessagesPlugin::listening());
        #[cfg(all(feature = "messages", not(feature = "mercury")))]
        let set = set.with(webex_messages::MessagesPlugin::default());
        #[cfg(feature = "meetings")]
        let set = set.with(webex_meetings::MeetingsPlugin::default());
        #[cfg(feature = "media")]
        let set = set.with(webex_media::MediaPlugin::default());
        #[cfg(feature = "device-manager")]
        let set = set.with(webex_device_manager::DeviceManagerPlugin::default());
        set
    }
}
