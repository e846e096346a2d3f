//! The Hydra `messages` routes.

use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

mod list;
mod multipart;
mod upload;

use crate::app::AppState;
use crate::bus::EventKind;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::error::ApiError;
use crate::kit::lock;
use crate::services::hydra::SPEC;
use crate::services::hydra::contents;
use crate::views::message_json;
use crate::world::Data;
use crate::world::messages::post::{self as create, FILE_LIMIT, NewMessage};
use crate::world::messages::{not_found, parse_id};
use crate::world::rooms;

/// The body limit of `POST /messages`: a file at the limit plus room for
/// the other fields and the multipart framing.
const BODY_LIMIT: usize = FILE_LIMIT as usize + 1024 * 1024;

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            &SPEC.path("/messages"),
            get(list::list)
                .post(create)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            &SPEC.path("/messages/"),
            get(list::list)
                .post(create)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(&SPEC.path("/messages/direct"), get(list::list_direct))
        .route(
            &SPEC.path("/messages/{id}"),
            get(get_one).put(update).delete(remove),
        )
}

/// `POST /v1/messages`, JSON or multipart.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let new: NewMessage = if multipart::is_multipart(&request) {
        multipart::parse(request, &state).await?
    } else {
        let JsonBody(raw) = JsonBody::from_request(request, &state).await?;
        body::json(&raw)?
    };
    let base = state.endpoint.base_url();
    let mut data = lock(&state.data);
    let file_url = |message, index| contents::url(&base, message, index);
    let uuid = create::post(&mut data, &file_url, caller.person, new)?;
    let message = data.messages.get(uuid).ok_or_else(not_found)?;
    Ok(Json(message_json(&data, message, true)))
}

/// `GET /v1/messages/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id, "message id")?;
    let data = lock(&state.data);
    let message = data.visible_message(uuid, caller.person)?;
    Ok(Json(message_json(&data, message, true)))
}

/// The body of `PUT /messages/{id}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditBody {
    room_id: Option<String>,
    text: Option<String>,
    markdown: Option<String>,
}

/// `PUT /v1/messages/{id}`: the author edits text or markdown.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id, "message id")?;
    let request: EditBody = body::json(&raw)?;
    let room = rooms::parse_id(body::required(request.room_id.as_deref(), "roomId")?)?;
    let text = request.text.as_deref().filter(|t| !t.trim().is_empty());
    let markdown = request.markdown.as_deref().filter(|m| !m.trim().is_empty());
    if text.is_none() && markdown.is_none() {
        return Err(ApiError::bad_request("text or markdown is required."));
    }
    let mut data = lock(&state.data);
    let message = data.visible_message(uuid, caller.person)?;
    if message.room != room {
        return Err(ApiError::bad_request(
            "roomId is not the room of the message.",
        ));
    }
    if message.author != caller.person {
        return Err(ApiError::forbidden("Only the author can edit a message."));
    }
    let shown = create::compose(&data, text, markdown)?;
    let stamp = data.tick();
    if let Some(message) = data.messages.get_mut(uuid) {
        message.text = shown.text;
        message.markdown = shown.markdown;
        message.html = shown.html;
        message.mentioned_people = shown.people;
        message.mentioned_groups = shown.groups;
        message.updated = Some(stamp);
    }
    data.emit_message(uuid, EventKind::Updated, caller.person);
    let message = data.messages.get(uuid).ok_or_else(not_found)?;
    Ok(Json(message_json(&data, message, true)))
}

/// `DELETE /v1/messages/{id}`: the author, or a moderator of a locked room.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = parse_id(&id, "message id")?;
    let mut data = lock(&state.data);
    let message = data.visible_message(uuid, caller.person)?;
    let room = data.member_room(message.room, caller.person)?;
    let moderator = data.is_locked(room.uuid)
        && data
            .memberships
            .get(room.uuid, caller.person)
            .is_some_and(|m| m.moderator);
    if message.author != caller.person && !moderator {
        return Err(ApiError::forbidden(
            "Only the author or a moderator can delete a message.",
        ));
    }
    data.emit_message(uuid, EventKind::Deleted, caller.person);
    let Data {
        messages, contents, ..
    } = &mut *data;
    messages.remove(uuid, contents);
    Ok(StatusCode::NO_CONTENT)
}
