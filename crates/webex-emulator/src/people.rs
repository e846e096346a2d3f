//! People and bots: the store, the admin "create" operation and the Hydra
//! `people` endpoints.

use std::collections::HashMap;
use std::time::SystemTime;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::kit::auth::Caller;
use crate::kit::clock;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};
use crate::kit::pagination::{self, List};
use crate::kit::query::Params;
use crate::state::{AppState, Data, Shared, lock};

/// Whether an account is a person or a bot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonType {
    /// A human user (`"person"`).
    #[default]
    Person,
    /// A bot account (`"bot"`).
    Bot,
}

impl PersonType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Bot => "bot",
        }
    }
}

/// A person (or bot) to create; the body of `POST /_emulator/people`.
///
/// Wire form: `{"displayName": "...", "email": "...", "type": "person"}`,
/// where `type` is `person` (the default) or `bot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPerson {
    /// Full name, e.g. `Alice Example`; first and last names are derived from
    /// it.
    pub display_name: String,
    /// Primary email address; unique (case-insensitive) in the emulator.
    pub email: String,
    /// Person or bot.
    #[serde(rename = "type", default)]
    pub kind: PersonType,
}

/// A created person with an access token for it; the answer of
/// `POST /_emulator/people`.
///
/// Wire form: `{"id", "email", "displayName", "orgId", "accessToken"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedPerson {
    /// The person's Hydra id (base64 of `ciscospark://us/PEOPLE/<uuid>`).
    pub id: String,
    /// The email address, trimmed of surrounding whitespace.
    pub email: String,
    /// The display name, trimmed of surrounding whitespace.
    pub display_name: String,
    /// The org's Hydra id, as Hydra's `orgId` fields show it.
    pub org_id: String,
    /// A bearer token acting for this person, shaped like a real one:
    /// `<64 alphanumerics>_PF84_<org uuid>`.
    pub access_token: String,
}

/// Why a person could not be created.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CreatePersonError {
    /// The display name is empty.
    #[error("displayName must not be empty.")]
    EmptyDisplayName,
    /// The email is not of the form `local@domain`.
    #[error("email '{0}' is not a valid email address.")]
    InvalidEmail(String),
    /// Someone already has this email.
    #[error("A person with email '{0}' already exists.")]
    DuplicateEmail(String),
}

impl From<CreatePersonError> for ApiError {
    fn from(error: CreatePersonError) -> Self {
        match error {
            CreatePersonError::DuplicateEmail(_) => Self::conflict(error.to_string()),
            _ => Self::bad_request(error.to_string()),
        }
    }
}

/// A stored person.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub(crate) uuid: Uuid,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) kind: PersonType,
    pub(crate) created: SystemTime,
}

/// All people, in creation order, indexed by uuid and by lower-cased email.
#[derive(Default)]
pub(crate) struct PeopleStore {
    people: Vec<Person>,
    by_uuid: HashMap<Uuid, usize>,
    by_email: HashMap<String, usize>,
}

impl PeopleStore {
    /// Adds a person unless the email is taken.
    fn insert(&mut self, person: Person) -> Result<(), CreatePersonError> {
        let email_key = person.email.to_lowercase();
        if self.by_email.contains_key(&email_key) {
            return Err(CreatePersonError::DuplicateEmail(person.email));
        }
        let index = self.people.len();
        self.by_uuid.insert(person.uuid, index);
        self.by_email.insert(email_key, index);
        self.people.push(person);
        Ok(())
    }

    /// The person with this uuid.
    pub(crate) fn get(&self, uuid: Uuid) -> Option<&Person> {
        self.by_uuid.get(&uuid).and_then(|&i| self.people.get(i))
    }

    /// The person with this email (case-insensitive).
    pub(crate) fn by_email(&self, email: &str) -> Option<&Person> {
        self.by_email
            .get(&email.trim().to_lowercase())
            .and_then(|&i| self.people.get(i))
    }

    /// Everyone, in creation order.
    pub(crate) fn all(&self) -> impl Iterator<Item = (usize, &Person)> {
        self.people.iter().enumerate()
    }
}

impl Data {
    /// The person a request names by `personId` or `personEmail` (or
    /// `toPersonId`/`toPersonEmail`): 400 for neither or a bad id, 404 for
    /// nobody.
    pub(crate) fn person_by_id_or_email(
        &self,
        id: Option<&str>,
        email: Option<&str>,
    ) -> Result<Uuid, ApiError> {
        let id = id.filter(|id| !id.is_empty());
        let email = email.filter(|email| !email.is_empty());
        let by_id = match id {
            Some(id) => {
                let uuid = ids::decode_uuid(id, HydraType::People)
                    .ok_or_else(|| ApiError::bad_request(format!("Invalid personId '{id}'.")))?;
                let person = self
                    .people
                    .get(uuid)
                    .ok_or_else(|| ApiError::not_found(format!("Person '{id}' not found.")))?;
                Some(person.uuid)
            }
            None => None,
        };
        let by_email = match email {
            Some(email) => Some(
                self.people
                    .by_email(email)
                    .map(|person| person.uuid)
                    .ok_or_else(|| {
                        ApiError::not_found(format!("No person with email '{email}'."))
                    })?,
            ),
            None => None,
        };
        match (by_id, by_email) {
            (Some(a), Some(b)) if a != b => Err(ApiError::bad_request(
                "personId and personEmail name different people.",
            )),
            (Some(uuid), _) | (None, Some(uuid)) => Ok(uuid),
            (None, None) => Err(ApiError::bad_request(
                "personId or personEmail is required.",
            )),
        }
    }
}

