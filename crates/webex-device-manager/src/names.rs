//! Device names WDM sends encrypted (`metadata.encryptedUserAssignedName`
//! with `metadata.encryptionKeyUrl`): decrypted with the key from KMS into
//! `metadata.userAssignedName`. The encrypted field is dropped either way; a
//! name that cannot be decrypted is logged and left out, as the JS SDK does.

use webex_core::Webex;
use webex_encryption::EncryptionExt;

use crate::model::AuxiliaryDevice;

/// `device` with its name decrypted, when it came encrypted.
pub(crate) async fn decrypt(webex: &Webex, mut device: AuxiliaryDevice) -> AuxiliaryDevice {
    let metadata = &mut device.metadata;
    let (Some(encrypted), Some(key_url)) = (
        metadata.encrypted_user_assigned_name.take(),
        metadata.encryption_key_url.clone(),
    ) else {
        return device;
    };
    match webex.kms().decrypt_text(&key_url, &encrypted).await {
        Ok(name) => device.metadata.user_assigned_name = Some(name),
        Err(error) => webex_core::log_error!(
            webex.logger(),
            "devicemanager: cannot decrypt the name of device {}: {error}",
            device.id
        ),
    }
    device
}
