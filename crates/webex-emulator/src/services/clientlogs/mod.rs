//! The client-log upload service (`docs/protocol/client-logs.md`): a
//! client asks for an upload URL, puts its log text there without
//! authentication, then posts the log's metadata (feedback id, locus id,
//! correlation id, ...). The JS SDK does this after every meeting.
//!
//! What was uploaded is kept in the world (bounded) for the admin API
//! (`GET /_emulator/client-logs`).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::kit::service::{Listing, ServiceSpec};

/// The client-log service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "clientLogs",
    base_path: "/clientlogs/api/v1",
    listing: Listing::Base,
};

/// Where upload URLs point: outside the service's API, as the real
/// service hands out storage URLs that take no token.
const UPLOAD_PATH: &str = "/clientlogs/upload";

/// The largest upload accepted, in MiB (also told to clients as
/// `fileUploadSizeLimit`).
const MAX_UPLOAD_MIB: usize = 16;

/// The routes: `logs/urls` and `logs/meta` need a token, the upload does not.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/logs/urls"), post(open))
        .route(&SPEC.path("/logs/meta"), post(describe))
        .route(
            &format!("{UPLOAD_PATH}/{{id}}"),
            put(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_MIB * 1024 * 1024)),
        )
}

/// `POST logs/urls` body.
#[derive(Deserialize)]
struct UrlsRequest {
    file: Option<String>,
}

/// `POST logs/urls`: a fresh upload URL for `file`.
async fn open(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: UrlsRequest = body::json(&raw)?;
    let file = body::required(request.file.as_deref(), "file")?;
    let id = lock(&state.data).client_logs.open(caller.person, file);
    Ok(Json(json!({
        "tempURL": format!("{}{UPLOAD_PATH}/{id}", state.endpoint.base_url()),
        "logFilename": file,
        "userId": caller.person.to_string(),
        "fileUploadSizeLimit": MAX_UPLOAD_MIB,
    })))
}

/// `PUT <tempURL>`: the log text, stored as sent.
async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    content: Bytes,
) -> Result<StatusCode, ApiError> {
    let unknown = || ApiError::not_found("No upload URL with this id was handed out.");
    let id = Uuid::try_parse(&id).map_err(|_| unknown())?;
    if lock(&state.data).client_logs.upload(id, content.to_vec()) {
        Ok(StatusCode::OK)
    } else {
        Err(unknown())
    }
}

/// `POST logs/meta` body.
#[derive(Deserialize)]
struct MetaRequest {
    filename: Option<String>,
    #[serde(default)]
    data: Vec<MetaEntry>,
}

/// One `{key, value}` of the metadata.
#[derive(Deserialize)]
struct MetaEntry {
    key: String,
    value: Value,
}

/// `POST logs/meta`: attaches the metadata to the caller's upload of
/// `filename`.
async fn describe(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: MetaRequest = body::json(&raw)?;
    let file = body::required(request.filename.as_deref(), "filename")?;
    let meta: Vec<(String, Value)> = request
        .data
        .into_iter()
        .map(|entry| (entry.key, entry.value))
        .collect();
    let attached = lock(&state.data)
        .client_logs
        .describe(caller.person, file, &meta);
    if attached == 0 {
        return Err(ApiError::not_found(format!(
            "No log named {file:?} was uploaded by the caller."
        )));
    }
    Ok(Json(json!({})))
}
