//! The slice of the conversation service the JS SDK's read-status calls
//! use (`rooms.listWithReadStatus`, `rooms.getWithReadStatus`,
//! `memberships.listWithReadStatus`, `memberships.updateLastSeen`), plus
//! `GET messages/<uuid>` and `GET attachment/actions/<uuid>`, which webex-bot
//! reads to turn a `post` or `cardAction` activity's uuid into a Hydra id.
//!
//! Conversations are rooms, addressed by their bare uuid. Everything is
//! plaintext: no `encryptionKeyUrl` is ever set, so clients do not decrypt.
//! Each conversation does name its KMS resource object
//! (`kmsResourceObjectUrl`), on which its members are authorized, so that
//! clients can authorize others on it (a paired device showing the space).
//! The same routes answer on `localhost:PORT`, the catalog's
//! `identityLookup` host.
//!
//! The service also renders what happens in rooms as the
//! `conversation.activity` events Mercury pushes ([`activity`]).

pub(crate) mod activity;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use self::activity::Activities;
use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::body::{self, JsonBody};
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::kit::query::Params;
use crate::kit::service::{Listing, ServiceSpec};
use crate::views::{message_json, visible_action_json};
use crate::world::Data;
use crate::world::messages;
use crate::world::people::PersonType;
use crate::world::rooms::{self, Room, RoomKind};

/// The conversation service.
pub(crate) const SPEC: ServiceSpec = ServiceSpec {
    name: "conversation",
    base_path: "/conversation/api/v1",
    listing: Listing::Base,
};

/// The routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(&SPEC.path("/conversations"), get(list))
        .route(&SPEC.path("/conversations/{id}"), get(get_one))
        .route(
            &SPEC.path("/conversations/{id}/activities"),
            post(acknowledge),
        )
        .route(&SPEC.path("/messages/{id}"), get(message))
        .route(
            &SPEC.path("/attachment/actions/{id}"),
            get(attachment_action),
        )
}

/// The renderer of activities for an emulator at `base_url`.
pub(crate) fn renderer(base_url: &str) -> Activities {
    Activities::new(SPEC.url(base_url))
}

/// The service's base URL.
fn base(state: &AppState) -> String {
    SPEC.url(&state.endpoint.base_url())
}

/// A conversation's tags as `viewer` sees them; without a viewer, the tags
/// every member sees (no `HIDDEN`).
pub(crate) fn tags(data: &Data, room: &Room, viewer: Option<Uuid>) -> Vec<&'static str> {
    let mut tags = Vec::new();
    if room.kind == RoomKind::Direct {
        tags.push("ONE_ON_ONE");
    }
    if data.is_locked(room.uuid) {
        tags.push("LOCKED");
    }
    if viewer
        .and_then(|viewer| data.memberships.get(room.uuid, viewer))
        .is_some_and(|m| m.hidden)
    {
        tags.push("HIDDEN");
    }
    if room.team.is_some() {
        tags.push("TEAM");
    }
    tags
}

/// A person as the conversation service (and Mercury) writes them.
///
/// `type` is the identity's entity type: `PERSON` for people, `ROBOT` for
/// bots. Bot frameworks read it on an activity's `actor` (webex-bot drops
/// messages whose actor is not a `PERSON`, so that bots do not answer each
/// other).
pub(crate) fn person_json(data: &Data, person: Uuid) -> Value {
    let found = data.people.get(person);
    let email = found.map(|p| p.email.to_lowercase()).unwrap_or_default();
    let entity_type = match found.map(|p| p.kind) {
        Some(PersonType::Bot) => "ROBOT",
        _ => "PERSON",
    };
    json!({
        "objectType": "person",
        "type": entity_type,
        "id": person.to_string(),
        "entryUUID": person.to_string(),
        "emailAddress": email,
        "entryEmail": email,
        "entryEmailAddress": email,
        "displayName": found.map(|p| p.display_name.clone()).unwrap_or_default(),
        "orgId": data.org.uuid.to_string(),
    })
}

/// The conversation object of a room, as `viewer` sees it.
fn conversation_json(
    data: &Data,
    base: &str,
    room: &Room,
    viewer: Uuid,
    participants: bool,
) -> Value {
    let title = data.room_title(room, viewer);
    let last = clock::rfc3339_millis(room.last_activity.time);
    let mut json = json!({
        "objectType": "conversation",
        "id": room.uuid.to_string(),
        "url": format!("{base}/conversations/{}", room.uuid),
        "globalId": ids::uuid_id(HydraType::Room, room.uuid),
        "displayName": title,
        "computedTitle": title,
        "tags": tags(data, room, Some(viewer)),
        "published": clock::rfc3339_millis(room.created.time),
        "lastReadableActivityDate": last,
        "lastRelevantActivityDate": last,
        "activities": {"items": []},
        "participants": {"items": []},
    });
    let Some(object) = json.as_object_mut() else {
        return json;
    };
    if let Some(resource) = data.kms.room_resource(room.uuid) {
        object.insert("kmsResourceObjectUrl".into(), resource.into());
    }
    if let Some((_, seen)) = data
        .memberships
        .get(room.uuid, viewer)
        .and_then(|m| m.last_seen)
    {
        object.insert(
            "lastSeenActivityDate".into(),
            clock::rfc3339_millis(seen).into(),
        );
    }
    if participants {
        let items: Vec<Value> = data
            .memberships
            .of_room(room.uuid)
            .map(|m| {
                let mut person = person_json(data, m.person);
                let mut properties = json!({"isModerator": m.moderator});
                if let (Some((activity, seen)), Some(fields)) =
                    (m.last_seen, properties.as_object_mut())
                {
                    fields.insert("lastSeenActivityUUID".into(), activity.to_string().into());
                    fields.insert(
                        "lastSeenActivityDate".into(),
                        clock::rfc3339_millis(seen).into(),
                    );
                }
                if let Some(fields) = person.as_object_mut() {
                    fields.insert("roomProperties".into(), properties);
                }
                person
            })
            .collect();
        object.insert("participants".into(), json!({ "items": items }));
    }
    json
}

