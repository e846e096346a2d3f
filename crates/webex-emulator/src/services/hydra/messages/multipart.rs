//! `multipart/form-data` messages: the JS SDK's form for uploads.
//!
//! Every field is a text part (`roomId`, `toPersonEmail`, `text`,
//! `markdown`, `parentId`, ...); each file is a part named `files`, with a
//! filename in browsers and often without one from Node's form-data (then
//! it is stored as `file`). A `files` part holding just a URL is a URL.

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use serde_json::Value;

use super::upload;
use crate::app::AppState;
use crate::kit::error::ApiError;
use crate::world::contents::Stored;
use crate::world::messages::post::{NewMessage, Upload};

/// The name of an uploaded file whose part has no filename.
const UNNAMED: &str = "file";

/// Whether a request carries a multipart body.
pub(super) fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// A multipart error as a Webex error; a body over the limit is a 413.
pub(super) fn rejected(error: &MultipartError) -> ApiError {
    ApiError::new(
        error.status(),
        format!("Invalid multipart body: {}.", error.body_text()),
    )
}

/// Reads a text field.
async fn text(field: Field<'_>) -> Result<String, ApiError> {
    field.text().await.map_err(|error| rejected(&error))
}

/// Parses a multipart message body.
pub(super) async fn parse(request: Request, state: &AppState) -> Result<NewMessage, ApiError> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let mut message = NewMessage::default();
    let mut urls = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| rejected(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let filename = field.file_name().map(str::to_owned);
            let content_type = field
                .content_type()
                .map(str::to_owned)
                .filter(|ct| !ct.is_empty());
            let shown_name = filename.as_deref().unwrap_or(UNNAMED).to_owned();
            let body = upload::receive(field, &shown_name, state).await?;
            // A part without a filename holding a URL is a URL; anything
            // else is a file (Node's form-data sends Buffers unnamed).
            if filename.is_none()
                && let Stored::Memory(bytes) = &body
                && let Some(url) = std::str::from_utf8(bytes)
                    .ok()
                    .map(str::trim)
                    .filter(|text| text.starts_with("http://") || text.starts_with("https://"))
            {
                urls.push(Value::String(url.to_owned()));
                continue;
            }
            let filename = shown_name;
            let content_type = content_type.unwrap_or_else(|| {
                mime_guess::from_path(&filename)
                    .first_or_octet_stream()
                    .to_string()
            });
            message.uploads.push(Upload {
                filename,
                content_type,
                body,
            });
            continue;
        }
        let value = text(field).await?;
        match name.as_str() {
            "roomId" => message.room_id = Some(value),
            "toPersonId" => message.to_person_id = Some(value),
            "toPersonEmail" => message.to_person_email = Some(value),
            "parentId" => message.parent_id = Some(value),
            "text" => message.text = Some(value),
            "markdown" => message.markdown = Some(value),
            "attachments" => {
                let parsed = serde_json::from_str(&value).map_err(|error| {
                    ApiError::bad_request(format!("attachments is not JSON: {error}."))
                })?;
                message.attachments = Some(parsed);
            }
            // Other fields are ignored, as unknown JSON fields are.
            _ => {}
        }
    }
    if !urls.is_empty() {
        message.files = Some(Value::Array(urls));
    }
    Ok(message)
}
