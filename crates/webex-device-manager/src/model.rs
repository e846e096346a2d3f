//! What Lyra, WDM, argonaut and proximity answer, typed: plain fields for
//! what the services always send, `Option` for the rest, and every field
//! the SDK does not read kept in `extra` (so nothing is lost).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `deviceInfo.machineType` of a room device that is a Lyra space.
pub const LYRA_SPACE: &str = "LYRA_SPACE";

/// The `deviceClass` whose ids WDM gives relative to its own URL.
pub const UC_CLOUD: &str = "uc-cloud";

/// The product name the JS SDK uses when a space names none.
pub const DEFAULT_PRODUCT_NAME: &str = "default";

/// A room device as a Lyra space (`GET {lyra}/spaces/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Space {
    /// The space's absolute URL; its audio and bindings are below it.
    pub url: String,
    /// Who the space is.
    pub identity: SpaceIdentity,
    /// Who occupies it, as the caller sees it.
    #[serde(default)]
    pub occupants: Occupants,
    /// The devices in the space.
    #[serde(default)]
    pub devices: Vec<SpaceDevice>,
    /// Fields the SDK does not read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Space {
    /// The space id (its identity's).
    #[must_use]
    pub fn id(&self) -> &str {
        &self.identity.id
    }

    /// Whether the caller is a verified occupant (paired).
    #[must_use]
    pub fn is_paired(&self) -> bool {
        self.occupants.self_.as_ref().is_some_and(|s| s.verified)
    }

    /// The first device's product name, or [`DEFAULT_PRODUCT_NAME`].
    #[must_use]
    pub fn product_name(&self) -> &str {
        self.devices
            .first()
            .and_then(|device| device.product_name.as_deref())
            .unwrap_or(DEFAULT_PRODUCT_NAME)
    }
}

/// `identity` of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SpaceIdentity {
    /// The space id.
    pub id: String,
    /// The device's name.
    pub display_name: Option<String>,
}

/// `occupants` of a space.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Occupants {
    /// Whether pairing by PIN can start (the caller is not paired).
    #[serde(default)]
    pub pin_challenge: bool,
    /// The caller as an occupant.
    #[serde(rename = "self")]
    pub self_: Option<SelfOccupant>,
}

/// `occupants.self`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SelfOccupant {
    /// Whether the caller's pairing is verified.
    #[serde(default)]
    pub verified: bool,
}

/// One of `devices` of a space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SpaceDevice {
    /// E.g. `Cisco Room Kit`.
    pub product_name: Option<String>,
}

/// A recent room device (`{wdm}/devices/auxiliary`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AuxiliaryDevice {
    /// Its id (for a `uc-cloud` device, `<wdm url>/<id>`).
    pub id: String,
    /// E.g. `ROOM`.
    pub device_class: Option<String>,
    /// The product name.
    pub product_name: Option<String>,
    /// What kind of machine it is, and its space id.
    pub device_info: Option<DeviceInfo>,
    /// Its name, plain or encrypted.
    #[serde(default)]
    pub metadata: DeviceMetadata,
    /// Fields the SDK does not read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AuxiliaryDevice {
    /// The name people gave it, once decrypted.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.metadata.user_assigned_name.as_deref()
    }

    /// Whether it is a Lyra space (a room device the manager can pair with).
    #[must_use]
    pub fn is_lyra_space(&self) -> bool {
        self.device_info
            .as_ref()
            .is_some_and(|info| info.machine_type.as_deref() == Some(LYRA_SPACE))
    }
}

/// `deviceInfo` of an auxiliary device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeviceInfo {
    /// The space id.
    pub id: String,
    /// `LYRA_SPACE` for room devices.
    pub machine_type: Option<String>,
}

/// `metadata` of an auxiliary device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeviceMetadata {
    /// The name, in clear.
    pub user_assigned_name: Option<String>,
    /// The name as a JWE, when WDM sends it encrypted.
    pub encrypted_user_assigned_name: Option<String>,
    /// The KMS key of the encrypted name.
    pub encryption_key_url: Option<String>,
}

/// A device search's answer (`POST {argonaut}/directory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SearchResults {
    /// The `searchId` the request carried.
    pub search_id: Option<String>,
    /// The devices found.
    #[serde(default)]
    pub items: Vec<SearchHit>,
}

/// One device found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SearchHit {
    /// The space id.
    pub id: String,
    /// Its name.
    pub display_name: String,
    /// Its product name.
    pub product_name: Option<String>,
    /// Fields the SDK does not read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An ultrasound advertisement (`GET {proximity}/ultrasound/advertisements`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Advertisement {
    /// The device that played the token.
    pub advertiser: Advertiser,
    /// Fields the SDK does not read (`links`, `token`, `proof`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `advertiser` of an advertisement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Advertiser {
    /// The space id.
    pub id: String,
    /// Its name (taken from the space when the space has one).
    pub display_name: Option<String>,
    /// Its org.
    pub org_id: Option<String>,
}

/// A room device's audio (`{space}/audio`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AudioState {
    /// The volume.
    pub volume: Volume,
    /// The microphones.
    pub microphones: Microphones,
    /// The audio resource's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fields the SDK does not read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The volume and its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Volume {
    /// The level.
    pub level: i64,
    /// The lowest level (0 when not sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// The highest level (100 when not sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// One increase or decrease.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<i64>,
}

impl Volume {
    /// The range the level must stay in.
    #[must_use]
    pub fn range(&self) -> std::ops::RangeInclusive<i64> {
        self.min.unwrap_or(0)..=self.max.unwrap_or(100)
    }
}

/// The microphones' state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Microphones {
    /// Whether they are muted.
    pub muted: bool,
}
