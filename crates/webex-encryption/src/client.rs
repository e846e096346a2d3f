//! The operations behind `Kms` (being built: each answers with a typed error until done).

use serde_json::Value;
use webex_core::Webex;

use crate::error::KmsError;
use crate::plugin::EncryptionPlugin;

fn not_yet() -> KmsError {
    KmsError::Setup("the KMS client is not finished yet in this build".into())
}

pub(crate) async fn wrap(
    _webex: &Webex,
    _plugin: &EncryptionPlugin,
    _request: Value,
) -> Result<String, KmsError> {
    Err(not_yet())
}

pub(crate) async fn decrypt_text(
    _webex: &Webex,
    _plugin: &EncryptionPlugin,
    _key_uri: &str,
    _jwe: &str,
) -> Result<String, KmsError> {
    Err(not_yet())
}

pub(crate) async fn request(
    _webex: &Webex,
    _plugin: &EncryptionPlugin,
    _request: Value,
) -> Result<Value, KmsError> {
    Err(not_yet())
}
