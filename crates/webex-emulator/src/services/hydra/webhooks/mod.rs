//! The Hydra `webhooks` endpoints.
//!
//! Deliveries are made by the [`dispatch::Dispatcher`], a bus subscriber;
//! their bodies are signed and sent by the [`delivery`] worker.

pub(crate) mod delivery;
pub(crate) mod dispatch;
pub(crate) mod render;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::AppState;
use crate::bus::{EventKind, Resource};
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::kit::pagination::{self, List};
use crate::kit::query::Params;
use crate::services::hydra;
use crate::world::Data;
use crate::world::webhooks::Webhook;
use crate::world::webhooks::filter::Filter;

pub(super) fn webhook_json(hook: &Webhook, org_id: &str, app_id: &str) -> Value {
    let mut json = json!({
        "id": ids::uuid_id(HydraType::Webhook, hook.uuid),
        "name": hook.name,
        "targetUrl": hook.target_url,
        "resource": hook.resource.map_or("all", Resource::as_str),
        "event": hook.event.map_or("all", EventKind::as_str),
        "orgId": org_id,
        "createdBy": ids::person_id(hook.owner),
        "appId": app_id,
        "ownedBy": hook.owned_by,
        "status": if hook.active { "active" } else { "inactive" },
        "created": clock::rfc3339_millis(hook.created.time),
    });
    if let Some(object) = json.as_object_mut() {
        if let Some(filter) = &hook.filter_text {
            object.insert("filter".into(), filter.clone().into());
        }
        if let Some(secret) = &hook.secret {
            object.insert("secret".into(), secret.clone().into());
        }
    }
    json
}

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    hydra::collection(
        "webhooks",
        get(list).post(create),
        get(get_one).put(update).delete(remove),
    )
}

/// The body of `POST /webhooks` and `PUT /webhooks/{id}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookBody {
    name: Option<String>,
    target_url: Option<String>,
    resource: Option<String>,
    event: Option<String>,
    filter: Option<String>,
    secret: Option<String>,
    status: Option<String>,
    owned_by: Option<String>,
}

/// Checks a target URL: absolute http or https.
fn target_url(value: Option<&str>) -> Result<String, ApiError> {
    let raw = body::required(value, "targetUrl")?;
    match url::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(raw.to_owned())
        }
        _ => Err(ApiError::bad_request(format!(
            "targetUrl must be an absolute http or https URL, not '{raw}'."
        ))),
    }
}

/// Parses an id: 400 when it is not a webhook id.
fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    ids::decode_uuid(id, HydraType::Webhook)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid webhook id '{id}'.")))
}

/// The caller's webhook, 404 for anyone else's.
fn owned(data: &Data, uuid: Uuid, caller: Uuid) -> Result<Webhook, ApiError> {
    data.webhooks
        .hooks
        .get(&uuid)
        .filter(|hook| hook.owner == caller)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Could not find a webhook with the provided ID."))
}

/// Parses `status`.
fn status(value: Option<&str>, current: bool) -> Result<bool, ApiError> {
    match value {
        None => Ok(current),
        Some("active") => Ok(true),
        Some("inactive") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!(
            "status must be active or inactive, not '{other}'."
        ))),
    }
}

/// `POST /v1/webhooks`.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let request: WebhookBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?.to_owned();
    let target_url = target_url(request.target_url.as_deref())?;
    let resource = match body::required(request.resource.as_deref(), "resource")? {
        "all" => None,
        other => Some(Resource::parse(other).ok_or_else(|| {
            ApiError::bad_request(format!(
                "resource must be messages, memberships, rooms, attachmentActions or all, not '{other}'."
            ))
        })?),
    };
    let event = match body::required(request.event.as_deref(), "event")? {
        "all" => None,
        other => Some(EventKind::parse(other).ok_or_else(|| {
            ApiError::bad_request(format!(
                "event must be created, updated, deleted or all, not '{other}'."
            ))
        })?),
    };
    let filter_text = request.filter.filter(|f| !f.is_empty());
    let filter = match &filter_text {
        Some(text) => Filter::parse(text, resource)?,
        None => Filter::default(),
    };
    let owned_by = match request.owned_by.as_deref() {
        None | Some("creator") => "creator",
        Some("org") => "org",
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "ownedBy must be creator or org, not '{other}'."
            )));
        }
    };
    let active = status(request.status.as_deref(), true)?;
    let mut data = lock(&state.data);
    let created = data.tick();
    let hook = Webhook {
        uuid: Uuid::new_v4(),
        name,
        target_url,
        resource,
        event,
        filter_text,
        filter,
        secret: request.secret.filter(|s| !s.is_empty()),
        active,
        owner: caller.person,
        owned_by: owned_by.to_owned(),
        created,
    };
    let json = webhook_json(&hook, &state.org.hydra_id, &state.org.app_id);
    data.webhooks.hooks.insert(hook.uuid, hook);
    Ok(Json(json))
}

/// `GET /v1/webhooks`: the caller's webhooks, oldest first.
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(100, 1000)?;
    let owned_by = params.get("ownedBy");
    let data = lock(&state.data);
    let items: Vec<_> = data
        .webhooks
        .hooks
        .values()
        .filter(|hook| hook.owner == caller.person)
        .filter(|hook| owned_by.is_none_or(|o| o == hook.owned_by))
        .map(|hook| (pagination::oldest_first_key(hook.created.seq), hook))
        .collect();
    let list = List {
        path: "webhooks",
        params: &params,
        filters: &["ownedBy"],
        max,
    };
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        |hook| webhook_json(hook, &state.org.hydra_id, &state.org.app_id),
        Map::new(),
    ))
}

/// `GET /v1/webhooks/{id}`.
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let data = lock(&state.data);
    let hook = owned(&data, uuid, caller.person)?;
    Ok(Json(webhook_json(
        &hook,
        &state.org.hydra_id,
        &state.org.app_id,
    )))
}

/// `PUT /v1/webhooks/{id}`: name, targetUrl, secret and status.
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let uuid = parse_id(&id)?;
    let request: WebhookBody = body::json(&raw)?;
    let name = body::required(request.name.as_deref(), "name")?.to_owned();
    let target_url = target_url(request.target_url.as_deref())?;
    let mut data = lock(&state.data);
    let mut hook = owned(&data, uuid, caller.person)?;
    hook.active = status(request.status.as_deref(), hook.active)?;
    hook.name = name;
    hook.target_url = target_url;
    if let Some(secret) = request.secret {
        hook.secret = Some(secret).filter(|s| !s.is_empty());
    }
    let json = webhook_json(&hook, &state.org.hydra_id, &state.org.app_id);
    data.webhooks.hooks.insert(uuid, hook);
    Ok(Json(json))
}

/// `DELETE /v1/webhooks/{id}`.
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let uuid = parse_id(&id)?;
    let mut data = lock(&state.data);
    owned(&data, uuid, caller.person)?;
    data.webhooks.hooks.remove(&uuid);
    Ok(StatusCode::NO_CONTENT)
}
