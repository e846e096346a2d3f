//! Admin read of the client logs uploaded so far, so tests can check what
//! a client's log upload sent.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Control;
use crate::kit::ids;
use crate::kit::lock;
use crate::world::client_logs::ClientLog;

/// One client-log upload slot, as the admin API lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClientLogUpload {
    /// The slot's id (the last segment of its upload URL).
    pub id: String,
    /// The Hydra id of the person who asked for the upload URL.
    pub person_id: String,
    /// The file name the client asked for.
    pub file: String,
    /// Whether the log itself has arrived.
    pub uploaded: bool,
    /// The uploaded text (invalid UTF-8 replaced); empty before the upload.
    pub text: String,
    /// The metadata posted for the file (`feedbackId`, `locusId`, ...).
    pub meta: Map<String, Value>,
}

impl ClientLogUpload {
    fn of(log: &ClientLog) -> Self {
        Self {
            id: log.id.to_string(),
            person_id: ids::person_id(log.owner),
            file: log.file.clone(),
            uploaded: log.content.is_some(),
            text: log
                .content
                .as_deref()
                .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default(),
            meta: log.meta.iter().cloned().collect(),
        }
    }
}

impl Control {
    /// Every client-log upload slot still kept, oldest first.
    pub(crate) fn client_logs(&self) -> Vec<ClientLogUpload> {
        lock(&self.state.data)
            .client_logs
            .all()
            .map(ClientLogUpload::of)
            .collect()
    }
}

/// The admin operations this module routes (see [`super::operations`]).
pub(crate) const OPERATIONS: &[&str] = &["GET /_emulator/client-logs"];

/// The client-log admin routes.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(control: Arc<Control>) -> Router<S> {
    Router::new()
        .route("/_emulator/client-logs", get(list))
        .with_state(control)
}

/// `GET /_emulator/client-logs`: `{"items": [...]}`, oldest first.
async fn list(State(control): State<Arc<Control>>) -> Json<Value> {
    Json(json!({"items": control.client_logs()}))
}
