//! People and bots: the store and the admin "create" operation.

use std::collections::HashMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Data;
use crate::kit::error::ApiError;
use crate::kit::ids::{self, HydraType};

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
    /// `person` or `bot`, as Hydra writes `type`.
    pub(crate) fn as_str(self) -> &'static str {
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
    /// A picture URL given by fixtures; `None`: Hydra shows the one the
    /// emulator draws.
    pub(crate) avatar: Option<String>,
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
    pub(crate) fn insert(&mut self, person: Person) -> Result<(), CreatePersonError> {
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

impl Data {
    /// Creates a person and issues a token; the one operation behind the
    /// admin route and [`crate::Emulator::create_person`].
    pub(crate) fn create_person(
        &mut self,
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
            avatar: None,
        };
        let uuid = person.uuid;
        self.people.insert(person)?;
        let access_token = self.tokens.issue(uuid, self.org.uuid);
        Ok(CreatedPerson {
            id: ids::person_id(uuid),
            email: email.to_owned(),
            display_name: display_name.to_owned(),
            org_id: self.org.hydra_id.clone(),
            access_token,
        })
    }
}

/// `local@domain` with both parts non-empty and no whitespace: enough to
/// catch mix-ups of arguments without rejecting unusual test addresses.
pub(crate) fn is_plausible_email(email: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::Bus;
    use crate::world::Org;

    fn data() -> Data {
        Data::new(Org::new(), Bus::default())
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
        let mut data = data();
        let alice = data
            .create_person(new_person("Alice Example", "alice@example.com"))
            .unwrap();
        assert_eq!(alice.org_id, data.org.hydra_id);
        assert_eq!(
            data.create_person(new_person("Other", "ALICE@example.com")),
            Err(CreatePersonError::DuplicateEmail(
                "ALICE@example.com".into()
            ))
        );
        assert_eq!(
            data.create_person(new_person(" ", "b@example.com")),
            Err(CreatePersonError::EmptyDisplayName)
        );
        assert!(matches!(
            data.create_person(new_person("B", "not-an-email")),
            Err(CreatePersonError::InvalidEmail(_))
        ));
    }
}
