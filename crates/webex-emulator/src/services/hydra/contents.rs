//! Uploaded message files, served at `GET /v1/contents/{id}`.
//!
//! A content id is `CONTENT` with `<messageUuid>/<index>`. Only those who
//! may see the message may download its files. A file spilled to disk is
//! streamed from there.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_util::io::ReaderStream;
use uuid::Uuid;

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::error::ApiError;
use crate::kit::ids;
use crate::kit::lock;
use crate::services::hydra::SPEC;
use crate::world::contents::Stored;

/// The URL clients download a file from, for an emulator at `base`.
pub(crate) fn url(base: &str, message: Uuid, index: usize) -> String {
    format!(
        "{}/contents/{}",
        SPEC.url(base),
        ids::content_id(message, index)
    )
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(&SPEC.path("/contents/{id}"), get(download))
}

/// `Content-Disposition: attachment; filename="..."`, quotes and
/// backslashes escaped; UTF-8 names are sent as raw bytes, as browsers and
/// most clients accept.
fn disposition(filename: &str) -> HeaderValue {
    let escaped: String = filename
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    HeaderValue::from_bytes(format!("attachment; filename=\"{escaped}\"").as_bytes())
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET /v1/contents/{id}`.
async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (message, index) = ids::decode_content(&id)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid content id '{id}'.")))?;
    let data = lock(&state.data);
    let not_found = || ApiError::not_found("Could not find a file with the provided ID.");
    if data.messages.get(message).is_none() {
        return Err(not_found());
    }
    data.visible_message(message, caller.person)?;
    let content = data.contents.get(message, index).ok_or_else(not_found)?;
    let content_type = HeaderValue::from_str(&content.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition(&content.filename)),
        (
            header::CONTENT_LENGTH,
            HeaderValue::from(content.body.len()),
        ),
    ];
    let body = match &content.body {
        Stored::Memory(bytes) => Body::from(bytes.clone()),
        // Opened under the lock, so a message deleted meanwhile still
        // downloads whole; streamed, so the file never sits in RAM.
        Stored::Spilled { path, .. } => {
            let file = std::fs::File::open(path).map_err(|error| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("The emulator could not read the file: {error}."),
                )
            })?;
            Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)))
        }
    };
    Ok((headers, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_are_quoted() {
        assert_eq!(
            disposition("a \"b\".txt").to_str().unwrap(),
            "attachment; filename=\"a \\\"b\\\".txt\""
        );
        assert_eq!(
            disposition("ünï.pdf").as_bytes(),
            "attachment; filename=\"ünï.pdf\"".as_bytes()
        );
        assert_eq!(
            disposition("x\ny").to_str().unwrap(),
            "attachment; filename=\"xy\""
        );
    }
}
