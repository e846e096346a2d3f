//! The Hydra `people` endpoints.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::kit::auth::Caller;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::lock;
use crate::kit::pagination::{self, List};
use crate::kit::query::Params;
use crate::services::hydra;
use crate::services::hydra::SPEC;
use crate::services::hydra::avatars;
use crate::world::people::Person;

/// A person as Hydra returns it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersonJson {
    id: String,
    emails: Vec<String>,
    phone_numbers: Vec<Value>,
    display_name: String,
    nick_name: String,
    first_name: String,
    last_name: String,
    org_id: String,
    created: String,
    last_modified: String,
    last_activity: String,
    status: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    avatar: String,
}

impl From<PersonJson> for Value {
    fn from(person: PersonJson) -> Self {
        serde_json::to_value(person).unwrap_or(Value::Null)
    }
}

impl PersonJson {
    /// `person` of the org `org_id`, in an emulator at `base`.
    pub(super) fn new(person: &Person, org_id: &str, base: &str) -> Self {
        // There is no directory behind the emulator; splitting at the first
        // space is a good enough guess at first and last names.
        let (first, last) = person
            .display_name
            .split_once(char::is_whitespace)
            .map_or((person.display_name.as_str(), ""), |(f, l)| (f, l.trim()));
        let created = clock::rfc3339_millis(person.created);
        Self {
            id: ids::person_id(person.uuid),
            emails: vec![person.email.clone()],
            phone_numbers: Vec::new(),
            display_name: person.display_name.clone(),
            nick_name: first.to_owned(),
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            org_id: org_id.to_owned(),
            last_modified: created.clone(),
            last_activity: created.clone(),
            created,
            status: "active",
            kind: person.kind.as_str(),
            avatar: avatars::url_of(person, base),
        }
    }
}

/// The Hydra `people` routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        // The JS SDK's batcher asks for `people/?id=...`.
        .route(&SPEC.path("/people"), get(list))
        .route(&SPEC.path("/people/"), get(list))
        .route(&SPEC.path("/people/me"), get(get_me))
        .route(&SPEC.path("/people/{id}"), get(get_person))
}

/// `GET /v1/people`: by `id` (comma list, answering `notFoundIds` with the
/// requested strings verbatim), `email` (exact), `displayName` (prefix) and
/// `orgId`; one of the first three is required, as on Webex.
async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    let max = params.max(100, 1000)?;
    let ids = params.get("id");
    let email = params.get("email").map(str::to_lowercase);
    let name = params.get("displayName").map(str::to_lowercase);
    if ids.is_none() && email.is_none() && name.is_none() {
        return Err(ApiError::bad_request(
            "Email, displayName, or id list should be specified.",
        ));
    }
    let org_ok = params
        .get("orgId")
        .is_none_or(|org| org == state.org.hydra_id || org == state.org.uuid.to_string());
    let data = lock(&state.data);
    let matches = |person: &Person| {
        org_ok
            && email
                .as_deref()
                .is_none_or(|email| person.email.to_lowercase() == email)
            && name
                .as_deref()
                .is_none_or(|name| person.display_name.to_lowercase().starts_with(name))
    };
    let mut not_found = Vec::new();
    let mut items: Vec<(String, &Person)> = Vec::new();
    match ids {
        Some(ids) => {
            for (index, requested) in ids.split(',').enumerate() {
                let found = ids::decode_uuid(requested.trim(), HydraType::People)
                    .and_then(|uuid| data.people.get(uuid))
                    .filter(|person| matches(person));
                match found {
                    Some(person) => {
                        items.push((pagination::oldest_first_key(index as u64), person))
                    }
                    None => not_found.push(Value::from(requested)),
                }
            }
        }
        None => {
            for (index, person) in data.people.all().filter(|(_, p)| matches(p)) {
                items.push((pagination::oldest_first_key(index as u64), person));
            }
        }
    }
    let mut extra = Map::new();
    if ids.is_some() {
        extra.insert("notFoundIds".to_owned(), Value::Array(not_found));
    }
    let list = List {
        path: "people",
        params: &params,
        filters: &["id", "email", "displayName", "orgId"],
        max,
    };
    let base = state.endpoint.base_url();
    let to_json = |person| Value::from(PersonJson::new(person, &state.org.hydra_id, &base));
    Ok(pagination::list(
        &hydra::url(&state),
        list,
        items,
        to_json,
        extra,
    ))
}

/// `GET /v1/people/me`.
async fn get_me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<PersonJson>, ApiError> {
    let data = lock(&state.data);
    // A token whose person is gone is as good as an unknown token.
    let person = data
        .people
        .get(caller.person)
        .ok_or_else(ApiError::unauthorized)?;
    Ok(Json(PersonJson::new(
        person,
        &state.org.hydra_id,
        &state.endpoint.base_url(),
    )))
}

/// `GET /v1/people/{id}`.
async fn get_person(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PersonJson>, ApiError> {
    let uuid = ids::decode_uuid(&id, HydraType::People)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid person id '{id}'.")))?;
    let data = lock(&state.data);
    let person = data
        .people
        .get(uuid)
        .ok_or_else(|| ApiError::not_found(format!("Person '{id}' not found.")))?;
    Ok(Json(PersonJson::new(
        person,
        &state.org.hydra_id,
        &state.endpoint.base_url(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::Bus;
    use crate::world::people::{NewPerson, PersonType};
    use crate::world::{Data, Org};

    #[test]
    fn hydra_json() {
        let mut data = Data::new(Org::new(), Bus::default());
        let alice = data
            .create_person(NewPerson {
                display_name: "Alice van Example".to_owned(),
                email: "alice@example.com".to_owned(),
                kind: PersonType::Person,
            })
            .unwrap();
        let uuid = ids::decode_uuid(&alice.id, HydraType::People).unwrap();
        let json = serde_json::to_value(PersonJson::new(
            data.people.get(uuid).unwrap(),
            "org",
            "http://e",
        ))
        .unwrap();
        assert_eq!(json["firstName"], "Alice");
        assert_eq!(json["lastName"], "van Example");
        assert_eq!(json["emails"][0], "alice@example.com");
        assert_eq!(json["phoneNumbers"], serde_json::json!([]));
        assert_eq!(json["type"], "person");
        assert_eq!(json["avatar"], format!("http://e/avatars/{uuid}"));
        assert!(json["created"].as_str().unwrap().ends_with('Z'));
    }
}
