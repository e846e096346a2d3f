//! KMS admin operations: encrypt a text with a new key a person may retrieve
//! (`POST /_emulator/kms/encrypt`), and open a `kmsMessage` a client wrapped
//! (`POST /_emulator/kms/open`), as a service receiving it would.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Control;
use crate::kit::body;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;

/// A text encrypted by the emulator's KMS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KmsEncryptedText {
    /// The URI of the new key (`kms://.../keys/<uuid>`), which the person may retrieve.
    pub key_uri: String,
    /// The compact JWE (`{"enc": "A256GCM", "alg": "dir"}`) of the text.
    pub jwe: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EncryptRequest {
    person_id: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OpenRequest {
    kms_message: String,
}

impl Control {
    /// Encrypts `text` with a new key owned by `person_id` (a Hydra person id or uuid).
    pub(crate) fn kms_encrypt(
        &self,
        person_id: &str,
        text: &str,
    ) -> Result<KmsEncryptedText, ApiError> {
        let owner = ids::decode_uuid(person_id, HydraType::People)
            .ok_or_else(|| ApiError::bad_request(format!("{person_id:?} is not a person id.")))?;
        let (key_uri, jwe) = lock(&self.state.data).kms.encrypt_with_new_key(owner, text);
        Ok(KmsEncryptedText { key_uri, jwe })
    }

    /// The request inside a `kmsMessage` JWE, checked as `world::kms` opens it.
    pub(crate) fn kms_open(&self, kms_message: &str) -> Result<Value, ApiError> {
        lock(&self.state.data)
            .kms
            .open(kms_message)
            .map_err(|err| ApiError::bad_request(err.to_string()))
    }
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &["POST /_emulator/kms/encrypt", "POST /_emulator/kms/open"];

/// The KMS admin routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/kms/encrypt", post(encrypt))
        .route("/_emulator/kms/open", post(open))
        .with_state(control)
}

/// `POST /_emulator/kms/encrypt` with `{"personId", "text"}`: `{"keyUri", "jwe"}`.
async fn encrypt(
    State(control): State<Arc<Control>>,
    raw: Bytes,
) -> Result<Json<KmsEncryptedText>, ApiError> {
    let request: EncryptRequest = body::json(&raw)?;
    Ok(Json(
        control.kms_encrypt(&request.person_id, &request.text)?,
    ))
}

/// `POST /_emulator/kms/open` with `{"kmsMessage"}`: the request it carries.
async fn open(State(control): State<Arc<Control>>, raw: Bytes) -> Result<Json<Value>, ApiError> {
    let request: OpenRequest = body::json(&raw)?;
    Ok(Json(control.kms_open(&request.kms_message)?))
}