/// Creates a person and issues a token; shared by the admin route and
/// [`crate::Emulator::create_person`].
pub(crate) fn create(
    shared: &Shared,
    request: NewPerson,
) -> Result<CreatedPerson, CreatePersonError> {
    let display_name = request.display_name.trim();
    if display_name.is_empty() {
        return Err(CreatePersonError::EmptyDisplayName);
    }
    let email = request.email.trim();
    if !is_plausible_email(email) {
        return Err(CreatePersonError::InvalidEmail(request.email));
    }
    let person = Person {
        uuid: Uuid::new_v4(),
        email: email.to_owned(),
        display_name: display_name.to_owned(),
        kind: request.kind,
        created: SystemTime::now(),
    };
    let uuid = person.uuid;
    let mut data = lock(&shared.data);
    data.people.insert(person)?;
    let access_token = data.tokens.issue(uuid, shared.org.uuid);
    Ok(CreatedPerson {
        id: ids::person_id(uuid),
        email: email.to_owned(),
        display_name: display_name.to_owned(),
        org_id: shared.org.hydra_id.clone(),
        access_token,
    })
}

/// `local@domain` with both parts non-empty and no whitespace: enough to
/// catch mix-ups of arguments without rejecting unusual test addresses.
fn is_plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

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
}

impl From<PersonJson> for Value {
    fn from(person: PersonJson) -> Self {
        serde_json::to_value(person).unwrap_or(Value::Null)
    }
}

impl PersonJson {
    fn new(person: &Person, org_id: &str) -> Self {
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
        }
    }
}

/// The Hydra `people` routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        // The JS SDK's batcher asks for `people/?id=...`.
        .route("/v1/people", get(list))
        .route("/v1/people/", get(list))
        .route("/v1/people/me", get(get_me))
        .route("/v1/people/{id}", get(get_person))
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
    let to_json = |person| Value::from(PersonJson::new(person, &state.org.hydra_id));
    Ok(pagination::list(
        &state.endpoint,
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
    Ok(Json(PersonJson::new(person, &state.org.hydra_id)))
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
    Ok(Json(PersonJson::new(person, &state.org.hydra_id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Endpoint;

    fn shared() -> Shared {
        Shared::new(Endpoint::for_bound("127.0.0.1:1".parse().unwrap()))
    }

    fn new_person(name: &str, email: &str) -> NewPerson {
        NewPerson {
            display_name: name.to_owned(),
            email: email.to_owned(),
            kind: PersonType::Person,
        }
    }

    #[test]
    fn wire_format() {
        let parsed: NewPerson =
            serde_json::from_str(r#"{"displayName":"A","email":"a@x"}"#).unwrap();
        assert_eq!(parsed.kind, PersonType::Person);
        let bot: NewPerson =
            serde_json::from_str(r#"{"displayName":"B","email":"b@x","type":"bot"}"#).unwrap();
        assert_eq!(bot.kind, PersonType::Bot);
        assert!(
            serde_json::from_str::<NewPerson>(
                r#"{"displayName":"C","email":"c@x","type":"robot"}"#
            )
            .is_err()
        );
    }

    #[test]
    fn create_validates_and_rejects_duplicates() {
        let shared = shared();
        let alice = create(&shared, new_person("Alice Example", "alice@example.com")).unwrap();
        assert_eq!(alice.org_id, shared.org.hydra_id);
        assert_eq!(
            create(&shared, new_person("Other", "ALICE@example.com")),
            Err(CreatePersonError::DuplicateEmail(
                "ALICE@example.com".into()
            ))
        );
        assert_eq!(
            create(&shared, new_person(" ", "b@example.com")),
            Err(CreatePersonError::EmptyDisplayName)
        );
        assert!(matches!(
            create(&shared, new_person("B", "not-an-email")),
            Err(CreatePersonError::InvalidEmail(_))
        ));
    }

    #[test]
    fn hydra_json() {
        let shared = shared();
        let alice = create(
            &shared,
            new_person("Alice van Example", "alice@example.com"),
        )
        .unwrap();
        let uuid = ids::decode_uuid(&alice.id, HydraType::People).unwrap();
        let data = lock(&shared.data);
        let json =
            serde_json::to_value(PersonJson::new(data.people.get(uuid).unwrap(), "org")).unwrap();
        assert_eq!(json["firstName"], "Alice");
        assert_eq!(json["lastName"], "van Example");
        assert_eq!(json["emails"][0], "alice@example.com");
        assert_eq!(json["phoneNumbers"], serde_json::json!([]));
        assert_eq!(json["type"], "person");
        assert!(json.get("avatar").is_none());
        assert!(json["created"].as_str().unwrap().ends_with('Z'));
    }
}