/// `GET /conversations`: the caller's conversations, most recent activity
/// first, honouring `conversationsLimit` and `sinceDate` (epoch ms).
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let limit = match params.get("conversationsLimit") {
        Some(raw) => raw.parse::<usize>().map_err(|_| {
            ApiError::bad_request(format!("conversationsLimit must be a number, not '{raw}'."))
        })?,
        None => 1000,
    };
    let since = match params.get("sinceDate") {
        Some(raw) => Some(raw.parse::<u64>().map_err(|_| {
            ApiError::bad_request(format!(
                "sinceDate must be epoch milliseconds, not '{raw}'."
            ))
        })?),
        None => None,
    };
    let participants = params
        .get("participantsLimit")
        .is_none_or(|limit| limit != "0");
    let base = base(&state);
    let data = lock(&state.data);
    let mut rooms: Vec<&Room> = data
        .rooms
        .all()
        .filter(|room| data.is_member(room.uuid, caller.person))
        .filter(|room| {
            since.is_none_or(|since| clock::unix_millis(room.last_activity.time) >= since)
        })
        .collect();
    rooms.sort_by_key(|room| std::cmp::Reverse(room.last_activity.seq));
    let items: Vec<Value> = rooms
        .into_iter()
        .take(limit)
        .map(|room| conversation_json(&data, &base, room, caller.person, participants))
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /conversations/{uuid}`: with participants unless
/// `includeParticipants=false` (and always with `participantAckFilter`).
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let uuid = rooms::parse_id(&id)?;
    let participants = params.get("participantAckFilter").is_some()
        || params.flag("includeParticipants")?.unwrap_or(true);
    let base = base(&state);
    let data = lock(&state.data);
    let room = data.member_room(uuid, caller.person)?;
    Ok(Json(conversation_json(
        &data,
        &base,
        room,
        caller.person,
        participants,
    )))
}

/// The part of a posted activity the emulator reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivityBody {
    verb: Option<String>,
    object: Option<Value>,
    client_temp_id: Option<String>,
}

/// `POST /conversations/{uuid}/activities`: only `acknowledge`, which
/// moves the caller's read marker forward to the acknowledged message.
async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let room_uuid = rooms::parse_id(&id)?;
    let request: ActivityBody = body::json(&raw)?;
    let verb = body::required(request.verb.as_deref(), "verb")?;
    if verb != "acknowledge" {
        return Err(ApiError::bad_request(format!(
            "The emulator's conversation service supports only the acknowledge verb, not '{verb}'."
        )));
    }
    let object_id = request
        .object
        .as_ref()
        .and_then(|object| object.get("id"))
        .and_then(Value::as_str);
    let message_uuid = messages::parse_id(body::required(object_id, "object.id")?, "object.id")?;
    let base = base(&state);
    let mut data = lock(&state.data);
    let room = data.member_room(room_uuid, caller.person)?.clone();
    let message = data.visible_message(message_uuid, caller.person)?;
    if message.room != room_uuid {
        return Err(messages::not_found());
    }
    let (seq, time) = (message.created.seq, message.created.time);
    let newer = |current: Option<(Uuid, std::time::SystemTime)>| {
        current.is_none_or(|(seen, _)| {
            data.messages
                .seq_of(seen)
                .is_none_or(|seen_seq| seen_seq < seq)
        })
    };
    let current = data
        .memberships
        .get(room_uuid, caller.person)
        .and_then(|m| m.last_seen);
    if newer(current)
        && let Some(membership) = data.memberships.get_mut(room_uuid, caller.person)
    {
        membership.last_seen = Some((message_uuid, time));
    }
    let published = data.tick();
    let activity_uuid = Uuid::new_v4();
    let mut json = json!({
        "objectType": "activity",
        "id": activity_uuid.to_string(),
        "url": format!("{base}/activities/{activity_uuid}"),
        "verb": "acknowledge",
        "published": clock::rfc3339_millis(published.time),
        "actor": person_json(&data, caller.person),
        "object": {"objectType": "activity", "id": message_uuid.to_string()},
        "target": {
            "objectType": "conversation",
            "id": room_uuid.to_string(),
            "url": format!("{base}/conversations/{room_uuid}"),
            "tags": tags(&data, &room, Some(caller.person)),
        },
    });
    if let (Some(temp), Some(object)) = (request.client_temp_id, json.as_object_mut()) {
        object.insert("clientTempId".into(), temp.into());
    }
    // Read receipts go to everyone who sees the message (the JS SDK's
    // `memberships:seen`).
    let audience = data.audience_of_message(message_uuid);
    if !audience.is_empty() {
        data.post(activity::envelope(audience, json.clone()));
    }
    Ok(Json(json))
}

/// `GET /messages/{uuid}`: the Hydra message, as webex-bot reads it.
async fn message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let uuid = messages::parse_id(&id, "message id")?;
    let data = lock(&state.data);
    let message = data.visible_message(uuid, caller.person)?;
    Ok(Json(message_json(&data, message, true)))
}

/// `GET /attachment/actions/{uuid}`: the Hydra attachment action, as
/// webex-bot reads it for a `cardAction` activity.
async fn attachment_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let data = lock(&state.data);
    Ok(Json(visible_action_json(&data, &id, caller.person)?))
}
