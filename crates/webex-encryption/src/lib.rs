//! # webex-encryption
//!
//! The client of Webex's key management service (KMS), like the JS SDK's
//! `internal-plugin-encryption` (`docs/protocol/kms.md`): discovery of the KMS and its RSA
//! identity (`GET {encryption}/kms/<userId>`, checked against its certificate), the ECDHE
//! handshake that gives the client a shared AES-256-GCM key, KMS requests sent with
//! `POST {encryption}/kms/messages` and answered over Mercury (`encryption.kms_message`),
//! keys fetched and cached, and the JWE a REST body's `kmsMessage` carries.
//!
//! [`EncryptionPlugin`] needs the devices plugin (the request names the client's device and
//! user) and the Mercury plugin (answers arrive there). [`Kms`] is `webex.kms()`:
//! [`wrap`](Kms::wrap), [`request`](Kms::request) and [`decrypt_text`](Kms::decrypt_text).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use webex_emulator::{Emulator, NewPerson, PersonType};
//! use webex_encryption::{EncryptionExt, EncryptionPlugin};
//!
//! let emulator = Emulator::start_default().await?;
//! let me = emulator.create_person(NewPerson {
//!     display_name: "Ada".into(),
//!     email: "ada@example.com".into(),
//!     kind: PersonType::Person,
//! });
//! let webex = webex_core::Webex::builder()
//!     .access_token(&me.access_token)
//!     .discovery_base(emulator.base_url())
//!     .plugin(webex_devices::DevicesPlugin::default())
//!     .plugin(webex_mercury::MercuryPlugin::default())
//!     .plugin(EncryptionPlugin::default())
//!     .build()
//!     .await?;
//!
//! let answer = webex
//!     .kms()
//!     .request(serde_json::json!({"method": "create", "uri": "/keys", "count": 2}))
//!     .await?;
//! assert_eq!(answer["keys"].as_array().map(Vec::len), Some(2));
//! # Ok(()) }
//! ```

mod client;
mod config;
mod context;
mod discovery;
mod error;
mod jose;
mod keys;
mod plugin;
mod transport;

use serde_json::Value;
use webex_core::Webex;

pub use config::EncryptionConfig;
pub use error::KmsError;
pub use plugin::EncryptionPlugin;

/// `webex.kms()`.
pub trait EncryptionExt {
    /// The KMS client of this client.
    fn kms(&self) -> Kms;
}

impl EncryptionExt for Webex {
    fn kms(&self) -> Kms {
        Kms {
            webex: self.clone(),
        }
    }
}

/// The KMS API; cheap to clone. Every handle of one client shares the client's one ECDHE
/// context and key cache (they live in the plugin).
#[derive(Clone, Debug)]
pub struct Kms {
    webex: Webex,
}

impl Kms {
    fn plugin(&self) -> Result<&EncryptionPlugin, KmsError> {
        self.webex.plugin::<EncryptionPlugin>().ok_or_else(|| {
            KmsError::Setup(
                "the `encryption` plugin is not added to this client (add \
                 webex_encryption::EncryptionPlugin)"
                    .into(),
            )
        })
    }

    /// Wraps `request` (e.g. `{"method": "create", "uri": "/authorizations", ...}`) as the
    /// JWE a REST body's `kmsMessage` field carries (adds `requestId` and the client's
    /// credentials), under the client's ECDHE context (negotiated first if needed).
    ///
    /// # Errors
    /// [`KmsError::InvalidRequest`] when `request` is not an object with a `method` and a
    /// `uri`; what negotiating the context can fail with (see [`request`](Self::request)).
    pub async fn wrap(&self, request: Value) -> Result<String, KmsError> {
        client::wrap(&self.webex, self.plugin()?, request).await
    }

    /// Retrieves (cached) the key at `key_uri` and decrypts a compact JWE made with it
    /// (`{"alg": "dir", "enc": "A256GCM"}`, as conversation texts and encrypted device names
    /// are), giving the UTF-8 text.
    ///
    /// # Errors
    /// [`KmsError::Malformed`] when `jwe` is not such a JWE, was not made with that key, or is
    /// not UTF-8; what retrieving the key can fail with (see [`request`](Self::request)).
    pub async fn decrypt_text(&self, key_uri: &str, jwe: &str) -> Result<String, KmsError> {
        client::decrypt_text(&self.webex, self.plugin()?, key_uri, jwe).await
    }

    /// Sends one KMS request and returns the decrypted answer's body.
    ///
    /// # Errors
    /// [`KmsError::InvalidRequest`] for a request that is not an object with `method` and
    /// `uri`; [`KmsError::Setup`] without the plugins KMS needs; [`KmsError::Http`] when
    /// discovery or the POST fails; [`KmsError::Mercury`]; [`KmsError::InvalidKms`];
    /// [`KmsError::Kms`] for an answer with status 400 or more; [`KmsError::Timeout`] when no
    /// answer came (waits of 6, 12, 24 and 48 s by default).
    pub async fn request(&self, request: Value) -> Result<Value, KmsError> {
        client::request(&self.webex, self.plugin()?, request).await
    }
}
