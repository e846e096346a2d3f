//! The encryption service, the front of the key management service (KMS):
//! `GET {encryption}/kms/{userId}` (discovery: the KMS cluster and its RSA JWK with a
//! self-signed certificate) and `POST {encryption}/kms/messages` (a batch of KMS requests;
//! every answer goes back over Mercury as an `encryption.kms_message` event to the device
//! the request names, never in the HTTP answer). The KMS itself is `world::kms`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::bus::{Audience, Envelope, Payload};
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::{Listing, ServiceSpec};

/// The Mercury event type of KMS answers.
const KMS_MESSAGE: &str = "encryption.kms_message";

/// The encryption service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "encryption",
    base_path: "/encryption/api/v1",
    listing: Listing::Base,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/kms/messages"), post(messages))
        .route(&SPEC.path("/kms/{user_id}"), get(discovery))
}

/// `GET /kms/{userId}`: `{"kmsCluster", "rsaPublicKey"}`.
async fn discovery(
    State(state): State<AppState>,
    _caller: Caller,
    Path(_user_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let data = lock(&state.data);
    data.kms
        .discovery()
        .map(Json)
        .map_err(|err| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Batch {
    #[serde(default)]
    kms_messages: Vec<String>,
}

/// The device a `clientId` (a WDM device URL) names.
fn device_of(client_id: &str) -> Option<Uuid> {
    client_id
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// `POST /kms/messages`: handles each request; answers go to the requesting devices over
/// Mercury. A message the KMS cannot open at all (no answer can be encrypted for it) makes
/// the whole call a 400 naming it, after the others were handled.
async fn messages(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Response, ApiError> {
    let batch: Batch = body::json(&raw)?;
    let mut data = lock(&state.data);
    let mut answers: HashMap<Uuid, Vec<Value>> = HashMap::new();
    let mut failures = Vec::new();
    for (index, message) in batch.kms_messages.iter().enumerate() {
        let world = &mut *data;
        let tokens = &world.tokens;
        let handled = world.kms.handle(message, caller.person, |token| {
            tokens.get(token).map(|info| info.person)
        });
        match handled {
            Ok((answer, client_id)) => {
                let device = device_of(&client_id)
                    .filter(|device| data.devices.owned(*device, caller.person).is_some());
                match device {
                    Some(device) => answers.entry(device).or_default().push(answer.into()),
                    None => failures.push(format!(
                        "kmsMessages[{index}]: clientId {client_id} is not a device of the caller"
                    )),
                }
            }
            Err(err) => failures.push(format!("kmsMessages[{index}]: {err}")),
        }
    }
    for (device, messages) in answers {
        data.post(Envelope {
            audience: Audience::Device(device),
            payload: Payload::Mercury {
                event_type: KMS_MESSAGE,
                data: json!({"eventType": KMS_MESSAGE, "encryption": {"kmsMessages": messages}}),
            },
        });
    }
    if !failures.is_empty() {
        return Err(ApiError::bad_request(failures.join("; ")));
    }
    Ok(StatusCode::ACCEPTED.into_response())
}
