//! Binding a conversation (a space) to the paired device, so the device shows
//! it: the request carries a `kmsMessage` that authorizes the device's space on
//! the conversation's KMS resource object (`docs/protocol/devices.md`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use webex_core::http::{Request, Target};
use webex_encryption::EncryptionExt;

use crate::error::{DeviceManagerError, Result};
use crate::manager::{DeviceManager, LYRA};
use crate::state::BoundSpace;

/// The catalog name of the conversation service.
const CONVERSATION: &str = "conversation";

impl DeviceManager {
    /// Shows the conversation at `conversation_url` on the paired device
    /// (`POST {lyra}/spaces/{id}/bindings` with a `kmsMessage` that authorizes
    /// the space on `kms_resource_object_url`).
    ///
    /// # Errors
    /// [`DeviceManagerError::NotPaired`]; [`DeviceManagerError::Kms`]; HTTP errors.
    pub async fn bind_space(
        &self,
        conversation_url: &str,
        kms_resource_object_url: &str,
    ) -> Result<Value> {
        if conversation_url.is_empty() {
            return Err(DeviceManagerError::Missing("url"));
        }
        if kms_resource_object_url.is_empty() {
            return Err(DeviceManagerError::Missing("kmsResourceObjectUrl"));
        }
        let shared = self.shared()?;
        let space = self.paired_space(&shared)?;
        let kms_message = self
            .webex
            .kms()
            .wrap(json!({
                "method": "create",
                "uri": "/authorizations",
                "resourceUri": kms_resource_object_url,
                "userIds": [space.id()],
            }))
            .await?;
        let body = json!({"kmsMessage": kms_message, "conversationUrl": conversation_url});
        let path = format!("spaces/{}/bindings", space.id());
        let request = Request::post(Target::service(LYRA, path)).json(&body)?;
        let answer: Value = self.webex.http().json(request).await?;
        shared.state().bound = Some(BoundSpace {
            conversation_url: conversation_url.to_owned(),
            kms_resource_object_url: kms_resource_object_url.to_owned(),
        });
        Ok(answer)
    }

    /// Stops showing the bound conversation (`DELETE {lyra}/spaces/{id}/bindings`
    /// with a `kmsMessage` that removes the space's authorization).
    ///
    /// # Errors
    /// [`DeviceManagerError::NotBound`] (nothing bound, or not paired);
    /// [`DeviceManagerError::Kms`]; HTTP errors.
    pub async fn unbind_space(&self) -> Result<()> {
        let shared = self.shared()?;
        let (space, bound) = {
            let state = shared.state();
            match (state.paired.clone(), state.bound.clone()) {
                (Some(space), Some(bound)) => (space, bound),
                _ => return Err(DeviceManagerError::NotBound),
            }
        };
        let uri = format!(
            "{}/authorizations?authId={}",
            bound.kms_resource_object_url,
            space.id()
        );
        let kms_message = self
            .webex
            .kms()
            .wrap(json!({"method": "delete", "uri": uri}))
            .await?;
        let path = format!("spaces/{}/bindings", space.id());
        let request = Request::delete(Target::service(LYRA, path))
            .query("kmsMessage", kms_message)
            .query(
                "conversationUrl",
                URL_SAFE_NO_PAD.encode(&bound.conversation_url),
            );
        self.webex.http().send(request).await?;
        shared.state().bound = None;
        Ok(())
    }

    /// The conversation bound to the paired device, if any.
    ///
    /// # Errors
    /// Without the plugin.
    pub fn bound_space(&self) -> Result<Option<BoundSpace>> {
        Ok(self.shared()?.state().bound.clone())
    }

    /// Binds the room with Hydra id `room_id`: reads its conversation
    /// (`GET {conversation}/conversations/{uuid}`) for the URL and the KMS
    /// resource object, then [`bind_space`](Self::bind_space).
    ///
    /// # Errors
    /// [`DeviceManagerError::Missing`] for an id that is not a room's; a
    /// conversation without `kmsResourceObjectUrl` is
    /// [`DeviceManagerError::NotEncrypted`]; as [`bind_space`](Self::bind_space).
    pub async fn bind_room(&self, room_id: &str) -> Result<Value> {
        let uuid = room_uuid(room_id).ok_or(DeviceManagerError::Missing("a room id"))?;
        let conversation: Value = self
            .webex
            .http()
            .json(Request::get(Target::service(
                CONVERSATION,
                format!("conversations/{uuid}"),
            )))
            .await?;
        let (url, kro) = bindable(&conversation, room_id)?;
        self.bind_space(url, kro).await
    }
}

/// The URL and the KMS resource object of a conversation (as
/// `GET conversations/{uuid}` answers), which binding it needs; a conversation
/// without `kmsResourceObjectUrl` is [`DeviceManagerError::NotEncrypted`].
fn bindable<'a>(conversation: &'a Value, room_id: &str) -> Result<(&'a str, &'a str)> {
    let url = conversation["url"].as_str().unwrap_or_default();
    let kro = conversation["kmsResourceObjectUrl"]
        .as_str()
        .ok_or_else(|| DeviceManagerError::NotEncrypted(room_id.to_owned()))?;
    Ok((url, kro))
}

/// The uuid of a Hydra room id (base64 of `ciscospark://<cluster>/ROOM/<uuid>`).
fn room_uuid(room_id: &str) -> Option<String> {
    let decoded = webex_core::hydra_id::decode(room_id).ok()?;
    (decoded.kind == "ROOM" && uuid::Uuid::try_parse(&decoded.inner).is_ok())
        .then_some(decoded.inner)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD_NO_PAD;

    use super::*;

    #[test]
    fn room_ids_decode_to_their_uuid() {
        let uuid = "0d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
        let id = STANDARD_NO_PAD.encode(format!("ciscospark://us/ROOM/{uuid}"));
        assert_eq!(room_uuid(&id).as_deref(), Some(uuid));
        let person = STANDARD_NO_PAD.encode(format!("ciscospark://us/PEOPLE/{uuid}"));
        assert_eq!(room_uuid(&person), None);
        assert_eq!(room_uuid("not base64!"), None);
    }

    #[test]
    fn a_conversation_without_a_kms_resource_object_is_not_encrypted() {
        let url = "https://conv.example/conversations/c";
        let kro = "kms://kms.example/resources/r";
        let encrypted = json!({"url": url, "kmsResourceObjectUrl": kro});
        assert_eq!(bindable(&encrypted, "room").unwrap(), (url, kro));
        let plain = json!({"url": url});
        assert!(matches!(
            bindable(&plain, "room"),
            Err(DeviceManagerError::NotEncrypted(id)) if id == "room"
        ));
    }
}
